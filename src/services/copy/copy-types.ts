/** The vocabulary of generated copy: channels, tones, locales, the facts a text may state, checks. */
export const CHANNELS = ['PUSH', 'SMS', 'EMAIL_SUBJECT', 'EMAIL_BODY', 'SOCIAL'] as const;
export type Channel = (typeof CHANNELS)[number];
export const TONES = ['FRIENDLY', 'PLAYFUL', 'URGENT', 'PREMIUM'] as const;
export type Tone = (typeof TONES)[number];
export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

/** A product as the copy may describe it: only these values can be stated as facts. */
export interface ProductFacts {
  id: string;
  title: string;
  /** The title without a trailing "(1995)"-style qualifier, when it has one. */
  shortTitle: string | null;
  brand: string | null;
  /** The price as the catalogue writes it ("12.99 USD"), or null. */
  price: string | null;
  categories: string[];
  description: string | null;
  reviews: string[];
}

/** Who the copy is for: a segment (label, top categories) or one user (interests, recent items). */
export interface Audience {
  kind: 'SEGMENT' | 'USER';
  id: string;
  label: string | null;
  interests: string[];
  recentTitles: string[];
}

export type FactKind = 'TITLE' | 'BRAND' | 'PRICE' | 'CATEGORY';
export interface Fact {
  kind: FactKind;
  value: string;
}

/** CITATIONS applies to assistant answers: every cited product id is among the candidates. */
export const CHECKS = ['LENGTH', 'UNGROUNDED_NUMBER', 'BANNED_CLAIM', 'LOCALE', 'NAMES_PRODUCT', 'PERSONAL_DATA', 'REPETITION', 'CITATIONS'] as const;
export type CheckName = (typeof CHECKS)[number];
export interface CheckResult {
  check: CheckName;
  passed: boolean;
  /** Why it failed (the offending token, the measured length), null when it passed. */
  detail: string | null;
}

/** Every fact slot a text may fill: title (and its short form), brand, price, category names. */
export function factsOf(product: ProductFacts): Fact[] {
  const facts: Fact[] = [{ kind: 'TITLE', value: product.title }];
  if (product.shortTitle) facts.push({ kind: 'TITLE', value: product.shortTitle });
  if (product.brand) facts.push({ kind: 'BRAND', value: product.brand });
  if (product.price) facts.push({ kind: 'PRICE', value: product.price });
  for (const c of product.categories) facts.push({ kind: 'CATEGORY', value: c });
  return facts;
}

/** The facts a text states (case-insensitive containment). */
export function factsUsed(text: string, facts: readonly Fact[]): Fact[] {
  const lower = text.toLowerCase();
  return facts.filter((f) => lower.includes(f.value.toLowerCase()));
}

/** "Toy Story (1995)" -> "Toy Story"; null when nothing would be removed. */
export function shortTitleOf(title: string): string | null {
  const short = title.replace(/\s*\([^()]*\)\s*$/, '').trim();
  return short && short !== title ? short : null;
}

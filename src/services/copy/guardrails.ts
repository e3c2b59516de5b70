/** Every check a generated or templated text must pass, with the score used to rank variants. */
import { checkBannedClaims } from './banned-claims';
import { checkLength } from './channel-limits';
import type { Channel, CheckResult, Fact, Locale, ProductFacts } from './copy-types';
import { checkGrounding } from './grounding';
import { checkLocale } from './locale-check';
import { checkRepetition } from './repetition';

export interface GuardrailContext {
  channel: Channel;
  locale: Locale;
  product: ProductFacts;
  facts: readonly Fact[];
  bannedWords: readonly string[];
  /** Identifiers of the user the copy is for (their id): never to appear in it. */
  personal: readonly string[];
  /** Characters appended after the checks (a tracking link): the length limit leaves room for them. */
  reservedLength?: number;
}

const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
const PHONE = /\+?\d[\d ()-]{7,}\d/;

export function checkNamesProduct(text: string, product: ProductFacts): CheckResult {
  const lower = text.toLowerCase();
  const names = [product.title, product.shortTitle, product.brand].filter((n): n is string => !!n);
  const passed = names.some((n) => lower.includes(n.toLowerCase()));
  return { check: 'NAMES_PRODUCT', passed, detail: passed ? null : `none of ${names.map((n) => `"${n}"`).join(', ')}` };
}

export function checkPersonalData(text: string, personal: readonly string[], facts: readonly Fact[]): CheckResult {
  const factText = facts.map((f) => f.value).join('\n');
  const found: string[] = personal.filter((p) => p && text.toLowerCase().includes(p.toLowerCase())).map((p) => `identifier "${p}"`);
  const email = text.match(EMAIL);
  if (email) found.push(`email "${email[0]}"`);
  const phone = text.match(PHONE);
  if (phone && !factText.includes(phone[0])) found.push(`phone "${phone[0]}"`);
  return { check: 'PERSONAL_DATA', passed: found.length === 0, detail: found.length === 0 ? null : found.join(', ') };
}

export function runGuardrails(text: string, ctx: GuardrailContext): CheckResult[] {
  return [
    checkLength(text, ctx.channel, ctx.reservedLength ?? 0),
    checkGrounding(text, ctx.facts),
    checkBannedClaims(text, ctx.facts, ctx.bannedWords),
    checkLocale(text, ctx.locale, ctx.facts),
    checkNamesProduct(text, ctx.product),
    checkPersonalData(text, ctx.personal, ctx.facts),
    checkRepetition(text, ctx.locale, ctx.facts),
  ];
}

/** Share of checks passed, in [0, 1]; 1 means the variant may be served as it is. */
export function guardrailScore(checks: readonly CheckResult[]): number {
  return checks.length === 0 ? 0 : checks.filter((c) => c.passed).length / checks.length;
}

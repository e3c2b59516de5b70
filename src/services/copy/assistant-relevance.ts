/**
 * Which search hits may answer a shopper's question. The text index scores a product by all of its
 * text, title included, so a title sharing a word or two with an unrelated question ("what is the
 * boiling point of water?" and the film "Boiling Point (1993)") scores like a real match. Such a
 * hit counts only when the question matches the product without the shared title words, or when
 * the question names the product: writes its title as the catalogue does (capitals included), puts
 * it in quotes, or is nothing but the title.
 */
import type { Locale, ProductFacts } from './copy-types';
import { segments, wordsOf } from './words';

/**
 * Words of the product's title that the rest of its text (brand, categories, description, reviews)
 * does not have; a description that repeats the title ("Boiling Point is a 1993 film") does not count.
 */
function titleOnlyWords(product: ProductFacts, locale: Locale): Set<string> {
  const names = [product.title, product.shortTitle].filter((n): n is string => !!n).map((n) => n.toLowerCase());
  const withoutNames = (text: string) => names.reduce((t, n) => t.split(n).join('\n'), text.toLowerCase());
  const rest = new Set(wordsOf([product.brand ?? '', ...product.categories, withoutNames([product.description ?? '', ...product.reviews].join('\n'))].join('\n'), locale));
  return new Set(wordsOf(product.title, locale).filter((w) => !rest.has(w)));
}

/** The question without the words it shares only with the product's title; null when it shares none. */
export function withoutTitleWords(question: string, product: ProductFacts, locale: Locale): string | null {
  const drop = titleOnlyWords(product, locale);
  const pieces = segments(question, locale);
  const kept = pieces.filter((s) => !(s.word && drop.has(s.text.toLowerCase())));
  if (kept.length === pieces.length) return null;
  return kept
    .map((s) => s.text)
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

const QUOTES: [string, string][] = [['"', '"'], ['“', '”'], ["'", "'"], ['‘', '’'], ['《', '》'], ['「', '」']];

/** The question names the product as a product: its (short) title as the catalogue writes it, or quoted. */
export function namesProduct(question: string, product: ProductFacts): boolean {
  const lower = question.toLowerCase();
  for (const name of [product.title, product.shortTitle].filter((n): n is string => !!n)) {
    // A title with capitals written with the same capitals is a name; "boiling point" is not "Boiling Point".
    if (name !== name.toLowerCase() && question.includes(name)) return true;
    for (const [open, close] of QUOTES) if (lower.includes(`${open}${name.toLowerCase()}${close}`)) return true;
  }
  return false;
}

/**
 * The hits that may answer the question, with their scores (which still rank them: "a crime thriller
 * with a heist" should list "Heist (2001)" first). `score` gives a text's score for a product on
 * the text index's scale.
 */
export async function relevantScores(
  question: string,
  hits: readonly { product: ProductFacts; score: number }[],
  options: { locale: Locale; minScore: number; score: (text: string, productId: string) => Promise<number | null> },
): Promise<Map<string, number>> {
  const scores = await Promise.all(
    hits.map(async ({ product, score }): Promise<number | null> => {
      if (score < options.minScore) return null;
      if (namesProduct(question, product)) return score;
      const rest = withoutTitleWords(question, product, options.locale);
      if (rest === null || wordsOf(rest, options.locale).length === 0) return score;
      const without = await options.score(rest, product.id);
      return without !== null && without >= options.minScore ? score : null;
    }),
  );
  return new Map(hits.flatMap((h, i) => (scores[i] === null ? [] : [[h.product.id, scores[i] as number]])));
}

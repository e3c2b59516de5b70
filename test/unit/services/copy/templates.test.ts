import { DEFAULT_BANNED_WORDS } from '../../../../src/services/copy/banned-claims';
import { copyGrammar, vocabulary } from '../../../../src/services/copy/copy-grammar';
import { phraseBook } from '../../../../src/services/copy/copy-phrases';
import { CHANNELS, factsOf, LOCALES, ProductFacts, shortTitleOf, TONES } from '../../../../src/services/copy/copy-types';
import { runGuardrails } from '../../../../src/services/copy/guardrails';
import { detectLanguages } from '../../../../src/services/copy/locale-check';
import { templateVariant } from '../../../../src/services/copy/templates';
import { assistantGrammar } from '../../../../src/services/copy/assistant.service';

const products: ProductFacts[] = [
  ['Toy Story (1995)', ['Adventure', 'Animation', 'Comedy'], null],
  ['American President, The (1995)', ['Comedy', 'Drama', 'Romance'], '12.99 USD'],
  ['Se7en (a.k.a. Seven) (1995)', ['Mystery', 'Thriller'], null],
  ['Free Willy (1993)', [], null],
].map(([title, categories, price], i) => ({
  id: `p${i}`,
  title: title as string,
  shortTitle: shortTitleOf(title as string),
  brand: null,
  price: price as string | null,
  categories: categories as string[],
  description: null,
  reviews: [],
}));

describe('template engine', () => {
  it('writes copy passing every guardrail for every channel, tone and locale', () => {
    for (const product of products)
      for (const channel of CHANNELS)
        for (const tone of TONES)
          for (const locale of LOCALES)
            for (const i of [0, 1, 2]) {
              const text = templateVariant({ product, audienceId: 'seg-1', channel, tone, locale }, i);
              const failed = runGuardrails(text, { channel, locale, product, facts: factsOf(product), bannedWords: DEFAULT_BANNED_WORDS, personal: [] }).filter((c) => !c.passed);
              expect({ text, failed }).toEqual({ text, failed: [] });
            }
  });

  it('is deterministic and varies by variant index', () => {
    const input = { product: products[0], audienceId: 'seg-1', channel: 'SMS' as const, tone: 'PLAYFUL' as const, locale: 'en' as const };
    expect(templateVariant(input, 1)).toBe(templateVariant(input, 1));
    expect(new Set([0, 1, 2, 3, 4].map((i) => templateVariant(input, i))).size).toBeGreaterThan(1);
  });

  it('uses phrases the language identifier recognises as their locale', () => {
    for (const locale of LOCALES)
      for (const tone of TONES) {
        const book = phraseBook(locale, tone);
        for (const phrase of [...book.openers, ...book.benefits, ...book.ctas]) {
          expect({ phrase, languages: detectLanguages(phrase.replace(/[\p{P}\p{S}]+/gu, ' ').trim()).includes(locale) }).toEqual({ phrase, languages: true });
        }
      }
  });

  it('builds a grammar whose fact slots hold only the catalogue values and whose free words come from a closed vocabulary', () => {
    const product = { ...products[1], description: 'The best political comedy of 1995, a guaranteed 100% classic.', reviews: ['Witty and warm'] };
    const grammar = copyGrammar({ product, channel: 'SMS', tone: 'FRIENDLY', locale: 'en' });
    expect(grammar).toContain('name ::= "American President, The" | "American President, The (1995)"');
    const words = grammar.match(/^word ::= (.*)$/m)![1].split(' | ').map((w) => JSON.parse(w) as string);
    expect(words).toEqual(expect.arrayContaining(['political', 'comedy', 'witty', 'the']));
    expect(words).not.toContain('best');
    expect(words).not.toContain('guaranteed');
    for (const w of words) expect(w).toMatch(/^[a-z][a-z']*$/);
    expect(vocabulary(product, ['political'])).not.toContain('political');
    const zh = copyGrammar({ product: products[0], channel: 'PUSH', tone: 'URGENT', locale: 'zh' });
    expect(zh).not.toContain('word ::=');
  });
});

describe('assistant grammar', () => {
  it('cites only the candidates, and its words come from their text and common words', () => {
    const grammar = assistantGrammar(products.slice(0, 2), 'en');
    expect(grammar.match(/^item ::= (.*)$/m)![1].split(' | ')).toEqual(['"Toy Story (1995) [p0]"', '"American President, The (1995) [p1]"']);
    const words = grammar.match(/^word ::= (.*)$/m)![1].split(' | ').map((w) => JSON.parse(w) as string);
    expect(words).toEqual(expect.arrayContaining(['animation', 'romance', 'the']));
    expect(words).not.toContain('ireland');
    expect(assistantGrammar(products.slice(0, 1), 'zh')).toContain('item ::= "Toy Story (1995) [p0]"');
  });
});

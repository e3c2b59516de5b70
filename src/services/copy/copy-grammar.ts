/**
 * Grounding by construction: a GBNF grammar per channel and locale whose fact slots (product name,
 * category) can only be filled with the catalogue's own values, whose openers and calls to action are
 * picked among the phrase book's, and whose free parts (English only) are short phrases over a
 * closed vocabulary: common words plus the words of the product's own text, without banned words.
 * The model cannot write a digit, a currency sign, a percent sign or a made-up word at all (letters
 * alone let SmolLM2 spell gibberish). A small model that cannot write Chinese picks every Chinese
 * phrase among candidates.
 */
import { DEFAULT_BANNED_WORDS } from './banned-claims';
import { maxLength } from './channel-limits';
import { hashtag, phraseBook } from './copy-phrases';
import type { Channel, Locale, ProductFacts, Tone } from './copy-types';

export function literal(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function alternatives(items: readonly string[]): string {
  return [...new Set(items)].map(literal).join(' | ');
}

export interface GrammarInput {
  product: ProductFacts;
  channel: Channel;
  tone: Tone;
  locale: Locale;
  bannedWords?: readonly string[];
}

// Function words and neutral marketing words: enough to join the product's own words into phrases.
// A phrase does not end on a function word ("the comedy of the").
const FUNCTION_WORDS = 'a an the and or but for with to of in on at by from your you it its this that these is are be will can'.split(' ');
const COMMON_WORDS = (
  `${FUNCTION_WORDS.join(' ')} ` +
  'now here new more just all every one way time day night home family friends together story moment ' +
  'enjoy discover explore watch see try love like feel make take share find meet bring treat ' +
  'fun great good lovely warm bright bold classic fresh simple smart easy cozy joyful charming ' +
  'pick choice favourite pleasure style taste adventure world life heart'
).split(' ');
const MAX_VOCABULARY = 400;

/** The words free phrases may use: common words and the products' text, lower-case letters only. */
export function vocabulary(products: ProductFacts | readonly ProductFacts[], banned: readonly string[] = DEFAULT_BANNED_WORDS): string[] {
  const text = ([] as ProductFacts[]).concat(products).flatMap((p) => [p.description ?? '', ...p.reviews, ...p.categories]);
  const own = text.join(' ').toLowerCase().match(/[a-z][a-z']{1,13}/g) ?? [];
  const refused = new Set(banned.map((b) => b.toLowerCase()));
  return [...new Set([...COMMON_WORDS, ...own])].filter((w) => !refused.has(w)).slice(0, MAX_VOCABULARY);
}

/** `word` (any vocabulary word) and `last` (one that may end a phrase: not a function word). */
export function vocabularyRules(words: readonly string[]): string[] {
  return [`word ::= ${alternatives(words)}`, `last ::= ${alternatives(words.filter((w) => !FUNCTION_WORDS.includes(w)))}`];
}

// Characters each channel's grammar adds around the name at least (opener, benefit, call to action).
const NAME_RESERVE: Record<Channel, number> = { PUSH: 14, EMAIL_SUBJECT: 24, SMS: 70, SOCIAL: 80, EMAIL_BODY: 120 };

/** The product's names that leave room for the rest of the channel's text; the shortest when none does. */
function namesThatFit(product: ProductFacts, channel: Channel, zh: boolean): string[] {
  const names = [product.shortTitle, product.title, product.brand].filter((n): n is string => !!n);
  const limit = channel === 'SMS' && zh ? 70 : maxLength(channel, '');
  const reserve = zh ? Math.ceil(NAME_RESERVE[channel] / 2) : NAME_RESERVE[channel];
  const fitting = names.filter((n) => [...n].length + reserve <= limit);
  return fitting.length ? fitting : [names.reduce((a, b) => ([...a].length <= [...b].length ? a : b))];
}

export function copyGrammar({ product, channel, tone, locale, bannedWords }: GrammarInput): string {
  const book = phraseBook(locale, tone);
  const zh = locale === 'zh';
  const names = namesThatFit(product, channel, zh);
  const categoryBenefits = product.categories.flatMap((c) => book.categoryBenefits.map((b) => b.replace('{category}', c)));
  const candidates = [...book.benefits, ...categoryBenefits];
  const rules: string[] = [
    `name ::= ${alternatives(names)}`,
    `opener ::= ${alternatives(book.openers)}`,
    `cta ::= ${alternatives(book.ctas)}`,
    `candidate ::= ${alternatives(candidates)}`,
  ];
  if (zh) {
    rules.push('benefit ::= candidate');
  } else {
    // The model's own phrases, over the closed vocabulary.
    rules.push(...vocabularyRules(vocabulary(product, bannedWords)), 'phrase ::= word (" " word){1,5} " " last', 'benefit ::= candidate | phrase');
  }
  // A plain hyphen: an em dash is outside GSM-7 and would cut an SMS to 70 characters.
  const dash = zh ? '"，"' : '" - "';
  const stop = zh ? '"。"' : '". "';
  const space = zh ? '' : ' " "';
  switch (channel) {
    case 'PUSH':
      rules.unshift(zh ? 'root ::= opener name' : 'root ::= opener " " name | name ": " word (" " word){0,2} " " last');
      break;
    case 'EMAIL_SUBJECT':
      rules.unshift(`root ::= name ${zh ? '"："' : '": "'} benefit`);
      break;
    case 'SMS':
      rules.unshift(`root ::= opener${space} name ${dash} benefit ${stop} cta`);
      break;
    case 'SOCIAL': {
      const tags = product.categories.map(hashtag);
      rules.unshift(`root ::= opener${space} name ${dash} benefit ${stop} cta${tags.length ? ' " " tag' : ''}`);
      if (tags.length) rules.push(`tag ::= ${alternatives(tags)}`);
      break;
    }
    case 'EMAIL_BODY':
      if (zh) rules.unshift(`root ::= opener name ${stop} benefit ${stop} benefit ${stop} cta`);
      else {
        rules.unshift('root ::= opener " " name ". " sentence ". " sentence ". " cta');
        rules.push('sentence ::= starter " " word (" " word){1,9} " " last', 'starter ::= "It is" | "This is" | "Enjoy" | "Expect" | "Made for" | "You will find" | "Bring home"');
      }
      break;
  }
  return rules.join('\n');
}

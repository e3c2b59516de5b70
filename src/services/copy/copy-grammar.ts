/**
 * Grounding by construction: a GBNF grammar per channel and locale whose fact slots (product name,
 * category) can only be filled with the catalogue's own values, whose openers and calls to action are
 * picked among the phrase book's, and whose free parts (English only) are short phrases of
 * lower-case letters: the model cannot write a digit, a currency sign or a percent sign at all.
 * A small model that cannot write Chinese picks every Chinese phrase among candidates.
 */
import { hashtag, phraseBook } from './copy-phrases';
import type { Channel, Locale, ProductFacts, Tone } from './copy-types';

function literal(s: string): string {
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
}

export function copyGrammar({ product, channel, tone, locale }: GrammarInput): string {
  const book = phraseBook(locale, tone);
  const zh = locale === 'zh';
  const names = [product.shortTitle, product.title, product.brand].filter((n): n is string => !!n);
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
    // The model's own words: letters only, a handful of them.
    rules.push('word ::= [a-z] [a-z\']{1,11}', 'phrase ::= word (" " word){2,6}', 'benefit ::= candidate | phrase');
  }
  // A plain hyphen: an em dash is outside GSM-7 and would cut an SMS to 70 characters.
  const dash = zh ? '"，"' : '" - "';
  const stop = zh ? '"。"' : '". "';
  const space = zh ? '' : ' " "';
  switch (channel) {
    case 'PUSH':
      rules.unshift(zh ? 'root ::= opener name' : 'root ::= opener " " name | name ": " word (" " word){1,3}');
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
        rules.push('sentence ::= [A-Z] [a-z\']{1,11} (" " word){3,12}');
      }
      break;
  }
  return rules.join('\n');
}

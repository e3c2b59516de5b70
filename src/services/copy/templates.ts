/**
 * The template engine: deterministic copy per channel and locale from the phrase book and the
 * product's facts. Always available; used when no model is configured, the model fails or times
 * out, or its samples keep failing the guardrails. Variant i of the same input is always the same text.
 */
import { createHash } from 'node:crypto';
import { maxLength } from './channel-limits';
import { hashtag, phraseBook } from './copy-phrases';
import type { Channel, Locale, ProductFacts, Tone } from './copy-types';

export interface TemplateInput {
  product: ProductFacts;
  audienceId: string;
  channel: Channel;
  tone: Tone;
  locale: Locale;
  /** Characters the caller appends (a tracking link): the text leaves room for them. */
  reservedLength?: number;
}

function pick<T>(items: readonly T[], seed: string, salt: string): T {
  const h = createHash('sha256').update(`${seed}\u0000${salt}`).digest();
  return items[h.readUInt32BE(0) % items.length];
}

/** The shortest name of the product that still names it: short title, else title, else brand. */
function names(product: ProductFacts): string[] {
  return [product.title, product.shortTitle, product.brand].filter((n): n is string => !!n);
}

export function templateVariant(input: TemplateInput, index: number): string {
  const { product, channel, tone, locale } = input;
  const book = phraseBook(locale, tone);
  const seed = `${product.id}|${input.audienceId}|${channel}|${tone}|${locale}|${index}`;
  const category = product.categories.length ? pick(product.categories, seed, 'category') : null;
  const benefit = category ? pick(book.categoryBenefits, seed, 'benefit').replace('{category}', category) : pick(book.benefits, seed, 'benefit');
  const opener = pick(book.openers, seed, 'opener');
  const cta = pick(book.ctas, seed, 'cta');
  const zh = locale === 'zh';
  const join = (...parts: string[]) => (zh ? parts.join('') : parts.join(' '));
  const dash = zh ? '，' : ' -';
  const stop = zh ? '。' : '.';
  // Each name with the phrases first, then (PUSH, EMAIL_SUBJECT) shorter forms, for long titles.
  const candidates = names(product).flatMap((name): string[] => {
    switch (channel) {
      case 'PUSH':
        return [join(opener, name)];
      case 'EMAIL_SUBJECT':
        return [`${name}${zh ? '：' : ':'}${zh ? '' : ' '}${benefit}`, join(opener, name)];
      case 'SMS':
        return [join(opener, `${name}${dash}`, `${benefit}${stop}`, cta), join(`${name}${dash}`, `${benefit}${stop}`, cta)];
      case 'SOCIAL':
        return [join(opener, `${name}${dash}`, `${benefit}${stop}`, cta) + (category ? ` ${hashtag(category)}` : '')];
      case 'EMAIL_BODY': {
        const price = product.price ? (zh ? `价格：${product.price}。` : `Price: ${product.price}.`) : '';
        const brand = product.brand ? (zh ? `来自${product.brand}。` : `From ${product.brand}.`) : '';
        const cats = product.categories.length ? (zh ? `类别：${product.categories.join('、')}。` : `In ${product.categories.join(', ')}.`) : '';
        return [[join(opener, `${name}${stop}`), `${capitalise(benefit)}${stop}`, brand, cats, price, cta].filter(Boolean).join(zh ? '' : ' ')];
      }
    }
  });
  // Long titles: fall back to shorter forms until the text fits the channel.
  return candidates.find((c) => [...c].length + (input.reservedLength ?? 0) <= maxLength(channel, c)) ?? candidates[candidates.length - 1];
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

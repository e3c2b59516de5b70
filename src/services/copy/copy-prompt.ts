/**
 * The prompt: the product's facts (title, categories, price, brand, description, a few review
 * snippets) and the audience (segment label and top categories, or the user's interests and recent
 * items), the channel and tone, and one example of the expected shape. PROMPT_VERSION is part of the
 * cache key: change it with the wording.
 */
import type { Audience, Channel, Locale, ProductFacts, Tone } from './copy-types';

export const PROMPT_VERSION = 'copy-v1';

const CHANNEL_TEXT: Record<Channel, string> = {
  PUSH: 'a push notification title (under 50 characters)',
  SMS: 'an SMS message (under 160 characters)',
  EMAIL_SUBJECT: 'an email subject line (under 78 characters)',
  EMAIL_BODY: 'a short marketing email body (three sentences)',
  SOCIAL: 'a social media post (one or two sentences and a hashtag)',
};

export function clip(text: string | null | undefined, max: number): string {
  if (!text) return '';
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function audienceLines(audience: Audience): string[] {
  if (audience.kind === 'SEGMENT') {
    return [`Audience: ${audience.label ?? 'shoppers'}`, audience.interests.length ? `They like: ${audience.interests.join(', ')}` : ''];
  }
  return [
    'Audience: one shopper',
    audience.interests.length ? `They like: ${audience.interests.join(', ')}` : '',
    audience.recentTitles.length ? `Recently viewed: ${audience.recentTitles.join('; ')}` : '',
  ];
}

export function productLines(product: ProductFacts): string[] {
  return [
    `Product: ${product.title}`,
    product.brand ? `Brand: ${product.brand}` : '',
    product.categories.length ? `Categories: ${product.categories.join(', ')}` : '',
    product.price ? `Price: ${product.price}` : '',
    product.description ? `Description: ${clip(product.description, 300)}` : '',
    ...product.reviews.slice(0, 2).map((r) => `Review: ${clip(r, 120)}`),
  ];
}

export function copyPrompt(input: { product: ProductFacts; audience: Audience; channel: Channel; tone: Tone; locale: Locale; example: string }): {
  system: string;
  user: string;
} {
  const language = input.locale === 'zh' ? 'Simplified Chinese' : 'English';
  return {
    system:
      'You are a careful marketing copywriter. Use only the facts given. Never invent numbers, prices, dates, discounts or awards. ' +
      'Do not use superlatives such as best, guaranteed or free.',
    user: [
      `Write ${CHANNEL_TEXT[input.channel]} in ${language}, in a ${input.tone.toLowerCase()} tone.`,
      ...productLines(input.product),
      ...audienceLines(input.audience),
      `Example of the shape: ${input.example}`,
      'Write only the text.',
    ]
      .filter(Boolean)
      .join('\n'),
  };
}

/**
 * How the synthetic shop writes its text, per language: the catalogue, review openers and the
 * sentence patterns for titles, descriptions and reviews. The generator draws the same random
 * choices whatever the locale, so `en` output is what it always was.
 */
import { CATALOGUE, NEGATIVE_REVIEW_OPENERS, NEUTRAL_REVIEW_OPENERS, POSITIVE_REVIEW_OPENERS, type RootVocabulary } from './vocabulary';
import { CATALOGUE_ZH, NEGATIVE_REVIEW_OPENERS_ZH, NEUTRAL_REVIEW_OPENERS_ZH, POSITIVE_REVIEW_OPENERS_ZH } from './vocabulary-zh';

export type SyntheticLocaleName = 'en' | 'zh';

export const SYNTHETIC_LOCALES: readonly SyntheticLocaleName[] = ['en', 'zh'];

export type Sentiment = 'positive' | 'neutral' | 'negative';

export interface SyntheticLocale {
  catalogue: readonly RootVocabulary[];
  currency: string;
  openers: Record<Sentiment, readonly string[]>;
  title(p: { brand: string; adjectives: readonly string[]; noun: string; model: string }): string;
  description(p: { adjective: string; noun: string; brand: string; features: readonly string[]; phrase: string }): string;
  review(p: { opener: string; noun: string; brand: string; feature: string; sentiment: Sentiment }): string;
}

const EN: SyntheticLocale = {
  catalogue: CATALOGUE,
  currency: 'USD',
  openers: { positive: POSITIVE_REVIEW_OPENERS, neutral: NEUTRAL_REVIEW_OPENERS, negative: NEGATIVE_REVIEW_OPENERS },
  title: ({ brand, adjectives, noun, model }) => `${brand} ${adjectives.join(' ')} ${noun} ${model}`,
  description: ({ adjective, noun, brand, features, phrase }) => {
    const featureText = features.length === 2 ? `${features[0]} and ${features[1]}` : `${features[0]}, ${features[1]} and ${features[2]}`;
    return `${adjective} ${noun.toLowerCase()} from ${brand} with ${featureText}. ${phrase}`;
  },
  review: ({ opener, noun, brand, feature, sentiment }) => {
    const verdict = { positive: 'works really well', neutral: 'is fine, nothing special', negative: 'was not what I expected' }[sentiment];
    return `${opener} The ${noun.toLowerCase()} from ${brand} with ${feature}: it ${verdict}.`;
  },
};

const ZH: SyntheticLocale = {
  catalogue: CATALOGUE_ZH,
  currency: 'CNY',
  openers: { positive: POSITIVE_REVIEW_OPENERS_ZH, neutral: NEUTRAL_REVIEW_OPENERS_ZH, negative: NEGATIVE_REVIEW_OPENERS_ZH },
  title: ({ brand, adjectives, noun, model }) => `${brand} ${adjectives.join('')}${noun} ${model}`,
  description: ({ adjective, noun, brand, features, phrase }) => `${brand}出品的${adjective}${noun}，${features.join('、')}。${phrase}`,
  review: ({ opener, noun, brand, feature, sentiment }) => {
    const verdict = { positive: '非常好用', neutral: '一般般，没什么特别', negative: '和我预期的不一样' }[sentiment];
    return `${opener}${brand}的这款${noun}，${feature}，${verdict}。`;
  },
};

export const LOCALES: Record<SyntheticLocaleName, SyntheticLocale> = { en: EN, zh: ZH };

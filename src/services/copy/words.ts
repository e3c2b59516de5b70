/**
 * Words as Intl.Segmenter splits them: spaces and punctuation for English, ICU's dictionary for
 * Chinese, which has no spaces. Used where copy and questions are compared word by word.
 */
import type { Locale } from './copy-types';

const segmenters = new Map<Locale, Intl.Segmenter>();

/** The text cut into pieces, in order; `word` marks the pieces that are words (not spaces or punctuation). */
export function segments(text: string, locale: Locale): { text: string; word: boolean }[] {
  let segmenter = segmenters.get(locale);
  if (!segmenter) segmenters.set(locale, (segmenter = new Intl.Segmenter(locale, { granularity: 'word' })));
  return [...segmenter.segment(text)].map((s) => ({ text: s.segment, word: s.isWordLike === true }));
}

/** The text's words, lower-cased. */
export function wordsOf(text: string, locale: Locale): string[] {
  return segments(text.toLowerCase(), locale)
    .filter((s) => s.word)
    .map((s) => s.text);
}

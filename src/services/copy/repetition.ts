/**
 * No degenerate repetition: a small model sometimes loops ("in in in in", "in on in on", "one of
 * the one of the one"), and such text passes every other check. A text fails when a word comes
 * three times in a row, a block of two or three words twice in a row, a phrase of four words twice
 * anywhere, or when a quarter of its word pairs repeat earlier ones (words as words.ts splits them,
 * Chinese included). Each mention of one of the product's names counts as one word, so a title
 * like "Tora! Tora! Tora!" is no run. No maintained npm package checks this (n-gram packages only
 * list n-grams), hence these lines.
 */
import { wordPattern } from './banned-claims';
import type { CheckResult, Fact, Locale } from './copy-types';
import { wordsOf } from './words';

/** A word repeated this many times in a row fails ("in in in"). */
export const MAX_RUN = 3;
/** Blocks of 2..MAX_BLOCK words said twice in a row fail ("in on in on"). */
export const MAX_BLOCK = 3;
/** A phrase of this many words said twice anywhere fails ("the comedy of your day"). */
export const PHRASE_WORDS = 4;
/** Share of word pairs that repeat an earlier pair at which a text fails. */
export const MAX_REPEATED_PAIR_SHARE = 0.25;

const SENTENCE_END = /[.!?。！？]+/;

/**
 * The text's words, lower-cased, each mention of a fact (title, category, ...) as one word, and a
 * distinct mark between sentences, so "... in Mystery. In Mystery, Thriller." is no loop.
 */
export function wordsWithFacts(text: string, locale: Locale, facts: readonly Fact[]): string[] {
  const names = [...new Set(facts.map((f) => f.value).filter((v) => v.trim()))].sort((a, b) => b.length - a.length);
  // A capturing group: the pieces alternate between text and the fact found.
  const pieces = names.length ? text.split(new RegExp(`(${names.map((n) => wordPattern(n).source).join('|')})`, 'i')) : [text];
  let sentences = 0;
  return pieces.flatMap((piece, i) =>
    i % 2 === 1 ? [`\u0000${piece.toLowerCase()}`] : piece.split(SENTENCE_END).flatMap((sentence, j) => [...(j > 0 ? [`\u0002${++sentences}`] : []), ...wordsOf(sentence, locale)]),
  );
}

const shown = (words: readonly string[]) => `"${words.join(' ').split('\u0000').join('')}"`;

/** The first loop found in the words, described, or null. */
function loop(w: readonly string[]): string | null {
  let run = { at: 0, length: 0 };
  for (let i = 0, length = 0; i < w.length; i++) {
    length = i > 0 && w[i] === w[i - 1] ? length + 1 : 1;
    if (length > run.length) run = { at: i, length };
  }
  if (run.length >= MAX_RUN) return `${shown([w[run.at]])} ${run.length} times in a row`;
  for (let size = 2; size <= MAX_BLOCK; size++)
    for (let i = 0; i + 2 * size <= w.length; i++) {
      const block = w.slice(i, i + size);
      if (block.every((word, j) => word === w[i + size + j])) return `${shown(block)} twice in a row`;
    }
  const seen = new Set<string>();
  for (let i = 0; i + PHRASE_WORDS <= w.length; i++) {
    const phrase = w.slice(i, i + PHRASE_WORDS).join('\u0001');
    if (seen.has(phrase)) return `${shown(w.slice(i, i + PHRASE_WORDS))} twice`;
    seen.add(phrase);
  }
  const pairs = w.slice(1).map((word, i) => `${w[i]}\u0001${word}`);
  const repeated = pairs.length - new Set(pairs).size;
  if (pairs.length > 0 && repeated / pairs.length >= MAX_REPEATED_PAIR_SHARE) return `${repeated} of ${pairs.length} word pairs repeated`;
  return null;
}

export function checkRepetition(text: string, locale: Locale, facts: readonly Fact[]): CheckResult {
  const found = loop(wordsWithFacts(text, locale, facts));
  return { check: 'REPETITION', passed: found === null, detail: found };
}

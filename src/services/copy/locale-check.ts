/**
 * The text is in the requested locale, as tinyld (an n-gram language identifier) judges it. The
 * product's own names are removed first: an English title inside Chinese copy says nothing about
 * the copy's language. Copy is short and n-gram scores on a few words are close, so the locale
 * passes when it is among tinyld's top three; when the rest is too short for any answer, the whole
 * text is judged.
 */
import { detectAll } from 'tinyld';
import type { CheckResult, Fact, Locale } from './copy-types';

const TOP = 3;

/** tinyld's likeliest languages, best first (empty when it cannot tell). */
export function detectLanguages(text: string): string[] {
  return detectAll(text)
    .slice(0, TOP)
    .map((d) => d.lang);
}

export function checkLocale(text: string, locale: Locale, facts: readonly Fact[]): CheckResult {
  let rest = text;
  // Longest first, so "Toy Story (1995)" goes before "Toy Story".
  for (const f of [...facts].sort((a, b) => b.value.length - a.value.length)) rest = rest.split(f.value).join(' ');
  rest = rest.replace(/[\p{P}\p{S}\d\s]+/gu, ' ').trim();
  if (!rest) return { check: 'LOCALE', passed: false, detail: 'no text besides the product facts' };
  let languages = detectLanguages(rest);
  if (languages.length === 0) languages = detectLanguages(text);
  const passed = languages.includes(locale);
  return { check: 'LOCALE', passed, detail: passed ? null : `detected ${languages.join(', ') || 'nothing'}, expected ${locale}` };
}

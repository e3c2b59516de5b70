/**
 * Words and claims copy must not make unless the catalogue itself does (a product called
 * "Free Willy" may be named): superlatives, guarantees, "free". The list is configurable
 * (COPY_BANNED_WORDS); these are the defaults.
 */
import type { CheckResult, Fact } from './copy-types';

export const DEFAULT_BANNED_WORDS = [
  'best', 'guaranteed', 'guarantee', 'free', 'cheapest', 'lowest price', 'number one', '#1', 'no.1', 'miracle', 'cure',
  'risk-free', 'award-winning', 'bestseller', 'best-selling', 'perfect', 'unbeatable', 'once in a lifetime',
  '最好', '最佳', '保证', '免费', '第一', '最便宜', '最低价', '包退',
];

const CJK = /[\u3400-\u9fff]/;

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches whole words for Latin text; CJK words have no word boundaries, so a substring counts. */
export function wordPattern(word: string): RegExp {
  if (CJK.test(word)) return new RegExp(escape(word), 'i');
  const start = /^\w/.test(word) ? '\\b' : '';
  const end = /\w$/.test(word) ? '\\b' : '';
  return new RegExp(`${start}${escape(word)}${end}`, 'i');
}

export function checkBannedClaims(text: string, facts: readonly Fact[], banned: readonly string[]): CheckResult {
  const factText = facts.map((f) => f.value).join('\n');
  const hits = banned.filter((word) => {
    const re = wordPattern(word);
    return re.test(text) && !re.test(factText);
  });
  return { check: 'BANNED_CLAIM', passed: hits.length === 0, detail: hits.length === 0 ? null : hits.map((h) => `"${h}"`).join(', ') };
}

/**
 * No number, price, percentage, date or discount that is not among the facts: every such token in
 * the text must also occur in a fact (title, brand, price, category names), e.g. the year in
 * "Toy Story (1995)". Used for copy and for the assistant's answers (with every candidate's facts).
 */
import type { CheckResult, Fact } from './copy-types';

const PATTERNS: { kind: string; re: RegExp }[] = [
  { kind: 'number', re: /\d+(?:[.,:/-]\d+)*/g },
  { kind: 'number', re: /\b(?:hundred|thousand|million|billion|trillion|dozens?)\b/gi },
  { kind: 'number', re: /[零一二两三四五六七八九十]+[百千万亿]|[百千万亿]+/g },
  { kind: 'percentage', re: /%|\bper ?cent\b|成/gi },
  { kind: 'price', re: /[$€£¥￥]|\b(?:usd|eur|gbp|dollars?|bucks|cents?|euros?)\b|元|块钱/gi },
  { kind: 'date', re: /\b(?:jan(?:uary)?|feb(?:ruary)?|march|april|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)\b|\d+\s*[月日号]|星期|周[一二三四五六日末]/gi },
  { kind: 'discount', re: /\b(?:discount(?:ed|s)?|coupons?|promo(?: ?codes?)?|clearance|on sale|sale|half[- ]price|\d+\s*off)\b|打折|折扣|优惠|促销|特价|[一二三四五六七八九\d]折/gi },
];

/** The number-like tokens of a text, lower-cased, each with its kind. */
export function numberTokens(text: string): { kind: string; token: string }[] {
  const found: { kind: string; token: string }[] = [];
  for (const { kind, re } of PATTERNS) for (const m of text.matchAll(re)) found.push({ kind, token: m[0].toLowerCase() });
  return found;
}

export function checkGrounding(text: string, facts: readonly Fact[]): CheckResult {
  const factText = facts.map((f) => f.value.toLowerCase()).join(' \n ');
  const ungrounded = numberTokens(text).filter(({ token }) => !factText.includes(token));
  return {
    check: 'UNGROUNDED_NUMBER',
    passed: ungrounded.length === 0,
    detail: ungrounded.length === 0 ? null : ungrounded.map((u) => `${u.kind} "${u.token}"`).join(', '),
  };
}

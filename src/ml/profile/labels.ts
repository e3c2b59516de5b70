/** What a user did in the window after an origin: the labels the profile model learns. */
import type { ProfileEvent } from '../rfm';
import type { ProfileSpec } from './model';

export interface Outcome {
  converted: boolean;
  /** The category with the most event weight in the window, among `spec.categories`; null if none. */
  nextCategory: string | null;
}

export function outcomeIn(events: readonly ProfileEvent[], from: number, to: number, spec: ProfileSpec): Outcome {
  const vocabulary = new Set(spec.categories);
  const totals = new Map<string, number>();
  let converted = false;
  for (const e of events) {
    if (e.at <= from || e.at > to) continue;
    if (spec.conversionTypes.includes(e.type)) converted = true;
    for (const c of e.categoryIds) if (vocabulary.has(c)) totals.set(c, (totals.get(c) ?? 0) + e.weight / e.categoryIds.length);
  }
  let nextCategory: string | null = null;
  let best = 0;
  for (const [c, w] of totals) if (w > best || (w === best && nextCategory !== null && c < nextCategory)) [nextCategory, best] = [c, w];
  return { converted, nextCategory };
}

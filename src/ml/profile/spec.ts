/** Choosing a profile spec from the data: the categories to predict and the label window. */
import { DAY_MS, ProfileEvent } from '../rfm';

/** The categories most present in events up to `cutoff`, by event count. */
export function topCategories(users: readonly (readonly ProfileEvent[])[], cutoff: number, limit: number): string[] {
  const counts = new Map<string, number>();
  for (const events of users) for (const e of events) if (e.at <= cutoff) for (const c of e.categoryIds) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([c]) => c);
}

/** A window long enough to hold the last `fraction` of all events, in whole days (at least 1). */
export function windowDaysFor(eventTimes: readonly number[], fraction = 0.1): number {
  if (eventTimes.length === 0) return 30;
  const sorted = [...eventTimes].sort((a, b) => a - b);
  const end = sorted[sorted.length - 1];
  const start = sorted[Math.floor((1 - fraction) * (sorted.length - 1))];
  return Math.max(1, Math.ceil((end - start) / DAY_MS));
}

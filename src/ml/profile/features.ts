/** What the profile model sees of a user at an instant: dense user features and per-category features. */
import { DAY_MS, ProfileEvent, categoryShares, computeRfm } from '../rfm';
import type { ProfileSpec } from './model';

const EPS = 1e-3;

const USER_FEATURES = [
  'log1p(recencyDays)',
  'log1p(eventsInWindow)',
  'log1p(eventsInLastQuarterWindow)',
  'log1p(frequency)',
  'log1p(monetary)',
  'log1p(events)',
  'log1p(tenureDays)',
] as const;

/** Dense per-user features; monetary only when it differs from frequency (priced data). */
export function userFeatureNames(spec: ProfileSpec): string[] {
  return USER_FEATURES.filter((f) => spec.pricedMonetary || f !== 'log1p(monetary)');
}

/** Raw user features as of `asOf`, in the order of `userFeatureNames(spec)`. */
export function userFeatures(events: readonly ProfileEvent[], asOf: number, spec: ProfileSpec): number[] {
  const rfm = computeRfm(events, { asOf, conversionTypes: spec.conversionTypes, pricedMonetary: spec.pricedMonetary });
  const window = spec.windowDays * DAY_MS;
  let total = 0;
  let inWindow = 0;
  let inQuarter = 0;
  let first = Infinity;
  for (const e of events) {
    if (e.at > asOf) continue;
    total += 1;
    if (e.at > asOf - window) inWindow += 1;
    if (e.at > asOf - window / 4) inQuarter += 1;
    if (e.at < first) first = e.at;
  }
  const values: Record<(typeof USER_FEATURES)[number], number> = {
    'log1p(recencyDays)': Math.log1p(rfm.recencyDays ?? 10 * 365),
    'log1p(eventsInWindow)': Math.log1p(inWindow),
    'log1p(eventsInLastQuarterWindow)': Math.log1p(inQuarter),
    'log1p(frequency)': Math.log1p(rfm.frequency),
    'log1p(monetary)': Math.log1p(rfm.monetary),
    'log1p(events)': Math.log1p(total),
    'log1p(tenureDays)': Math.log1p(first === Infinity ? 0 : (asOf - first) / DAY_MS),
  };
  return userFeatureNames(spec).map((name) => values[name as (typeof USER_FEATURES)[number]]);
}

/** Propensity feature sets, from the baseline's signal alone to every user feature. */
export const PROPENSITY_FEATURE_SETS: Record<string, (names: string[]) => string[]> = {
  recency: () => ['log1p(recencyDays)'],
  'recency+activity': () => ['log1p(recencyDays)', 'log1p(eventsInWindow)', 'log1p(eventsInLastQuarterWindow)'],
  all: (names) => names,
};

export const SHARED = ['log(decayedShare)', 'baselineRank1', 'baselineRank2', 'baselineRank3', 'log(windowShare)', 'log(popularity)'] as const;

/** Next-category feature sets: shared per-category features, plus per-category weights on user features. */
export const CATEGORY_FEATURE_SETS: Record<string, { shared: string[]; user: boolean }> = {
  shares: { shared: ['log(decayedShare)', 'baselineRank1', 'baselineRank2', 'baselineRank3', 'log(popularity)'], user: false },
  'shares+window': { shared: [...SHARED], user: false },
  'shares+window+user': { shared: [...SHARED], user: true },
};

/** The baseline's category ranking: own decayed shares (highest first), then by popularity. */
function baselineOrder(decayed: readonly number[], popularity: readonly number[]): number[] {
  return decayed.map((_, c) => c).sort((a, b) => decayed[b] - decayed[a] || popularity[b] - popularity[a] || a - b);
}

export interface CategoryView {
  /** Decayed shares over `spec.categories` (renormalized; zeros when none). */
  decayed: number[];
  /** u[c][k] over SHARED. */
  shared: number[][];
  baseline: number[];
  /** Population popularity at the same instant (ties and users without shares). */
  popularity: readonly number[];
}

export function categoryView(events: readonly ProfileEvent[], asOf: number, spec: ProfileSpec, popularity: readonly number[]): CategoryView {
  const index = new Map(spec.categories.map((c, i) => [c, i]));
  const decayed = new Array<number>(spec.categories.length).fill(0);
  for (const s of categoryShares(events, { asOf, halfLifeDays: spec.halfLifeDays })) {
    const i = index.get(s.categoryId);
    if (i !== undefined) decayed[i] = s.share;
  }
  const sum = decayed.reduce((a, b) => a + b, 0);
  if (sum > 0) for (let i = 0; i < decayed.length; i++) decayed[i] /= sum;
  const recent = new Array<number>(spec.categories.length).fill(0);
  const from = asOf - spec.windowDays * DAY_MS;
  for (const e of events) {
    if (e.at > asOf || e.at <= from) continue;
    for (const c of e.categoryIds) {
      const i = index.get(c);
      if (i !== undefined) recent[i] += e.weight / e.categoryIds.length;
    }
  }
  const recentSum = recent.reduce((a, b) => a + b, 0);
  const baseline = baselineOrder(decayed, popularity);
  const rank = new Array<number>(spec.categories.length).fill(Infinity);
  if (sum > 0) baseline.forEach((c, r) => (decayed[c] > 0 ? (rank[c] = r) : undefined));
  const shared = spec.categories.map((_, c) => [
    Math.log(decayed[c] + EPS),
    rank[c] === 0 ? 1 : 0,
    rank[c] === 1 ? 1 : 0,
    rank[c] === 2 ? 1 : 0,
    Math.log((recentSum > 0 ? recent[c] / recentSum : 0) + EPS),
    Math.log(popularity[c] + EPS),
  ]);
  return { decayed, shared, baseline, popularity };
}

/** Share of category-tagged events (counted once per category) among `spec.categories` up to `asOf`. */
export function categoryPopularity(users: readonly (readonly ProfileEvent[])[], asOf: number, spec: ProfileSpec): number[] {
  const index = new Map(spec.categories.map((c, i) => [c, i]));
  const counts = new Array<number>(spec.categories.length).fill(0);
  for (const events of users) for (const e of events) if (e.at <= asOf) for (const c of e.categoryIds) {
    const i = index.get(c);
    if (i !== undefined) counts[i] += 1;
  }
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n) => (total > 0 ? n / total : 1 / Math.max(1, counts.length)));
}

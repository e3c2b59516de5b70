/**
 * Recency, frequency, monetary (RFM) and time-decayed category interests from a user's events.
 * Pure functions over plain events, shared by `affinity segment` (whole population, at a cutoff)
 * and by profile serving (one user, live), so both compute the figures the same way.
 */

export const DAY_MS = 86_400_000;

export interface ProfileEvent {
  /** Epoch milliseconds. */
  at: number;
  type: string;
  /** The interest weight stored on the event (src/domain/interaction-weight.ts). */
  weight: number;
  price: number | null;
  categoryIds: readonly string[];
}

export interface RfmOptions {
  /** Only events up to this instant count (epoch ms). */
  asOf: number;
  /** Event types that count as a conversion: PURCHASE, or RATE on catalogues without purchases. */
  conversionTypes: readonly string[];
  /** False when the data has no priced conversions: monetary then counts conversions instead. */
  pricedMonetary: boolean;
}

export interface Rfm {
  /** Days from the last event to `asOf`; null without events. */
  recencyDays: number | null;
  /** Conversion events up to `asOf`. */
  frequency: number;
  /** Sum of the prices of converted products, or the conversion count when prices are not used. */
  monetary: number;
}

export function computeRfm(events: readonly ProfileEvent[], options: RfmOptions): Rfm {
  let last = -Infinity;
  let frequency = 0;
  let spent = 0;
  for (const e of events) {
    if (e.at > options.asOf) continue;
    if (e.at > last) last = e.at;
    if (options.conversionTypes.includes(e.type)) {
      frequency += 1;
      spent += e.price ?? 0;
    }
  }
  return {
    recencyDays: last === -Infinity ? null : (options.asOf - last) / DAY_MS,
    frequency,
    monetary: options.pricedMonetary ? spent : frequency,
  };
}

/**
 * Category shares: each event's weight, halved every `halfLifeDays` before `asOf`, split evenly
 * over the product's categories; shares sum to 1. Sorted by share, highest first.
 */
export function categoryShares(events: readonly ProfileEvent[], options: { asOf: number; halfLifeDays: number }): { categoryId: string; share: number }[] {
  const totals = new Map<string, number>();
  let sum = 0;
  for (const e of events) {
    if (e.at > options.asOf || e.categoryIds.length === 0) continue;
    const decayed = e.weight * Math.pow(0.5, (options.asOf - e.at) / DAY_MS / options.halfLifeDays);
    const each = decayed / e.categoryIds.length;
    for (const c of e.categoryIds) totals.set(c, (totals.get(c) ?? 0) + each);
    sum += decayed;
  }
  if (sum <= 0) return [];
  return [...totals]
    .map(([categoryId, total]) => ({ categoryId, share: total / sum }))
    .sort((a, b) => b.share - a.share || a.categoryId.localeCompare(b.categoryId));
}

/** The 20th, 40th, 60th and 80th percentiles (linear interpolation) of a population's values. */
export function quintileBreakpoints(values: readonly number[]): number[] {
  if (values.length === 0) return [0, 0, 0, 0];
  const sorted = [...values].sort((a, b) => a - b);
  return [0.2, 0.4, 0.6, 0.8].map((p) => {
    const pos = p * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  });
}

/** 1..5, where 5 is the best fifth: the highest values, or the lowest when `lowerIsBetter` (recency). */
export function quintile(value: number, breakpoints: readonly number[], lowerIsBetter = false): number {
  if (lowerIsBetter) return 1 + breakpoints.filter((b) => value < b).length;
  return 1 + breakpoints.filter((b) => value > b).length;
}

export interface RfmBreakpoints {
  recency: number[];
  frequency: number[];
  monetary: number[];
}

export interface RfmScore {
  recency: number;
  frequency: number;
  monetary: number;
  /** Mean of the three quintiles, 1..5. */
  score: number;
  /** The three quintiles as digits, e.g. "545". */
  code: string;
}

export function rfmBreakpoints(population: readonly Rfm[]): RfmBreakpoints {
  const active = population.filter((r) => r.recencyDays !== null);
  return {
    recency: quintileBreakpoints(active.map((r) => r.recencyDays as number)),
    frequency: quintileBreakpoints(active.map((r) => r.frequency)),
    monetary: quintileBreakpoints(active.map((r) => r.monetary)),
  };
}

export function scoreRfm(rfm: Rfm, breakpoints: RfmBreakpoints): RfmScore | null {
  if (rfm.recencyDays === null) return null;
  const r = quintile(rfm.recencyDays, breakpoints.recency, true);
  const f = quintile(rfm.frequency, breakpoints.frequency);
  const m = quintile(rfm.monetary, breakpoints.monetary);
  return { recency: r, frequency: f, monetary: m, score: (r + f + m) / 3, code: `${r}${f}${m}` };
}

/** PURCHASE when the data has purchases; otherwise the explicit-feedback type (RATE on MovieLens). */
export function conversionTypesFor(typeCounts: ReadonlyMap<string, number>): string[] {
  for (const type of ['PURCHASE', 'RATE', 'REVIEW', 'CART']) if ((typeCounts.get(type) ?? 0) > 0) return [type];
  return ['PURCHASE'];
}

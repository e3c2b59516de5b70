/**
 * Cumulative conversion per variant over time, for the analyst page: at the end of each day since
 * the start (the last point at `until`), the members first exposed by then and how many of them
 * had purchased by then, with the same Wilson interval as the report's rate. The last point equals
 * the report's conversion rate.
 */
import type { Interval } from './statistics/interval';
import { proportionInterval } from './statistics/rates';

export interface SeriesMember {
  variant: string;
  /** Epoch ms of the first exposure. */
  firstAt: number;
  /** Epoch ms of the first purchase after it, or null. */
  firstPurchaseAt: number | null;
}

export interface SeriesPoint {
  /** Epoch ms the counts run to. */
  at: number;
  users: number;
  conversions: number;
  conversionRate: Interval;
}

export interface VariantSeries {
  variant: string;
  points: SeriesPoint[];
}

const DAY_MS = 24 * 3600 * 1000;

export function cumulativeConversion(variants: string[], members: SeriesMember[], start: number, until: number): VariantSeries[] {
  const ends: number[] = [];
  for (let at = start + DAY_MS; at < until; at += DAY_MS) ends.push(at);
  ends.push(Math.max(start, until));
  return variants.map((variant) => {
    const mine = members.filter((m) => m.variant === variant);
    const exposed = mine.map((m) => m.firstAt).sort((a, b) => a - b);
    const bought = mine.flatMap((m) => (m.firstPurchaseAt === null ? [] : [m.firstPurchaseAt])).sort((a, b) => a - b);
    let users = 0;
    let conversions = 0;
    // One sweep over both sorted lists; the last point counts everything observed until `until`.
    const points = ends.map((at, i) => {
      const last = i === ends.length - 1;
      while (users < exposed.length && (last || exposed[users] < at)) users++;
      while (conversions < bought.length && (last || bought[conversions] < at)) conversions++;
      return { at, users, conversions, conversionRate: proportionInterval(conversions, users) };
    });
    return { variant, points };
  });
}

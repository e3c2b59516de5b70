/**
 * Per-group rates with intervals: a conversion share (Wilson score interval, which stays inside
 * [0, 1] and keeps its coverage for small counts and rates near 0) and a mean per member such as
 * revenue (normal interval on the mean).
 */
import { type Interval, zFor } from './interval';
import { type Summary, varianceOfMean } from './summary';

export function proportionInterval(successes: number, n: number, confidence = 0.95): Interval {
  if (n === 0) return { estimate: 0, low: 0, high: 1 };
  const z = zFor(confidence);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export function meanInterval(s: Summary, confidence = 0.95): Interval {
  const half = zFor(confidence) * Math.sqrt(varianceOfMean(s));
  return { estimate: s.mean, low: s.mean - half, high: s.mean + half };
}

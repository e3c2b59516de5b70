/** An estimate with its two-sided interval, and the normal quantile the intervals use. */
import { jStat } from 'jstat';

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** The two-sided normal quantile for a confidence level (1.959964 for 0.95). */
export function zFor(confidence: number): number {
  return jStat.normal.inv(1 - (1 - confidence) / 2, 0, 1);
}

/** Whether the interval lies wholly on one side of 0. */
export function excludesZero(interval: Interval): boolean {
  return interval.low > 0 || interval.high < 0;
}

/**
 * Sample-ratio mismatch: a chi-square goodness-of-fit test of the members each group got against the
 * shares it should get. A tiny p-value means assignment or logging is broken and the comparison
 * cannot be trusted; the usual alarm is p < 0.001.
 */
import { jStat } from 'jstat';

export const SRM_ALPHA = 0.001;

export interface SampleRatioCheck {
  chiSquare: number;
  pValue: number;
  /** p < 0.001. */
  mismatch: boolean;
}

export function sampleRatioMismatch(observed: number[], weights: number[]): SampleRatioCheck {
  const total = observed.reduce((a, b) => a + b, 0);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || observed.length < 2) return { chiSquare: 0, pValue: 1, mismatch: false };
  let chiSquare = 0;
  observed.forEach((o, i) => {
    const expected = (total * weights[i]) / weightSum;
    chiSquare += (o - expected) ** 2 / expected;
  });
  const pValue = 1 - jStat.chisquare.cdf(chiSquare, observed.length - 1);
  return { chiSquare, pValue, mismatch: pValue < SRM_ALPHA };
}

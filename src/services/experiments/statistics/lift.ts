/**
 * Relative lift of a treatment's mean over the control's, (mean_t / mean_c) - 1, with a delta-method
 * interval: Var(m_t/m_c) ≈ Var(m_t)/m_c² + m_t²·Var(m_c)/m_c⁴ (groups independent). Undefined
 * (null) while the control's mean is 0.
 */
import { jStat } from 'jstat';
import { type Interval, zFor } from './interval';
import { type Summary, varianceOfMean } from './summary';

export interface Lift extends Interval {
  /** Two-sided p-value of "no lift" at this single look (fixed horizon). */
  pValue: number;
}

export function relativeLift(treatment: Summary, control: Summary, confidence = 0.95): Lift | null {
  if (control.mean === 0 || treatment.n === 0) return null;
  const ratio = treatment.mean / control.mean;
  const variance = varianceOfMean(treatment) / control.mean ** 2 + (treatment.mean ** 2 * varianceOfMean(control)) / control.mean ** 4;
  const se = Math.sqrt(variance);
  const half = zFor(confidence) * se;
  const estimate = ratio - 1;
  const pValue = se > 0 ? 2 * (1 - jStat.normal.cdf(Math.abs(estimate) / se, 0, 1)) : estimate === 0 ? 1 : 0;
  return { estimate, low: estimate - half, high: estimate + half, pValue };
}

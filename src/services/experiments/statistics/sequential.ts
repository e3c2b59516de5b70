/**
 * An always-valid p-value for the difference of two means: the mixture sequential probability ratio
 * test (mSPRT, Johari et al. 2017) with a normal mixing distribution N(0, τ²) over the true
 * difference. With V the variance of the observed difference d,
 *   Λ = sqrt(V / (V + τ²)) · exp(τ² d² / (2 V (V + τ²)))
 * is a martingale under "no difference", so by Ville's inequality p = min(1, 1/Λ) may be read at any
 * moment, as often as one likes, without inflating false positives. No npm statistics package
 * implements it (jstat and simple-statistics have fixed-sample tests only), hence this file.
 */
import { type Summary, varianceOfMean } from './summary';

export interface SequentialTest {
  /** Always-valid p-value of "no difference" at this look. */
  pValue: number;
  /** The mixture likelihood ratio Λ. */
  likelihoodRatio: number;
}

/**
 * @param mixingSd τ: the size of difference (in the metric's units) the test is most sensitive to;
 *   callers take a relative effect of interest times the control's mean.
 */
export function msprt(treatment: Summary, control: Summary, mixingSd: number): SequentialTest {
  const v = varianceOfMean(treatment) + varianceOfMean(control);
  const tau2 = mixingSd * mixingSd;
  if (!(v > 0) || !Number.isFinite(v) || !(tau2 > 0)) return { pValue: 1, likelihoodRatio: 1 };
  const d = treatment.mean - control.mean;
  const logLambda = 0.5 * Math.log(v / (v + tau2)) + (tau2 * d * d) / (2 * v * (v + tau2));
  const likelihoodRatio = Math.exp(logLambda);
  return { pValue: Math.min(1, Math.exp(-logLambda)), likelihoodRatio };
}

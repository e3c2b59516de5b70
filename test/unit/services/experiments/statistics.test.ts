/** The experiment statistics against reference values from scipy/numpy (test/fixtures/stats/make-reference.py). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cuped } from '../../../../src/services/experiments/statistics/cuped';
import { excludesZero } from '../../../../src/services/experiments/statistics/interval';
import { relativeLift } from '../../../../src/services/experiments/statistics/lift';
import { meanInterval, proportionInterval } from '../../../../src/services/experiments/statistics/rates';
import { msprt } from '../../../../src/services/experiments/statistics/sequential';
import { sampleRatioMismatch } from '../../../../src/services/experiments/statistics/srm';
import { summarize } from '../../../../src/services/experiments/statistics/summary';

interface Group {
  pre: number[];
  conversion: number[];
  revenue: number[];
}
interface Iv {
  estimate: number;
  low: number;
  high: number;
  pValue?: number;
}
const ref = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../fixtures/stats/reference.json'), 'utf8')) as {
  data: { control: Group; treatment: Group };
  wilson: (Iv & { successes: number; n: number })[];
  conversionRate: { control: Iv; treatment: Iv };
  revenuePerMember: { control: Iv; treatment: Iv };
  liftConversion: Iv;
  liftRevenue: Iv;
  srm: { observed: number[]; weights: number[]; chiSquare: number; pValue: number }[];
  cuped: { theta: number; varianceReduction: number; liftRevenue: Iv };
  msprt: { tau: number; pValue: number; likelihoodRatio: number };
  msprtConversion: { tau: number; pValue: number; likelihoodRatio: number };
};
const { control, treatment } = ref.data;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function expectInterval(actual: Iv | null, expected: Iv, digits = 9): void {
  expect(actual).not.toBeNull();
  expect(actual!.estimate).toBeCloseTo(expected.estimate, digits);
  expect(actual!.low).toBeCloseTo(expected.low, digits);
  expect(actual!.high).toBeCloseTo(expected.high, digits);
  if (expected.pValue !== undefined) expect(actual!.pValue).toBeCloseTo(expected.pValue, digits);
}

describe('experiment statistics', () => {
  it('gives Wilson intervals for conversion shares as scipy does', () => {
    for (const c of ref.wilson) expectInterval(proportionInterval(c.successes, c.n), c);
    expectInterval(proportionInterval(sum(control.conversion), control.conversion.length), ref.conversionRate.control);
    expectInterval(proportionInterval(sum(treatment.conversion), treatment.conversion.length), ref.conversionRate.treatment);
  });

  it('gives normal intervals for revenue per member', () => {
    expectInterval(meanInterval(summarize(control.revenue)), ref.revenuePerMember.control);
    expectInterval(meanInterval(summarize(treatment.revenue)), ref.revenuePerMember.treatment);
  });

  it('gives the relative lift with its delta-method interval and p-value', () => {
    expectInterval(relativeLift(summarize(treatment.conversion), summarize(control.conversion)), ref.liftConversion);
    expectInterval(relativeLift(summarize(treatment.revenue), summarize(control.revenue)), ref.liftRevenue);
    expect(relativeLift(summarize([1, 2]), summarize([0, 0]))).toBeNull();
  });

  it('flags a sample-ratio mismatch only below p = 0.001', () => {
    for (const c of ref.srm) {
      const check = sampleRatioMismatch(c.observed, c.weights);
      expect(check.chiSquare).toBeCloseTo(c.chiSquare, 9);
      expect(check.pValue).toBeCloseTo(c.pValue, 9);
      expect(check.mismatch).toBe(c.pValue < 0.001);
    }
    expect(ref.srm.some((c) => c.pValue < 0.001)).toBe(true);
    expect(ref.srm.some((c) => c.pValue > 0.001)).toBe(true);
  });

  it('reduces variance with CUPED and keeps the lift unbiased', () => {
    const adj = cuped([
      { metric: control.revenue, covariate: control.pre },
      { metric: treatment.revenue, covariate: treatment.pre },
    ]);
    expect(adj.theta).toBeCloseTo(ref.cuped.theta, 9);
    expect(adj.varianceReduction).toBeCloseTo(ref.cuped.varianceReduction, 9);
    expect(adj.varianceReduction).toBeGreaterThan(0.05);
    const lift = relativeLift(summarize(adj.adjusted[1]), summarize(adj.adjusted[0]));
    expectInterval(lift, ref.cuped.liftRevenue);
    // Narrower than without the covariate.
    const plain = relativeLift(summarize(treatment.revenue), summarize(control.revenue))!;
    expect(lift!.high - lift!.low).toBeLessThan(plain.high - plain.low);
  });

  it('gives the mSPRT always-valid p-value', () => {
    const rev = msprt(summarize(treatment.revenue), summarize(control.revenue), ref.msprt.tau);
    expect(rev.likelihoodRatio).toBeCloseTo(ref.msprt.likelihoodRatio, 9);
    expect(rev.pValue).toBeCloseTo(ref.msprt.pValue, 9);
    const conv = msprt(summarize(treatment.conversion), summarize(control.conversion), ref.msprtConversion.tau);
    expect(conv.pValue).toBeCloseTo(ref.msprtConversion.pValue, 9);
    // More conservative than the fixed-horizon p-value of the same look.
    expect(rev.pValue).toBeGreaterThan(ref.liftRevenue.pValue!);
  });

  it('keeps the false-positive rate of repeated peeks at or under alpha', () => {
    // 400 A/A experiments, each looked at after every 100 members per arm up to 3000: stopping at the
    // first look with p < 0.05 must happen in about 5% of them at most (a fixed-sample test peeked
    // at 30 times would stop in roughly a quarter).
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let rejected = 0;
    for (let e = 0; e < 400; e++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let look = 0; look < 30; look++) {
        for (let i = 0; i < 100; i++) {
          a.push(random() < 0.2 ? 1 : 0);
          b.push(random() < 0.2 ? 1 : 0);
        }
        if (msprt(summarize(b), summarize(a), 0.02).pValue < 0.05) {
          rejected++;
          break;
        }
      }
    }
    expect(rejected / 400).toBeLessThanOrEqual(0.06);
  });

  it('says whether an interval excludes zero', () => {
    expect(excludesZero({ estimate: 1, low: 0.1, high: 2 })).toBe(true);
    expect(excludesZero({ estimate: -1, low: -2, high: -0.5 })).toBe(true);
    expect(excludesZero({ estimate: 0, low: -0.1, high: 0.2 })).toBe(false);
  });
});

import { bucketOf, pickByWeight } from '../../../../src/services/experiments/assignment';
import { sampleRatioMismatch } from '../../../../src/services/experiments/statistics/srm';

describe('bucketOf / pickByWeight', () => {
  it('is deterministic: the same experiment and user always land in the same place', () => {
    expect(bucketOf('exp1', 'u42')).toBe(bucketOf('exp1', 'u42'));
    expect(bucketOf('exp1', 'u42')).not.toBe(bucketOf('exp2', 'u42'));
    // Concatenation cannot collide: ("ab","c") and ("a","bc") differ.
    expect(bucketOf('ab', 'c')).not.toBe(bucketOf('a', 'bc'));
  });

  it('splits users by weight without a sample-ratio mismatch', () => {
    const weights = [1, 1, 2];
    const counts = [0, 0, 0];
    for (let i = 0; i < 40000; i++) counts[pickByWeight(weights, bucketOf('exp-split', `user${i}`))] += 1;
    expect(sampleRatioMismatch(counts, weights).mismatch).toBe(false);
    expect(counts[2] / 40000).toBeCloseTo(0.5, 1);
  });

  it('keeps assignments independent across experiments', () => {
    // Being in A of one experiment says nothing about the next: about half of A users are in A again.
    let a = 0;
    let both = 0;
    for (let i = 0; i < 20000; i++) {
      if (pickByWeight([1, 1], bucketOf('first', `u${i}`)) === 0) {
        a += 1;
        if (pickByWeight([1, 1], bucketOf('second', `u${i}`)) === 0) both += 1;
      }
    }
    expect(both / a).toBeGreaterThan(0.47);
    expect(both / a).toBeLessThan(0.53);
  });

  it('picks by cumulative weight', () => {
    expect(pickByWeight([1, 3], 0)).toBe(0);
    expect(pickByWeight([1, 3], 0.2499)).toBe(0);
    expect(pickByWeight([1, 3], 0.25)).toBe(1);
    expect(pickByWeight([1, 3], 0.9999999)).toBe(1);
  });
});

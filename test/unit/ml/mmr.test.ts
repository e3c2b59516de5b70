import { intraListSimilarity, mmrRerank } from '../../../src/ml/mmr';
import { cosine, weightedMean } from '../../../src/ml/vector';

describe('mmrRerank', () => {
  // Three near-duplicates with the highest scores, and two distinct items scored a little lower.
  const candidates = [
    { score: 0.95, vector: [1, 0, 0] },
    { score: 0.94, vector: [0.99, 0.01, 0] },
    { score: 0.93, vector: [0.98, 0.02, 0] },
    { score: 0.9, vector: [0, 1, 0] },
    { score: 0.89, vector: [0, 0, 1] },
  ];

  it('keeps relevance order with diversity 0', () => {
    expect(mmrRerank(candidates, 0, 3)).toEqual([0, 1, 2]);
  });

  it('brings distinct items forward as diversity rises, and lowers intra-list similarity', () => {
    const diverse = mmrRerank(candidates, 0.5, 3);
    expect(diverse[0]).toBe(0);
    expect(diverse).toEqual(expect.arrayContaining([3, 4]));
    const sim = (order: number[]): number => intraListSimilarity(order.map((i) => candidates[i].vector));
    expect(sim(diverse)).toBeLessThan(sim(mmrRerank(candidates, 0, 3)));
  });

  it('returns at most `take` distinct indices and copes with empty input', () => {
    const order = mmrRerank(candidates, 0.3, 10);
    expect(new Set(order).size).toBe(5);
    expect(mmrRerank([], 0.5, 3)).toEqual([]);
  });
});

describe('vector helpers', () => {
  it('computes cosine and weighted means', () => {
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([2, 0], [1, 0])).toBeCloseTo(1);
    expect(cosine([0, 0], [1, 0])).toBe(0);
    expect(weightedMean([[1, 0], [0, 1]], [3, 1])).toEqual([0.75, 0.25]);
  });
});

import { coverageAtK, hitRateAtK, ndcgAtK, recallAtK } from '../../../graph-models/eval/metrics';
import { topK } from '../../../graph-models/eval/top-k';

describe('ranking metrics', () => {
  const ranked = [5, 3, 8, 1, 9];
  const relevant = new Set([3, 9, 7]);

  it('computes Recall@K over all relevant items', () => {
    expect(recallAtK(ranked, relevant, 2)).toBeCloseTo(1 / 3);
    expect(recallAtK(ranked, relevant, 5)).toBeCloseTo(2 / 3);
    expect(recallAtK(ranked, new Set(), 5)).toBe(0);
  });

  it('computes NDCG@K with the ideal DCG over min(|relevant|, K)', () => {
    // hits at ranks 1 and 4 (0-based): 1/log2(3) + 1/log2(6); ideal 3 hits: 1 + 1/log2(3) + 1/2
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(6);
    expect(ndcgAtK(ranked, relevant, 5)).toBeCloseTo(dcg / (1 + 1 / Math.log2(3) + 0.5), 10);
    // K = 2: one hit at rank 1; ideal over 2 hits
    expect(ndcgAtK(ranked, relevant, 2)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 10);
    expect(ndcgAtK([3, 9, 7], relevant, 3)).toBeCloseTo(1, 12);
  });

  it('computes HitRate@K', () => {
    expect(hitRateAtK(ranked, relevant, 1)).toBe(0);
    expect(hitRateAtK(ranked, relevant, 2)).toBe(1);
  });

  it('computes catalogue coverage over all users\' top-K lists', () => {
    const lists = [
      [0, 1, 2],
      [1, 2, 3],
    ];
    expect(coverageAtK(lists, 10, 2)).toBeCloseTo(3 / 10); // {0,1,2}
    expect(coverageAtK(lists, 10, 3)).toBeCloseTo(4 / 10);
  });
});

describe('topK', () => {
  it('matches a full sort (score desc, index asc) on random scores with ties and masks', () => {
    let s = 12345;
    const rand = (): number => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 2 ** 32;
    };
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(rand() * 300);
      const scores = new Float32Array(n + 3);
      for (let i = 0; i < n; i++) {
        const r = rand();
        scores[3 + i] = r < 0.1 ? -Infinity : r < 0.15 ? Number.NaN : Math.round(r * 20) / 20;
      }
      const k = 1 + Math.floor(rand() * 40);
      const expected = Array.from({ length: n }, (_, i) => i)
        .filter((i) => scores[3 + i] > -Infinity)
        .sort((a, b) => scores[3 + b] - scores[3 + a] || a - b)
        .slice(0, k);
      expect(Array.from(topK({ scores, offset: 3, numItems: n, k }))).toEqual(expected);
    }
  });
});

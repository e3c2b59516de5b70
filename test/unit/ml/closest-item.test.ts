import { RecentVectors } from '../../../src/ml/closest-item';

describe('RecentVectors.closest', () => {
  it('names the recent item with the highest cosine, the first of equal ones', () => {
    const recent = new RecentVectors([
      { productId: 'a', vector: [1, 0] },
      { productId: 'b', vector: [0, 2] },
      { productId: 'c', vector: [0, 5] },
    ]);
    expect(recent.closest([0.1, 3])).toEqual({ productId: 'b', similarity: expect.closeTo(3 / Math.sqrt(9.01), 12) });
    expect(recent.closest([-1, 0])).toEqual({ productId: 'b', similarity: 0 });
    expect(recent.closest([0, -1])).toEqual({ productId: 'a', similarity: 0 });
    expect(recent.closest([2, 0.001])?.productId).toBe('a');
    expect(recent.closest(Float32Array.from([0, 1]))?.productId).toBe('b');
  });

  it('gives null without recent items, and 0 for a zero vector', () => {
    expect(new RecentVectors([]).closest([1, 1])).toBeNull();
    expect(new RecentVectors([{ productId: 'z', vector: [0, 0] }]).closest([1, 1])).toEqual({ productId: 'z', similarity: 0 });
  });
});

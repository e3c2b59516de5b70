import { closestItem, withNorms } from '../../../src/ml/closest-item';

describe('closestItem', () => {
  it('names the recent item with the highest cosine, the first of equal ones', () => {
    const recent = withNorms([
      { productId: 'a', vector: [1, 0] },
      { productId: 'b', vector: [0, 2] },
      { productId: 'c', vector: [0, 5] },
    ]);
    expect(closestItem([0.1, 3], recent)).toEqual({ productId: 'b', similarity: expect.closeTo(3 / Math.sqrt(9.01), 12) });
    expect(closestItem([-1, 0], recent)).toEqual({ productId: 'b', similarity: 0 });
    expect(closestItem([2, 0.001], recent)?.productId).toBe('a');
  });

  it('gives null without recent items', () => {
    expect(closestItem([1, 1], [])).toBeNull();
  });
});

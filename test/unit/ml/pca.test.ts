import { pca } from '../../../src/ml/pca';

describe('pca', () => {
  it('finds the direction of a line and explains all variance with it', () => {
    const points = Array.from({ length: 20 }, (_, i) => [i, 2 * i, -i]);
    const result = pca(points, 2);
    const norm = Math.sqrt(6);
    expect(result.components[0].map((v) => Math.abs(v))).toEqual([1 / norm, 2 / norm, 1 / norm].map((v) => expect.closeTo(v, 6)));
    expect(result.explainedVariance[0]).toBeCloseTo(1, 6);
    expect(result.explainedVariance[1]).toBeCloseTo(0, 6);
    // Projections keep distances along the line: neighbours are sqrt(6) apart.
    expect(Math.abs(result.points[1][0] - result.points[0][0])).toBeCloseTo(norm, 6);
  });

  it('orders components by variance and makes them orthogonal', () => {
    // Spread 10 along x, 3 along y, 0.1 along z, rotated by 30° in the x-y plane.
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    const raw = Array.from({ length: 200 }, (_, i) => [10 * Math.sin(i * 1.3), 3 * Math.cos(i * 0.7), 0.1 * Math.sin(i * 2.9)]);
    const points = raw.map(([x, y, z]) => [c * x - s * y, s * x + c * y, z]);
    const result = pca(points, 2);
    const [a, b] = result.components;
    expect(Math.abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2])).toBeLessThan(1e-6);
    expect(Math.abs(a[0])).toBeCloseTo(c, 2);
    expect(Math.abs(a[1])).toBeCloseTo(s, 2);
    expect(result.explainedVariance[0]).toBeGreaterThan(result.explainedVariance[1]);
    expect(result.explainedVariance[0] + result.explainedVariance[1]).toBeGreaterThan(0.99);
  });

  it('centres the data and separates two clusters on the first axis', () => {
    const cluster = (sign: number) => Array.from({ length: 10 }, (_, i) => [sign * 5 + Math.sin(i) * 0.2, Math.cos(i) * 0.2, 1]);
    const result = pca([...cluster(1), ...cluster(-1)], 2);
    const xs = result.points.map((p) => p[0]);
    expect(xs.slice(0, 10).every((x) => x * xs[0] > 0)).toBe(true);
    expect(xs.slice(10).every((x) => x * xs[0] < 0)).toBe(true);
    expect(xs.reduce((t, x) => t + x, 0)).toBeCloseTo(0, 6);
    expect(result.mean[2]).toBeCloseTo(1, 12);
  });

  it('is deterministic and copes with no data, one point and constant data', () => {
    const points = [[1, 2], [3, 1], [0, 5], [2, 2]];
    expect(pca(points)).toEqual(pca(points));
    expect(pca([]).points).toEqual([]);
    expect(pca([[1, 2, 3]]).points).toEqual([[0, 0]]);
    const constant = pca([[1, 1], [1, 1]]);
    expect(constant.points).toEqual([[0, 0], [0, 0]]);
    expect(constant.explainedVariance).toEqual([0, 0]);
  });
});

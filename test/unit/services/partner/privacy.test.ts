import { dayRange, keyedLaplace, releaseSums, suppressCells } from '../../../../src/services/partner/privacy';

describe('privacy rules', () => {
  it('snaps ranges to whole UTC days', () => {
    expect(dayRange(new Date('2026-03-02T15:00:00Z'), new Date('2026-03-03T01:00:00Z'))).toEqual({
      from: Date.parse('2026-03-02T00:00:00Z'),
      to: Date.parse('2026-03-04T00:00:00Z'),
    });
  });

  it('draws Laplace noise that repeats per key and has the right spread', () => {
    expect(keyedLaplace('s', 'a', 2)).toBe(keyedLaplace('s', 'a', 2));
    const draws = Array.from({ length: 20000 }, (_, i) => keyedLaplace('s', `k${i}`, 2));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const meanAbs = draws.reduce((a, b) => a + Math.abs(b), 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(meanAbs).toBeGreaterThan(1.9); // E|X| = scale
    expect(meanAbs).toBeLessThan(2.1);
  });

  it('sums only atoms with enough members, so subtracting overlapping ranges never gives a small atom', () => {
    const atoms = [
      { day: 'd1', key: 'x', members: 12, values: { clicks: 12 } },
      { day: 'd2', key: 'x', members: 3, values: { clicks: 3 } },
    ];
    const opts = { minMembers: 10, noiseScale: () => 0, secret: 's', scope: 'p', integerMetrics: ['clicks'] };
    const both = releaseSums({ atoms, ...opts }).get('x')?.values?.clicks;
    const first = releaseSums({ atoms: atoms.slice(0, 1), ...opts }).get('x')?.values?.clicks;
    expect((both ?? 0) - (first ?? 0)).toBe(0);
    expect(releaseSums({ atoms: atoms.slice(1), ...opts }).get('x')?.values).toBeNull();
  });

  it('hides a second cell when only one is small, so the total does not reveal it', () => {
    const cells = suppressCells([{ members: 60 }, { members: 70 }, { members: 3 }], 50);
    expect(cells.map((c) => c.suppressed)).toEqual([true, false, true]);
    expect(suppressCells([{ members: 60 }, { members: 4 }, { members: 3 }], 50).map((c) => c.suppressed)).toEqual([false, true, true]);
  });
});

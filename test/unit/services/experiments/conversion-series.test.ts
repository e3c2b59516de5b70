import { cumulativeConversion } from '../../../../src/services/experiments/conversion-series';
import { proportionInterval } from '../../../../src/services/experiments/statistics/rates';

const DAY = 24 * 3600 * 1000;
const start = Date.UTC(2026, 11, 1);

describe('cumulative conversion per variant, day by day', () => {
  const members = [
    { variant: 'control', firstAt: start + 1000, firstPurchaseAt: null },
    { variant: 'control', firstAt: start + DAY + 5, firstPurchaseAt: start + 2 * DAY + 5 },
    { variant: 'B', firstAt: start + 10, firstPurchaseAt: start + 20 },
    { variant: 'B', firstAt: start + 2 * DAY + 1, firstPurchaseAt: null },
    { variant: 'B', firstAt: start + 2 * DAY + 2, firstPurchaseAt: start + 2 * DAY + 3 },
  ];
  const until = start + 2 * DAY + 100;
  const [control, b] = cumulativeConversion(['control', 'B', 'C'], members, start, until);

  it('counts members exposed and converted by the end of each day, the last point at until', () => {
    expect(control.points.map((p) => p.at)).toEqual([start + DAY, start + 2 * DAY, until]);
    expect(control.points.map((p) => [p.users, p.conversions])).toEqual([[1, 0], [2, 0], [2, 1]]);
    expect(b.points.map((p) => [p.users, p.conversions])).toEqual([[1, 1], [1, 1], [3, 2]]);
  });

  it('gives each point the report’s Wilson interval', () => {
    expect(b.points[2].conversionRate).toEqual(proportionInterval(2, 3));
    expect(control.points[0].conversionRate).toEqual(proportionInterval(0, 1));
  });

  it('keeps a variant without members as zeros, and an experiment younger than a day as one point', () => {
    const [, , c] = cumulativeConversion(['control', 'B', 'C'], members, start, until);
    expect(c.points.every((p) => p.users === 0 && p.conversions === 0)).toBe(true);
    const [young] = cumulativeConversion(['B'], members.slice(2, 3), start, start + 3600_000);
    expect(young.points).toHaveLength(1);
    expect(young.points[0]).toMatchObject({ at: start + 3600_000, users: 1, conversions: 1 });
  });
});

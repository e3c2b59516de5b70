import { rocAuc, topKAccuracy } from '../../../src/ml/classification-metrics';
import { fitStandardizer, predictLogistic, predictSoftmax, standardize, trainLogistic, trainSoftmax } from '../../../src/ml/logistic-regression';
import { evaluateProfileModel, outcomeIn, ProfileSpec } from '../../../src/ml/profile-model';
import { DAY_MS, ProfileEvent, categoryShares, computeRfm, conversionTypesFor, quintile, quintileBreakpoints, scoreRfm } from '../../../src/ml/rfm';

const T = Date.UTC(2024, 0, 31);
const ev = (daysAgo: number, type: string, extra: Partial<ProfileEvent> = {}): ProfileEvent => ({
  at: T - daysAgo * DAY_MS, type, weight: 1, price: null, categoryIds: ['c:a'], ...extra,
});

describe('RFM', () => {
  it('computes recency, frequency and monetary from conversions before asOf', () => {
    const events = [ev(10, 'VIEW'), ev(5, 'PURCHASE', { price: 20 }), ev(3, 'PURCHASE', { price: 5 }), ev(-1, 'PURCHASE', { price: 99 })];
    expect(computeRfm(events, { asOf: T, conversionTypes: ['PURCHASE'], pricedMonetary: true })).toEqual({ recencyDays: 3, frequency: 2, monetary: 25 });
  });

  it('falls back to counting conversions when prices are not used (MovieLens)', () => {
    const events = [ev(2, 'RATE'), ev(1, 'RATE')];
    expect(computeRfm(events, { asOf: T, conversionTypes: ['RATE'], pricedMonetary: false })).toEqual({ recencyDays: 1, frequency: 2, monetary: 2 });
    expect(conversionTypesFor(new Map([['RATE', 10]]))).toEqual(['RATE']);
    expect(conversionTypesFor(new Map([['RATE', 10], ['PURCHASE', 1]]))).toEqual(['PURCHASE']);
  });

  it('scores quintiles against population breakpoints, lower recency being better', () => {
    const breaks = quintileBreakpoints([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(breaks).toEqual([3, 5, 7, 9]);
    expect(quintile(10, breaks)).toBe(5);
    expect(quintile(1, breaks)).toBe(1);
    expect(quintile(1, breaks, true)).toBe(5);
    const score = scoreRfm({ recencyDays: 1, frequency: 6, monetary: 10 }, { recency: breaks, frequency: breaks, monetary: breaks });
    expect(score).toEqual({ recency: 5, frequency: 3, monetary: 5, score: 13 / 3, code: '535' });
  });

  it('decays category shares by half-life and splits multi-category events', () => {
    const shares = categoryShares([ev(0, 'VIEW', { categoryIds: ['x'] }), ev(30, 'VIEW', { categoryIds: ['y', 'z'], weight: 2 })], { asOf: T, halfLifeDays: 30 });
    // x: 1, y and z: 2 * 0.5 / 2 = 0.5 each; total 2.
    expect(shares).toEqual([{ categoryId: 'x', share: 0.5 }, { categoryId: 'y', share: 0.25 }, { categoryId: 'z', share: 0.25 }]);
  });
});

describe('logistic and softmax regression', () => {
  it('learns a separable rule and keeps probabilities ordered', () => {
    const x = [[-2], [-1], [-0.5], [0.5], [1], [2]];
    const model = trainLogistic(x, [0, 0, 0, 1, 1, 1], { iterations: 500 });
    expect(model.weights[0]).toBeGreaterThan(0);
    expect(predictLogistic(model, [2])).toBeGreaterThan(0.8);
    expect(predictLogistic(model, [-2])).toBeLessThan(0.2);
    expect(predictLogistic({ weights: [0], bias: 0 }, [5])).toBe(0.5);
  });

  it('predicts the class of each region with softmax', () => {
    const x = [[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9], [-1, -1], [-0.9, -1]];
    const model = trainSoftmax(x, [0, 0, 1, 1, 2, 2], 3, { iterations: 500 });
    const argmax = (p: number[]): number => p.indexOf(Math.max(...p));
    expect([[1, 0], [0, 1], [-1, -1]].map((row) => argmax(predictSoftmax(model, row)))).toEqual([0, 1, 2]);
    expect(predictSoftmax(model, [0, 0]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('standardizes with the training mean and std, leaving constant columns at 0', () => {
    const s = fitStandardizer([[1, 5], [3, 5]]);
    expect(standardize(s, [3, 5])).toEqual([1, 0]);
  });
});

describe('metrics', () => {
  it('computes AUC with ties as one half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 10);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
  });

  it('computes top-k accuracy', () => {
    expect(topKAccuracy([['a', 'b', 'c'], ['b', 'c', 'd'], ['a']], ['c', 'a', 'a'], 3)).toBeCloseTo(2 / 3, 10);
  });
});

describe('profile model', () => {
  const spec: ProfileSpec = { categories: ['c:a', 'c:b'], conversionTypes: ['PURCHASE'], pricedMonetary: false, halfLifeDays: 30, windowDays: 10 };

  it('labels the next window by conversion and by the heaviest category', () => {
    const events = [ev(15, 'PURCHASE'), ev(5, 'VIEW', { categoryIds: ['c:b'], weight: 3 }), ev(4, 'VIEW')];
    expect(outcomeIn(events, T - 10 * DAY_MS, T, spec)).toEqual({ converted: false, nextCategory: 'c:b' });
  });

  it('beats chance on synthetic users whose past predicts their future', () => {
    // Loyal buyers of a category keep buying it; lapsed users stay away.
    const users: ProfileEvent[][] = [];
    for (let u = 0; u < 80; u++) {
      const loyal = u % 2 === 0;
      const category = u % 4 < 2 ? 'c:a' : 'c:b';
      const events: ProfileEvent[] = [];
      for (let d = 40; d >= 0; d -= loyal ? 2 : 100) events.push(ev(d + (loyal ? 0 : 5), loyal ? 'PURCHASE' : 'VIEW', { categoryIds: [category] }));
      if (!loyal) events.push(ev(35, 'VIEW', { categoryIds: [category] }));
      users.push(events);
    }
    const evaluation = evaluateProfileModel(users, T, spec, { seed: 1 });
    const value = (model: string): number => evaluation.rows.find((r) => r.model === model)?.value ?? NaN;
    expect(value('logistic regression')).toBeGreaterThan(0.9);
    expect(value('softmax regression')).toBe(1);
  });
});

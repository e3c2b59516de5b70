import { rocAuc, topKAccuracy } from '../../../src/ml/classification-metrics';
import {
  fitStandardizer,
  predictConditionalLogit,
  predictLogistic,
  predictSoftmax,
  standardize,
  trainConditionalLogit,
  trainLogistic,
  trainSoftmax,
} from '../../../src/ml/logistic-regression';
import { outcomeIn, predict, ProfileSpec, splitOrigins, trainProfileModel } from '../../../src/ml/profile';
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

  it('stops once no step moves a parameter by more than the tolerance', () => {
    const x = [[-2, 1], [-1, 0.5], [-0.5, -1], [0.5, 1], [1, -0.5], [2, 0], [0.2, 0.3], [-0.3, 0.1]];
    const y = [0, 0, 1, 0, 1, 1, 1, 0];
    const converged = trainLogistic(x, y, { iterations: 5000, l2: 0.1 });
    const exhaustive = trainLogistic(x, y, { iterations: 5000, l2: 0.1, tolerance: 0 });
    converged.weights.forEach((w, j) => expect(w).toBeCloseTo(exhaustive.weights[j], 4));
    expect(converged.bias).toBeCloseTo(exhaustive.bias, 4);
    // Any first step moves more than 1e-9: tolerance 1 stops after it, 1e-9 keeps going.
    expect(trainLogistic(x, y, { iterations: 5000, tolerance: 1 })).toEqual(trainLogistic(x, y, { iterations: 1 }));
    expect(trainLogistic(x, y, { iterations: 50, tolerance: 1e-9 })).not.toEqual(trainLogistic(x, y, { iterations: 1 }));
    const rows = x.map(([a, b]) => ({ u: [[a], [b]], x: [a * b] }));
    const one = trainConditionalLogit(rows, y, 2, { iterations: 1 });
    expect(trainConditionalLogit(rows, y, 2, { iterations: 5000, tolerance: 1 })).toEqual(one);
  });

  it('weights rows: a row of weight 2 trains like the row twice', () => {
    const x = [[-1], [0.5], [1]];
    const weighted = trainLogistic(x, [0, 0, 1], { sampleWeights: [2, 1, 1] });
    const duplicated = trainLogistic([[-1], [-1], [0.5], [1]], [0, 0, 0, 1]);
    expect(weighted.weights[0]).toBeCloseTo(duplicated.weights[0], 10);
    expect(weighted.bias).toBeCloseTo(duplicated.bias, 10);
  });

  it('learns a shared coefficient and a per-class bias in the conditional logit', () => {
    // Class 0 is chosen when the row's own share says so (shared feature); class 2 is a trend
    // that wins whenever the own share is split evenly.
    const rows = [
      { u: [[1], [0], [0]], x: [] },
      { u: [[0], [1], [0]], x: [] },
      { u: [[0.5], [0.5], [0]], x: [] },
      { u: [[0.5], [0.5], [0]], x: [] },
    ];
    const model = trainConditionalLogit(rows, [0, 1, 2, 2], 3, { iterations: 2000 });
    expect(model.shared[0]).toBeGreaterThan(0);
    const argmax = (p: number[]): number => p.indexOf(Math.max(...p));
    expect(rows.map((r) => argmax(predictConditionalLogit(model, r)))).toEqual([0, 1, 2, 2]);
    expect(predictConditionalLogit(model, rows[0]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
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

  /**
   * 40 users with an event exactly at every origin instant (every 10 days over 200 days), so
   * recency is 0 for everybody at every origin and the recency baseline can only tie (AUC 0.5).
   * Heavy users' events are PURCHASEs in category a, light users' VIEWs in category b: frequency
   * separates converters perfectly (AUC 1), and the own-category baseline is already perfect.
   */
  function world(): ProfileEvent[][] {
    return Array.from({ length: 40 }, (_, u) => {
      const heavy = u % 2 === 0;
      return Array.from({ length: 21 }, (_, k) => ev(k * 10, heavy ? 'PURCHASE' : 'VIEW', { categoryIds: [heavy ? 'c:a' : 'c:b'] }));
    });
  }

  it('splits origins into train, validation and test blocks with no label window crossing a cutoff', () => {
    const { train, validation, test } = splitOrigins(world(), T, spec);
    // 20 origins W apart; 20 converters each, so an eval block stops at 5 origins (100 converters),
    // which is also the cap of a quarter of the origins.
    expect(test.origins).toEqual([5, 4, 3, 2, 1].map((j) => T - j * 10 * DAY_MS));
    expect(validation.origins).toEqual([10, 9, 8, 7, 6].map((j) => T - j * 10 * DAY_MS));
    expect(train.origins).toHaveLength(10);
    expect(Math.max(...train.origins) + 10 * DAY_MS).toBeLessThanOrEqual(Math.min(...validation.origins));
    expect(test.positives).toBe(100);
  });

  it('serves the learned propensity model where it wins on validation and the baseline where it does not', () => {
    const users = world();
    const { model, evaluation } = trainProfileModel(users, T, spec, { seed: 1 });
    const row = (task: string, kind: string) => evaluation.rows.find((r) => r.task === task && r.kind === kind);
    expect(row('purchase propensity', 'baseline')).toMatchObject({ validation: 0.5, test: 0.5, validationRows: 200, testRows: 200, served: false });
    expect(row('purchase propensity', 'model')).toMatchObject({ validation: 1, test: 1, served: true });
    // Both are perfect on next category: a tie keeps the simpler baseline.
    expect(row('next category', 'baseline')).toMatchObject({ validation: 1, test: 1, served: true });
    expect(row('next category', 'model')?.served).toBe(false);
    expect(evaluation.served).toEqual({ propensity: 'model', nextCategory: 'baseline' });
    expect(model.propensity.served).toBe('model');
    expect(model.nextCategory.served).toBe('baseline');
    expect(evaluation.validation.to).toBeLessThanOrEqual(evaluation.test.from);
    expect(evaluation.test.to).toBe(T);

    const heavy = predict(model, users[0], T);
    const light = predict(model, users[1], T);
    expect(heavy.propensity).toBeGreaterThan(0.9);
    expect(light.propensity).toBeLessThan(0.1);
    expect(heavy.served).toEqual({ propensity: 'model', nextCategory: 'baseline' });
    // The baseline serves the user's own decayed shares as probabilities.
    expect(heavy.nextCategories).toEqual([{ categoryId: 'c:a', probability: 1 }, { categoryId: 'c:b', probability: 0 }]);
  });
});

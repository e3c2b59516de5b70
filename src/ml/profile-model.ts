/**
 * The profile model: purchase propensity (logistic regression) and next categories (softmax
 * regression) from RFM and category-share features. Trained with a time cutoff T: features from
 * events up to T, labels from the window (T, T + window]. Evaluated on a later, held-out window
 * against simple baselines (recency alone; the user's own most frequent categories).
 */
import { rocAuc, topKAccuracy } from './classification-metrics';
import {
  LogisticModel,
  SoftmaxModel,
  Standardizer,
  fitStandardizer,
  predictLogistic,
  predictSoftmax,
  standardize,
  trainLogistic,
  trainSoftmax,
} from './logistic-regression';
import { DAY_MS, ProfileEvent, categoryShares, computeRfm } from './rfm';
import { sampleIndices } from './seeded-sample';

export interface ProfileSpec {
  /** The categories the next-category model can predict (most frequent ones). */
  categories: string[];
  conversionTypes: string[];
  pricedMonetary: boolean;
  halfLifeDays: number;
  windowDays: number;
}

export interface ProfileModel {
  spec: ProfileSpec;
  featureNames: string[];
  standardizer: Standardizer;
  propensity: LogisticModel;
  nextCategory: SoftmaxModel;
}

export interface Prediction {
  propensity: number;
  nextCategories: { categoryId: string; probability: number }[];
}

export function featureNames(spec: ProfileSpec): string[] {
  return ['log1p(recencyDays)', 'log1p(frequency)', 'log1p(monetary)', 'log1p(events)', 'log1p(eventsInLastWindow)', ...spec.categories.map((c) => `share:${c}`)];
}

/** Raw (unstandardized) features of one user as of `asOf`. */
export function profileFeatures(events: readonly ProfileEvent[], asOf: number, spec: ProfileSpec): number[] {
  const rfm = computeRfm(events, { asOf, conversionTypes: spec.conversionTypes, pricedMonetary: spec.pricedMonetary });
  let total = 0;
  let recent = 0;
  for (const e of events) {
    if (e.at > asOf) continue;
    total += 1;
    if (e.at > asOf - spec.windowDays * DAY_MS) recent += 1;
  }
  const shares = new Map(categoryShares(events, { asOf, halfLifeDays: spec.halfLifeDays }).map((s) => [s.categoryId, s.share]));
  return [
    Math.log1p(rfm.recencyDays ?? 10 * 365),
    Math.log1p(rfm.frequency),
    Math.log1p(rfm.monetary),
    Math.log1p(total),
    Math.log1p(recent),
    ...spec.categories.map((c) => shares.get(c) ?? 0),
  ];
}

export interface Outcome {
  converted: boolean;
  /** The category with the most event weight in the window, among `spec.categories`; null if none. */
  nextCategory: string | null;
}

export function outcomeIn(events: readonly ProfileEvent[], from: number, to: number, spec: ProfileSpec): Outcome {
  const vocabulary = new Set(spec.categories);
  const totals = new Map<string, number>();
  let converted = false;
  for (const e of events) {
    if (e.at <= from || e.at > to) continue;
    if (spec.conversionTypes.includes(e.type)) converted = true;
    for (const c of e.categoryIds) if (vocabulary.has(c)) totals.set(c, (totals.get(c) ?? 0) + e.weight / e.categoryIds.length);
  }
  let nextCategory: string | null = null;
  let best = 0;
  for (const [c, w] of totals) if (w > best || (w === best && nextCategory !== null && c < nextCategory)) [nextCategory, best] = [c, w];
  return { converted, nextCategory };
}

export function predict(model: ProfileModel, events: readonly ProfileEvent[], asOf: number): Prediction {
  const x = standardize(model.standardizer, profileFeatures(events, asOf, model.spec));
  const probabilities = predictSoftmax(model.nextCategory, x);
  return {
    propensity: predictLogistic(model.propensity, x),
    nextCategories: model.spec.categories
      .map((categoryId, i) => ({ categoryId, probability: probabilities[i] }))
      .sort((a, b) => b.probability - a.probability),
  };
}

export interface FitOptions {
  seed: number;
  /** Train on at most this many users (seeded sample), bounding time on large user bases. */
  maxRows?: number;
}

/** Users with at least one event up to the cutoff are the population at that cutoff. */
function population(users: readonly (readonly ProfileEvent[])[], cutoff: number): number[] {
  const rows: number[] = [];
  users.forEach((events, i) => {
    if (events.some((e) => e.at <= cutoff)) rows.push(i);
  });
  return rows;
}

export function fitProfileModel(users: readonly (readonly ProfileEvent[])[], cutoff: number, spec: ProfileSpec, options: FitOptions): ProfileModel {
  const all = population(users, cutoff);
  const rows = sampleIndices(all.length, options.maxRows ?? 20000, options.seed).map((i) => all[i]);
  const raw = rows.map((i) => profileFeatures(users[i], cutoff, spec));
  const standardizer = fitStandardizer(raw);
  const x = raw.map((r) => standardize(standardizer, r));
  const outcomes = rows.map((i) => outcomeIn(users[i], cutoff, cutoff + spec.windowDays * DAY_MS, spec));
  const propensity = trainLogistic(x, outcomes.map((o) => (o.converted ? 1 : 0)));
  const classIndex = new Map(spec.categories.map((c, i) => [c, i]));
  const labelled = outcomes.flatMap((o, i) => (o.nextCategory === null ? [] : [{ x: x[i], y: classIndex.get(o.nextCategory) as number }]));
  const nextCategory = trainSoftmax(labelled.map((r) => r.x), labelled.map((r) => r.y), spec.categories.length);
  return { spec, featureNames: featureNames(spec), standardizer, propensity, nextCategory };
}

/** The categories most present in events up to `cutoff`, by event count. */
export function topCategories(users: readonly (readonly ProfileEvent[])[], cutoff: number, limit: number): string[] {
  const counts = new Map<string, number>();
  for (const events of users) for (const e of events) if (e.at <= cutoff) for (const c of e.categoryIds) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([c]) => c);
}

/** A window long enough to hold the last `fraction` of all events, in whole days (at least 1). */
export function windowDaysFor(eventTimes: readonly number[], fraction = 0.1): number {
  if (eventTimes.length === 0) return 30;
  const sorted = [...eventTimes].sort((a, b) => a - b);
  const end = sorted[sorted.length - 1];
  const start = sorted[Math.floor((1 - fraction) * (sorted.length - 1))];
  return Math.max(1, Math.ceil((end - start) / DAY_MS));
}

export interface EvaluationRow {
  task: 'purchase propensity' | 'next category';
  model: string;
  metric: 'AUC' | 'top-3 accuracy';
  value: number;
  users: number;
}

export interface Evaluation {
  trainCutoff: number;
  testCutoff: number;
  dataEnd: number;
  windowDays: number;
  positives: number;
  rows: EvaluationRow[];
}

/**
 * Held-out evaluation: fit at T_train = end - 2 windows (labels from the next window), test at
 * T_test = end - 1 window on the last window, which the fit never saw.
 */
export function evaluateProfileModel(
  users: readonly (readonly ProfileEvent[])[],
  dataEnd: number,
  spec: ProfileSpec,
  options: FitOptions,
): Evaluation {
  const window = spec.windowDays * DAY_MS;
  const testCutoff = dataEnd - window;
  const trainCutoff = testCutoff - window;
  const model = fitProfileModel(users, trainCutoff, spec, options);
  const rows = population(users, testCutoff);
  const outcomes = rows.map((i) => outcomeIn(users[i], testCutoff, dataEnd, spec));
  const labels = outcomes.map((o) => (o.converted ? 1 : 0));
  const predictions = rows.map((i) => predict(model, users[i], testCutoff));
  const recencyScores = rows.map((i) => -(computeRfm(users[i], { asOf: testCutoff, conversionTypes: spec.conversionTypes, pricedMonetary: spec.pricedMonetary }).recencyDays ?? Infinity));

  const popularity = topCategories(users, testCutoff, spec.categories.length).filter((c) => spec.categories.includes(c));
  const withCategory = outcomes.flatMap((o, j) => (o.nextCategory === null ? [] : [j]));
  const truth = withCategory.map((j) => outcomes[j].nextCategory as string);
  const modelRanking = withCategory.map((j) => predictions[j].nextCategories.map((c) => c.categoryId));
  const baselineRanking = withCategory.map((j) => {
    const own = categoryShares(users[rows[j]], { asOf: testCutoff, halfLifeDays: spec.halfLifeDays })
      .map((s) => s.categoryId)
      .filter((c) => spec.categories.includes(c));
    return [...own, ...popularity.filter((c) => !own.includes(c))];
  });
  return {
    trainCutoff,
    testCutoff,
    dataEnd,
    windowDays: spec.windowDays,
    positives: labels.filter((l) => l === 1).length,
    rows: [
      { task: 'purchase propensity', model: 'logistic regression', metric: 'AUC', value: rocAuc(predictions.map((p) => p.propensity), labels), users: rows.length },
      { task: 'purchase propensity', model: 'baseline: recency only', metric: 'AUC', value: rocAuc(recencyScores, labels), users: rows.length },
      { task: 'next category', model: 'softmax regression', metric: 'top-3 accuracy', value: topKAccuracy(modelRanking, truth, 3), users: truth.length },
      { task: 'next category', model: 'baseline: most frequent categories', metric: 'top-3 accuracy', value: topKAccuracy(baselineRanking, truth, 3), users: truth.length },
    ],
  };
}

export function formatEvaluation(evaluation: Evaluation): string {
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  const header = ['task', 'model', 'metric', 'value', 'users'];
  const body = evaluation.rows.map((r) => [r.task, r.model, r.metric, Number.isNaN(r.value) ? 'n/a' : r.value.toFixed(4), String(r.users)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [
    `train cutoff ${day(evaluation.trainCutoff)}, test window ${day(evaluation.testCutoff)} .. ${day(evaluation.dataEnd)} (${evaluation.windowDays} days), ${evaluation.positives} converting users in the test window`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}

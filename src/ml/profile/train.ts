/**
 * Trains the profile model: selects each predictor on validation, tests once, refits for serving.
 *
 * Protocol (time-based, no look-ahead; see `evaluate-profile`):
 *  - Origins t_j = dataEnd - j·W (W = `windowDays`, j = 1, 2, …, while some user has an event by
 *    t_j). An example is (user with an event by t_j, t_j): features from events up to t_j, labels
 *    from (t_j, t_j + W]. Label windows of different origins never overlap.
 *  - Test block: the latest origins, as many as needed to hold MIN_EVAL_POSITIVES converting
 *    users and MIN_EVAL_POSITIVES users with a next category, but at most a quarter of the origins.
 *    Validation block: the origins just before, chosen the same way. Training: every earlier
 *    origin, so every training label window ends by the validation cutoff, and every validation
 *    label window by the test cutoff.
 *  - Selection: each hyperparameter setting (feature set, L2 strength, class weighting) is fitted
 *    on training and scored on validation (AUC; top-3 accuracy, then log-loss). The best setting is
 *    compared with the baseline on validation; the learned model is served only if it is strictly
 *    better there, otherwise (also when validation cannot tell) the baseline is served.
 *  - Test, once: the chosen setting and the baseline's calibration are refitted on training +
 *    validation and scored on the test block, pooled over its origins. Nothing is chosen on test.
 *  - Serving: the chosen predictor refitted on all origins (labels up to dataEnd).
 */
import { DAY_MS, ProfileEvent } from '../rfm';
import { sampleIndices } from '../seeded-sample';
import { Example, examplesOf } from './examples';
import {
  CandidateScore,
  Evaluation,
  categoryScores,
  describeCategory,
  describePropensity,
  propensityAuc,
  row,
  summary,
} from './evaluation';
import { CATEGORY_FEATURE_SETS, PROPENSITY_FEATURE_SETS, categoryPopularity, userFeatureNames } from './features';
import { CategoryConfig, PropensityConfig, fitCategory, fitPropensity } from './fitting';
import type { ProfileModel, ProfileSpec, Served } from './model';
import { Block, MIN_EVAL_POSITIVES, TRAIN_STRIDES, splitOrigins, trainingBlock } from './origins';

/** Hyperparameter grids searched on the validation block. */
export const L2_GRID = [1e-3, 1e-2, 1e-1, 1];
/** Weights of the learned next-category probabilities against the user's own shares. */
export const BLEND_GRID = [0.1, 0.25, 0.5, 0.75, 1];

export interface FitOptions {
  seed: number;
  /** At most this many examples (seeded sample) per block, bounding time on large user bases. */
  maxRows?: number;
  /** At most this many labelled examples to train the next-category model on. */
  maxCategoryRows?: number;
}


const better = (a: number, b: number): boolean => !Number.isNaN(a) && (Number.isNaN(b) || a > b);

export interface TrainedProfile {
  model: ProfileModel;
  evaluation: Evaluation;
}

/**
 * Runs the whole protocol: split, select on validation, test once, refit the chosen predictors on
 * every origin for serving. `evaluate-profile` prints the evaluation; `segment` also stores the model.
 */
export function trainProfileModel(users: readonly (readonly ProfileEvent[])[], dataEnd: number, spec: ProfileSpec, options: FitOptions): TrainedProfile {
  const window = spec.windowDays * DAY_MS;
  const maxRows = options.maxRows ?? 20000;
  const maxCategoryRows = options.maxCategoryRows ?? 5000;
  const names = userFeatureNames(spec);
  const classes = spec.categories.length;
  const split = splitOrigins(users, dataEnd, spec);
  const testCutoff = split.test.origins.length ? split.test.origins[0] : dataEnd;
  const validationCutoff = split.validation.origins.length ? split.validation.origins[0] : testCutoff;
  const trainBlock = trainingBlock(users, validationCutoff, spec);
  const train = examplesOf(users, trainBlock, spec, maxRows, options.seed);
  const validation = examplesOf(users, split.validation, spec, maxRows * 2, options.seed + 1);
  const test = examplesOf(users, split.test, spec, maxRows * 2, options.seed + 2);
  const categoryTrain = (rows: Example[]): Example[] => {
    const labelled = rows.filter((r) => r.next >= 0);
    return sampleIndices(labelled.length, maxCategoryRows, options.seed + 3).map((i) => labelled[i]);
  };

  // Selection on validation.
  const candidates: CandidateScore[] = [];
  let bestP: { config: PropensityConfig; auc: number } | null = null;
  for (const featureSet of Object.keys(PROPENSITY_FEATURE_SETS)) for (const l2 of L2_GRID) for (const classWeighting of [false, true]) {
    const config = { featureSet, l2, classWeighting };
    const auc = propensityAuc(fitPropensity(train, names, config), names, validation);
    candidates.push({ task: 'purchase propensity', config: describePropensity(config), validation: auc });
    if (!bestP || better(auc, bestP.auc)) bestP = { config, auc };
  }
  let bestC: { config: CategoryConfig; accuracy: number; logLoss: number } | null = null;
  const trainC = categoryTrain(train);
  for (const featureSet of Object.keys(CATEGORY_FEATURE_SETS)) for (const l2 of CATEGORY_FEATURE_SETS[featureSet].user ? L2_GRID : [0]) {
    // L2 only acts on the per-category weights of user features; sets without them need one fit.
    const fit = fitCategory(trainC, names, classes, { featureSet, l2, blend: 1 });
    for (const blend of BLEND_GRID) {
      const config = { featureSet, l2, blend };
      const score = categoryScores(fit, names, validation, blend);
      candidates.push({ task: 'next category', config: describeCategory(config), validation: score.accuracy });
      if (!bestC || better(score.accuracy, bestC.accuracy) || (score.accuracy === bestC.accuracy && better(-score.logLoss, -bestC.logLoss))) {
        bestC = { config, ...score };
      }
    }
  }
  const propensityConfig = (bestP as { config: PropensityConfig }).config;
  const categoryConfig = (bestC as { config: CategoryConfig }).config;
  const baselineConfig: PropensityConfig = { featureSet: 'recency', l2: 1e-3, classWeighting: false };
  const validationP = { model: (bestP as { auc: number }).auc, baseline: propensityAuc('recency', names, validation) };
  const validationC = { model: (bestC as { accuracy: number }).accuracy, baseline: categoryScores('baseline', names, validation).accuracy };
  const served = {
    propensity: (better(validationP.model, validationP.baseline) ? 'model' : 'baseline') as Served,
    nextCategory: (better(validationC.model, validationC.baseline) ? 'model' : 'baseline') as Served,
  };

  // Test, once: refit on every training origin before the test cutoff (train + validation).
  const trainVal = examplesOf(users, trainingBlock(users, testCutoff, spec), spec, maxRows, options.seed + 4);
  const testP = {
    model: propensityAuc(fitPropensity(trainVal, names, propensityConfig), names, test),
    baseline: propensityAuc('recency', names, test),
  };
  const testC = {
    model: categoryScores(fitCategory(categoryTrain(trainVal), names, classes, categoryConfig), names, test).accuracy,
    baseline: categoryScores('baseline', names, test).accuracy,
  };

  // Serving: refit on every training origin up to the data end.
  const everything = examplesOf(users, trainingBlock(users, dataEnd, spec), spec, maxRows, options.seed + 5);
  const popularity = categoryPopularity(users, dataEnd, spec);
  const model: ProfileModel = {
    format: 2,
    spec,
    popularity,
    propensity: { served: served.propensity, model: fitPropensity(everything, names, propensityConfig), baseline: fitPropensity(everything, names, baselineConfig) },
    nextCategory: { served: served.nextCategory, model: fitCategory(categoryTrain(everything), names, classes, categoryConfig) },
  };

  const labelledRows = (rows: Example[]): number => rows.filter((r) => r.next >= 0).length;
  const day = (ms: number): string => (Number.isNaN(ms) ? 'n/a' : new Date(ms).toISOString().slice(0, 10));
  const span = (b: Block): string => (b.origins.length ? `${day(b.origins[0])} .. ${day(b.origins[b.origins.length - 1] + window)}` : 'none');
  const evaluation: Evaluation = {
    dataEnd,
    windowDays: spec.windowDays,
    train: summary(trainBlock, window),
    validation: summary(split.validation, window),
    test: summary(split.test, window),
    candidates,
    served,
    rows: [
      row('purchase propensity', describePropensity(propensityConfig), 'model', 'AUC', validationP.model, testP.model, validation.length, test.length, served.propensity === 'model'),
      row('purchase propensity', 'baseline: recency only', 'baseline', 'AUC', validationP.baseline, testP.baseline, validation.length, test.length, served.propensity === 'baseline'),
      row('next category', describeCategory(categoryConfig), 'model', 'top-3 accuracy', validationC.model, testC.model, labelledRows(validation), labelledRows(test), served.nextCategory === 'model'),
      row('next category', 'baseline: own decayed category shares', 'baseline', 'top-3 accuracy', validationC.baseline, testC.baseline, labelledRows(validation), labelledRows(test), served.nextCategory === 'baseline'),
    ],
    protocol: [
      `window W = ${spec.windowDays} days; origins every W back from the data end ${day(dataEnd)}; an example is (user with an event by the origin, origin), features up to the origin, labels in the next W`,
      `train: ${trainBlock.origins.length} origins W/${TRAIN_STRIDES} apart, label windows ${span(trainBlock)} (${train.length} examples used, ${trainBlock.positives} converting, ${trainBlock.labelled} with a next category)`,
      `validation: ${split.validation.origins.length} origins, label windows ${span(split.validation)} (${split.validation.pairs.length} examples, ${split.validation.positives} converting, ${split.validation.labelled} with a next category); hyperparameters and the served predictor chosen here`,
      `test: ${split.test.origins.length} origins, label windows ${span(split.test)} (${split.test.pairs.length} examples, ${split.test.positives} converting, ${split.test.labelled} with a next category); scored once, models refitted on train + validation, metrics pooled over the origins`,
      `eval blocks take the latest origins until they hold ${MIN_EVAL_POSITIVES} converting and ${MIN_EVAL_POSITIVES} labelled examples, at most a quarter of the ${split.train.origins.length + split.validation.origins.length + split.test.origins.length} origins W apart each`,
      `the learned model is served only if strictly better than its baseline on validation; the served predictor is refitted on training origins up to the data end`,
    ],
  };
  return { model, evaluation };
}

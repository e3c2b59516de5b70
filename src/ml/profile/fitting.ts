/** Fitting and scoring the two learned predictors (propensity, next category) and the category baseline. */
import {
  ConditionalLogitRow,
  Standardizer,
  fitStandardizer,
  predictConditionalLogit,
  predictLogistic,
  standardize,
  trainConditionalLogit,
  trainLogistic,
} from '../logistic-regression';
import type { Example } from './examples';
import { CATEGORY_FEATURE_SETS, CategoryView, PROPENSITY_FEATURE_SETS, SHARED } from './features';
import type { CategoryFit, PropensityFit } from './model';

/** `fitStandardizer`, or the identity when there are no rows to learn from. */
function fitScaler(raw: number[][], dim: number): Standardizer {
  return raw.length > 0 ? fitStandardizer(raw) : { mean: new Array<number>(dim).fill(0), std: new Array<number>(dim).fill(1) };
}

function columns(all: string[], wanted: string[]): number[] {
  return wanted.map((w) => all.indexOf(w)).filter((i) => i >= 0);
}

export interface PropensityConfig {
  featureSet: string;
  l2: number;
  classWeighting: boolean;
}

export function fitPropensity(rows: readonly Example[], names: string[], config: PropensityConfig): PropensityFit {
  const featureNames = PROPENSITY_FEATURE_SETS[config.featureSet](names).filter((n) => names.includes(n));
  const cols = columns(names, featureNames);
  const raw = rows.map((r) => cols.map((j) => r.features[j]));
  const standardizer = fitScaler(raw, cols.length);
  const x = raw.map((r) => standardize(standardizer, r));
  const y = rows.map((r) => r.converted);
  const positives = y.reduce((a, b) => a + b, 0);
  const negatives = y.length - positives;
  const weighted = config.classWeighting && positives > 0 && negatives > 0;
  const model = trainLogistic(x, y, {
    l2: config.l2,
    iterations: 400,
    sampleWeights: weighted ? y.map((v) => (v === 1 ? y.length / (2 * positives) : y.length / (2 * negatives))) : undefined,
  });
  // Balanced weights train at a 50% prior; shift the intercept back to the real base rate.
  if (weighted) model.bias += Math.log(positives / negatives);
  return { ...config, featureNames, standardizer, model };
}

export function scorePropensity(fit: PropensityFit, names: string[], features: readonly number[]): number {
  const cols = columns(names, fit.featureNames);
  return predictLogistic(fit.model, standardize(fit.standardizer, cols.map((j) => features[j])));
}

export interface CategoryConfig {
  featureSet: string;
  l2: number;
  /** Weight of the learned probabilities against the baseline's (the user's own decayed shares). */
  blend: number;
}

function categoryRow(fit: Pick<CategoryFit, 'sharedNames' | 'userFeatureNames' | 'sharedStandardizer' | 'userStandardizer'>, names: string[], view: CategoryView, features: readonly number[]): ConditionalLogitRow {
  const sharedCols = columns([...SHARED], fit.sharedNames);
  const userCols = columns(names, fit.userFeatureNames);
  return {
    u: view.shared.map((u) => standardize(fit.sharedStandardizer, sharedCols.map((k) => u[k]))),
    x: standardize(fit.userStandardizer, userCols.map((j) => features[j])),
  };
}

export function fitCategory(rows: readonly Example[], names: string[], classes: number, config: CategoryConfig): CategoryFit {
  const set = CATEGORY_FEATURE_SETS[config.featureSet];
  const sharedNames = set.shared;
  const userFeatureNames = set.user ? names : [];
  const sharedCols = columns([...SHARED], sharedNames);
  const userCols = columns(names, userFeatureNames);
  const labelled = rows.filter((r) => r.next >= 0 && r.view);
  const sharedStandardizer = fitScaler(labelled.flatMap((r) => (r.view as CategoryView).shared.map((u) => sharedCols.map((k) => u[k]))), sharedCols.length);
  const userStandardizer = fitScaler(labelled.map((r) => userCols.map((j) => r.features[j])), userCols.length);
  const scaling = { sharedNames, userFeatureNames, sharedStandardizer, userStandardizer };
  const model = trainConditionalLogit(
    labelled.map((r) => categoryRow(scaling, names, r.view as CategoryView, r.features)),
    labelled.map((r) => r.next),
    classes,
    { l2: config.l2, iterations: 300 },
  );
  return { ...config, ...scaling, model };
}

export function categoryProbabilities(fit: CategoryFit, names: string[], view: CategoryView, features: readonly number[], blend = fit.blend): number[] {
  const learned = predictConditionalLogit(fit.model, categoryRow(fit, names, view, features));
  if (blend >= 1) return learned;
  const own = baselineProbabilities(view);
  return learned.map((p, c) => blend * p + (1 - blend) * own[c]);
}

/** The baseline's category probabilities: the user's own decayed shares, else popularity. */
export function baselineProbabilities(view: CategoryView): number[] {
  return view.decayed.some((s) => s > 0) ? view.decayed : [...view.popularity];
}

export function rankBy(probabilities: readonly number[], popularity: readonly number[]): number[] {
  return probabilities.map((_, c) => c).sort((a, b) => probabilities[b] - probabilities[a] || popularity[b] - popularity[a] || a - b);
}

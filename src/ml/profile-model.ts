/**
 * The profile model: purchase propensity and next categories, each either a learned model or its
 * simple baseline, whichever wins on a validation window.
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
 *
 * Baselines: propensity = recency alone (served calibrated: logistic regression on log recency,
 * a monotone map, so the same ranking); next category = the user's own decayed category shares,
 * unseen categories by population popularity.
 */
import { rocAuc, topKAccuracy } from './classification-metrics';
import {
  ConditionalLogitModel,
  ConditionalLogitRow,
  LogisticModel,
  Standardizer,
  fitStandardizer,
  predictConditionalLogit,
  predictLogistic,
  standardize,
  trainConditionalLogit,
  trainLogistic,
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

export type Served = 'model' | 'baseline';

export interface PropensityFit {
  featureSet: string;
  featureNames: string[];
  l2: number;
  classWeighting: boolean;
  standardizer: Standardizer;
  model: LogisticModel;
}

export interface CategoryFit {
  featureSet: string;
  /** Served probabilities: blend · conditional logit + (1 - blend) · the user's own decayed shares. */
  blend: number;
  sharedNames: string[];
  userFeatureNames: string[];
  l2: number;
  sharedStandardizer: Standardizer;
  userStandardizer: Standardizer;
  model: ConditionalLogitModel;
}

export interface ProfileModel {
  format: 2;
  spec: ProfileSpec;
  /** Share of category-tagged events per `spec.categories` up to the fit's data end. */
  popularity: number[];
  propensity: { served: Served; model: PropensityFit; baseline: PropensityFit };
  nextCategory: { served: Served; model: CategoryFit };
}

export interface Prediction {
  propensity: number;
  nextCategories: { categoryId: string; probability: number }[];
  served: { propensity: Served; nextCategory: Served };
}

/** Hyperparameter grids searched on the validation block. */
export const L2_GRID = [1e-3, 1e-2, 1e-1, 1];
/** Weights of the learned next-category probabilities against the user's own shares. */
export const BLEND_GRID = [0.1, 0.25, 0.5, 0.75, 1];
export const MIN_EVAL_POSITIVES = 100;
/** Training origins are W / TRAIN_STRIDES apart. */
export const TRAIN_STRIDES = 4;
const EPS = 1e-3;
const TOP_K = 3;

// ---------------------------------------------------------------------------------------------
// Features

const USER_FEATURES = [
  'log1p(recencyDays)',
  'log1p(eventsInWindow)',
  'log1p(eventsInLastQuarterWindow)',
  'log1p(frequency)',
  'log1p(monetary)',
  'log1p(events)',
  'log1p(tenureDays)',
] as const;

/** Dense per-user features; monetary only when it differs from frequency (priced data). */
export function userFeatureNames(spec: ProfileSpec): string[] {
  return USER_FEATURES.filter((f) => spec.pricedMonetary || f !== 'log1p(monetary)');
}

/** Raw user features as of `asOf`, in the order of `userFeatureNames(spec)`. */
export function userFeatures(events: readonly ProfileEvent[], asOf: number, spec: ProfileSpec): number[] {
  const rfm = computeRfm(events, { asOf, conversionTypes: spec.conversionTypes, pricedMonetary: spec.pricedMonetary });
  const window = spec.windowDays * DAY_MS;
  let total = 0;
  let inWindow = 0;
  let inQuarter = 0;
  let first = Infinity;
  for (const e of events) {
    if (e.at > asOf) continue;
    total += 1;
    if (e.at > asOf - window) inWindow += 1;
    if (e.at > asOf - window / 4) inQuarter += 1;
    if (e.at < first) first = e.at;
  }
  const values: Record<(typeof USER_FEATURES)[number], number> = {
    'log1p(recencyDays)': Math.log1p(rfm.recencyDays ?? 10 * 365),
    'log1p(eventsInWindow)': Math.log1p(inWindow),
    'log1p(eventsInLastQuarterWindow)': Math.log1p(inQuarter),
    'log1p(frequency)': Math.log1p(rfm.frequency),
    'log1p(monetary)': Math.log1p(rfm.monetary),
    'log1p(events)': Math.log1p(total),
    'log1p(tenureDays)': Math.log1p(first === Infinity ? 0 : (asOf - first) / DAY_MS),
  };
  return userFeatureNames(spec).map((name) => values[name as (typeof USER_FEATURES)[number]]);
}

/** Propensity feature sets, from the baseline's signal alone to every user feature. */
export const PROPENSITY_FEATURE_SETS: Record<string, (names: string[]) => string[]> = {
  recency: () => ['log1p(recencyDays)'],
  'recency+activity': () => ['log1p(recencyDays)', 'log1p(eventsInWindow)', 'log1p(eventsInLastQuarterWindow)'],
  all: (names) => names,
};

const SHARED = ['log(decayedShare)', 'baselineRank1', 'baselineRank2', 'baselineRank3', 'log(windowShare)', 'log(popularity)'] as const;

/** Next-category feature sets: shared per-category features, plus per-category weights on user features. */
export const CATEGORY_FEATURE_SETS: Record<string, { shared: string[]; user: boolean }> = {
  shares: { shared: ['log(decayedShare)', 'baselineRank1', 'baselineRank2', 'baselineRank3', 'log(popularity)'], user: false },
  'shares+window': { shared: [...SHARED], user: false },
  'shares+window+user': { shared: [...SHARED], user: true },
};

/** The baseline's category ranking: own decayed shares (highest first), then by popularity. */
function baselineOrder(decayed: readonly number[], popularity: readonly number[]): number[] {
  return decayed.map((_, c) => c).sort((a, b) => decayed[b] - decayed[a] || popularity[b] - popularity[a] || a - b);
}

interface CategoryView {
  /** Decayed shares over `spec.categories` (renormalized; zeros when none). */
  decayed: number[];
  /** u[c][k] over SHARED. */
  shared: number[][];
  baseline: number[];
  /** Population popularity at the same instant (ties and users without shares). */
  popularity: readonly number[];
}

function categoryView(events: readonly ProfileEvent[], asOf: number, spec: ProfileSpec, popularity: readonly number[]): CategoryView {
  const index = new Map(spec.categories.map((c, i) => [c, i]));
  const decayed = new Array<number>(spec.categories.length).fill(0);
  for (const s of categoryShares(events, { asOf, halfLifeDays: spec.halfLifeDays })) {
    const i = index.get(s.categoryId);
    if (i !== undefined) decayed[i] = s.share;
  }
  const sum = decayed.reduce((a, b) => a + b, 0);
  if (sum > 0) for (let i = 0; i < decayed.length; i++) decayed[i] /= sum;
  const recent = new Array<number>(spec.categories.length).fill(0);
  const from = asOf - spec.windowDays * DAY_MS;
  for (const e of events) {
    if (e.at > asOf || e.at <= from) continue;
    for (const c of e.categoryIds) {
      const i = index.get(c);
      if (i !== undefined) recent[i] += e.weight / e.categoryIds.length;
    }
  }
  const recentSum = recent.reduce((a, b) => a + b, 0);
  const baseline = baselineOrder(decayed, popularity);
  const rank = new Array<number>(spec.categories.length).fill(Infinity);
  if (sum > 0) baseline.forEach((c, r) => (decayed[c] > 0 ? (rank[c] = r) : undefined));
  const shared = spec.categories.map((_, c) => [
    Math.log(decayed[c] + EPS),
    rank[c] === 0 ? 1 : 0,
    rank[c] === 1 ? 1 : 0,
    rank[c] === 2 ? 1 : 0,
    Math.log((recentSum > 0 ? recent[c] / recentSum : 0) + EPS),
    Math.log(popularity[c] + EPS),
  ]);
  return { decayed, shared, baseline, popularity };
}

/** Share of category-tagged events (counted once per category) among `spec.categories` up to `asOf`. */
export function categoryPopularity(users: readonly (readonly ProfileEvent[])[], asOf: number, spec: ProfileSpec): number[] {
  const index = new Map(spec.categories.map((c, i) => [c, i]));
  const counts = new Array<number>(spec.categories.length).fill(0);
  for (const events of users) for (const e of events) if (e.at <= asOf) for (const c of e.categoryIds) {
    const i = index.get(c);
    if (i !== undefined) counts[i] += 1;
  }
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n) => (total > 0 ? n / total : 1 / Math.max(1, counts.length)));
}

// ---------------------------------------------------------------------------------------------
// Labels

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

// ---------------------------------------------------------------------------------------------
// Fitting and scoring

interface Example {
  user: number;
  origin: number;
  features: number[];
  converted: number;
  /** Class index of the next category, -1 when none. */
  next: number;
  recencyDays: number;
  view: CategoryView | null;
}

/** `fitStandardizer`, or the identity when there are no rows to learn from. */
function fitScaler(raw: number[][], dim: number): Standardizer {
  return raw.length > 0 ? fitStandardizer(raw) : { mean: new Array<number>(dim).fill(0), std: new Array<number>(dim).fill(1) };
}

function columns(all: string[], wanted: string[]): number[] {
  return wanted.map((w) => all.indexOf(w)).filter((i) => i >= 0);
}

interface PropensityConfig {
  featureSet: string;
  l2: number;
  classWeighting: boolean;
}

function fitPropensity(rows: readonly Example[], names: string[], config: PropensityConfig): PropensityFit {
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

function scorePropensity(fit: PropensityFit, names: string[], features: readonly number[]): number {
  const cols = columns(names, fit.featureNames);
  return predictLogistic(fit.model, standardize(fit.standardizer, cols.map((j) => features[j])));
}

interface CategoryConfig {
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

function fitCategory(rows: readonly Example[], names: string[], classes: number, config: CategoryConfig): CategoryFit {
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

function categoryProbabilities(fit: CategoryFit, names: string[], view: CategoryView, features: readonly number[], blend = fit.blend): number[] {
  const learned = predictConditionalLogit(fit.model, categoryRow(fit, names, view, features));
  if (blend >= 1) return learned;
  const own = baselineProbabilities(view);
  return learned.map((p, c) => blend * p + (1 - blend) * own[c]);
}

/** The baseline's category probabilities: the user's own decayed shares, else popularity. */
function baselineProbabilities(view: CategoryView): number[] {
  return view.decayed.some((s) => s > 0) ? view.decayed : [...view.popularity];
}

function rankBy(probabilities: readonly number[], popularity: readonly number[]): number[] {
  return probabilities.map((_, c) => c).sort((a, b) => probabilities[b] - probabilities[a] || popularity[b] - popularity[a] || a - b);
}

// ---------------------------------------------------------------------------------------------
// Serving

export function predict(model: ProfileModel, events: readonly ProfileEvent[], asOf: number): Prediction {
  const names = userFeatureNames(model.spec);
  const features = userFeatures(events, asOf, model.spec);
  const view = categoryView(events, asOf, model.spec, model.popularity);
  const { propensity, nextCategory } = model;
  const probabilities =
    nextCategory.served === 'model' ? categoryProbabilities(nextCategory.model, names, view, features) : baselineProbabilities(view);
  const order = nextCategory.served === 'model' ? rankBy(probabilities, model.popularity) : view.decayed.some((s) => s > 0) ? view.baseline : rankBy(probabilities, model.popularity);
  return {
    propensity: scorePropensity(propensity.served === 'model' ? propensity.model : propensity.baseline, names, features),
    nextCategories: order.map((c) => ({ categoryId: model.spec.categories[c], probability: probabilities[c] })),
    served: { propensity: propensity.served, nextCategory: nextCategory.served },
  };
}

// ---------------------------------------------------------------------------------------------
// Protocol

export interface FitOptions {
  seed: number;
  /** At most this many examples (seeded sample) per block, bounding time on large user bases. */
  maxRows?: number;
  /** At most this many labelled examples to train the next-category model on. */
  maxCategoryRows?: number;
}

export interface BlockSummary {
  /** Origins (cutoffs), oldest first. */
  origins: number[];
  /** Label windows span (first origin, last origin + window]. */
  from: number;
  to: number;
  examples: number;
  positives: number;
  labelled: number;
}

export interface EvaluationRow {
  task: 'purchase propensity' | 'next category';
  predictor: string;
  kind: Served;
  metric: 'AUC' | 'top-3 accuracy';
  /** Fitted on train, scored on validation. */
  validation: number;
  /** Refitted on train + validation, scored on test. */
  test: number;
  validationRows: number;
  testRows: number;
  served: boolean;
}

export interface CandidateScore {
  task: EvaluationRow['task'];
  config: string;
  validation: number;
}

export interface Evaluation {
  dataEnd: number;
  windowDays: number;
  train: BlockSummary;
  validation: BlockSummary;
  test: BlockSummary;
  rows: EvaluationRow[];
  candidates: CandidateScore[];
  served: { propensity: Served; nextCategory: Served };
  protocol: string[];
}

/** Users with at least one event up to the cutoff are the population at that cutoff. */
function population(users: readonly (readonly ProfileEvent[])[], cutoff: number): number[] {
  const rows: number[] = [];
  users.forEach((events, i) => {
    if (events.some((e) => e.at <= cutoff)) rows.push(i);
  });
  return rows;
}

interface Block {
  origins: number[];
  pairs: { user: number; origin: number }[];
  positives: number;
  labelled: number;
}

/** Origins, newest first, each with its population and label counts. */
function originsOf(users: readonly (readonly ProfileEvent[])[], dataEnd: number, spec: ProfileSpec): Block[] {
  const window = spec.windowDays * DAY_MS;
  const blocks: Block[] = [];
  for (let j = 1; ; j++) {
    const origin = dataEnd - j * window;
    const block = blockAt(users, origin, window, spec);
    if (!block) break;
    blocks.push(block);
  }
  return blocks;
}

/** The examples of one cutoff: users active by `origin`, labelled by the window after it; null when none. */
function blockAt(users: readonly (readonly ProfileEvent[])[], origin: number, window: number, spec: ProfileSpec): Block | null {
  const rows = population(users, origin);
  if (rows.length === 0) return null;
  let positives = 0;
  let labelled = 0;
  for (const u of rows) {
    const o = outcomeIn(users[u], origin, origin + window, spec);
    if (o.converted) positives += 1;
    if (o.nextCategory !== null) labelled += 1;
  }
  return { origins: [origin], pairs: rows.map((user) => ({ user, origin })), positives, labelled };
}

/**
 * Training origins for labels up to `labelCutoff`: t = labelCutoff - W - k·W/TRAIN_STRIDES, k = 0, 1, …
 * Training label windows may overlap one another (more examples from short histories) but none
 * reaches past `labelCutoff`.
 */
function trainingBlock(users: readonly (readonly ProfileEvent[])[], labelCutoff: number, spec: ProfileSpec): Block {
  const window = spec.windowDays * DAY_MS;
  const blocks: Block[] = [];
  for (let k = 0; ; k++) {
    const origin = labelCutoff - window - (k * window) / TRAIN_STRIDES;
    const block = blockAt(users, origin, window, spec);
    if (!block) break;
    blocks.push(block);
  }
  return merge(blocks);
}

function merge(blocks: Block[]): Block {
  return {
    origins: blocks.flatMap((b) => b.origins).sort((a, b) => a - b),
    pairs: blocks.flatMap((b) => b.pairs),
    positives: blocks.reduce((a, b) => a + b.positives, 0),
    labelled: blocks.reduce((a, b) => a + b.labelled, 0),
  };
}

/** Takes origins from the front (newest) until the block holds enough labels or `max` origins. */
function takeEvalBlock(newestFirst: Block[], max: number): Block[] {
  const taken: Block[] = [];
  while (newestFirst.length > 0 && taken.length < max) {
    taken.push(newestFirst.shift() as Block);
    const m = merge(taken);
    if (m.positives >= MIN_EVAL_POSITIVES && m.labelled >= MIN_EVAL_POSITIVES) break;
  }
  return taken;
}

/** Splits the origins into train, validation and test blocks (see the protocol at the top). */
export function splitOrigins(users: readonly (readonly ProfileEvent[])[], dataEnd: number, spec: ProfileSpec): { train: Block; validation: Block; test: Block } {
  const newestFirst = originsOf(users, dataEnd, spec);
  const maxEval = Math.max(1, Math.floor(newestFirst.length / 4));
  // Fewer than three origins: no test block (two) or no validation either (one, baseline served).
  const test = newestFirst.length >= 3 ? takeEvalBlock(newestFirst, maxEval) : [];
  const validation = newestFirst.length >= 2 ? takeEvalBlock(newestFirst, maxEval) : [];
  return { train: merge(newestFirst), validation: merge(validation), test: merge(test) };
}

function summary(block: Block, window: number): BlockSummary {
  return {
    origins: block.origins,
    from: block.origins.length ? block.origins[0] : NaN,
    to: block.origins.length ? block.origins[block.origins.length - 1] + window : NaN,
    examples: block.pairs.length,
    positives: block.positives,
    labelled: block.labelled,
  };
}

function examplesOf(users: readonly (readonly ProfileEvent[])[], block: Block, spec: ProfileSpec, maxRows: number, seed: number): Example[] {
  const window = spec.windowDays * DAY_MS;
  const index = new Map(spec.categories.map((c, i) => [c, i]));
  const popularityAt = new Map<number, number[]>();
  for (const origin of block.origins) popularityAt.set(origin, categoryPopularity(users, origin, spec));
  const picked = sampleIndices(block.pairs.length, maxRows, seed).map((i) => block.pairs[i]);
  return picked.map(({ user, origin }) => {
    const events = users[user];
    const outcome = outcomeIn(events, origin, origin + window, spec);
    const next = outcome.nextCategory === null ? -1 : (index.get(outcome.nextCategory) as number);
    return {
      user,
      origin,
      features: userFeatures(events, origin, spec),
      converted: outcome.converted ? 1 : 0,
      next,
      recencyDays: computeRfm(events, { asOf: origin, conversionTypes: spec.conversionTypes, pricedMonetary: spec.pricedMonetary }).recencyDays ?? Infinity,
      view: next >= 0 ? categoryView(events, origin, spec, popularityAt.get(origin) as number[]) : null,
    };
  });
}

function propensityAuc(fit: PropensityFit | 'recency', names: string[], rows: readonly Example[]): number {
  const scores = rows.map((r) => (fit === 'recency' ? -r.recencyDays : scorePropensity(fit, names, r.features)));
  return rocAuc(scores, rows.map((r) => r.converted));
}

function categoryScores(fit: CategoryFit | 'baseline', names: string[], rows: readonly Example[], blend?: number): { accuracy: number; logLoss: number } {
  const labelled = rows.filter((r) => r.next >= 0 && r.view);
  if (labelled.length === 0) return { accuracy: NaN, logLoss: NaN };
  const rankings: number[][] = [];
  let logLoss = 0;
  for (const r of labelled) {
    const view = r.view as CategoryView;
    if (fit === 'baseline') {
      rankings.push(view.baseline);
      continue;
    }
    const p = categoryProbabilities(fit, names, view, r.features, blend);
    rankings.push(rankBy(p, view.popularity));
    logLoss -= Math.log(Math.max(1e-12, p[r.next])) / labelled.length;
  }
  return { accuracy: topKAccuracy(rankings, labelled.map((r) => r.next), TOP_K), logLoss: fit === 'baseline' ? NaN : logLoss };
}

const better = (a: number, b: number): boolean => !Number.isNaN(a) && (Number.isNaN(b) || a > b);

function describePropensity(c: PropensityConfig): string {
  return `logistic regression [${c.featureSet}, L2 ${c.l2}${c.classWeighting ? ', class-weighted' : ''}]`;
}

function describeCategory(c: CategoryConfig): string {
  return `conditional logit [${c.featureSet}, L2 ${c.l2}${c.blend < 1 ? `, blended ${c.blend} with own shares` : ''}]`;
}

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

function row(
  task: EvaluationRow['task'],
  predictor: string,
  kind: Served,
  metric: EvaluationRow['metric'],
  validation: number,
  test: number,
  validationRows: number,
  testRows: number,
  served: boolean,
): EvaluationRow {
  return { task, predictor, kind, metric, validation, test, validationRows, testRows, served };
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

export function formatEvaluation(evaluation: Evaluation): string {
  const value = (v: number): string => (Number.isNaN(v) ? 'n/a' : v.toFixed(4));
  const header = ['task', 'predictor', 'metric', 'validation', 'test', 'val n', 'test n', 'served'];
  const body = evaluation.rows.map((r) => [r.task, r.predictor, r.metric, value(r.validation), value(r.test), String(r.validationRows), String(r.testRows), r.served ? 'SERVED' : '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [
    'Protocol:',
    ...evaluation.protocol.map((p) => `  - ${p}`),
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    `served: purchase propensity = ${evaluation.served.propensity}, next category = ${evaluation.served.nextCategory} (whichever won on validation)`,
  ].join('\n');
}

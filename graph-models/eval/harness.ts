import { GraphSnapshot } from '../data/snapshot';
import { BipartiteCsr, buildBipartite } from '../data/csr';
import { TemporalSplit, TemporalSplitOptions, temporalSplit } from '../data/split';
import { InteractionWeightOptions, interactionWeights } from '../data/weights';
import { evaluate } from './evaluate';
import { EvaluationResult } from './metrics';
import { FitContext, FitReport, Recommender } from './recommender';

/** Everything models share for one evaluation run: the split and the training graph. */
export interface PreparedData {
  snapshot: GraphSnapshot;
  split: TemporalSplit;
  train: BipartiteCsr;
  eventWeights: Float32Array;
}

/** Early-stopping checks rank at most this many validation users (all of them on small data sets). */
export const VALIDATION_USERS = 10000;

export const DEFAULT_SPLIT: TemporalSplitOptions = { validationFraction: 0.1, testFraction: 0.2 };

/** Every event in train: for refitting the selected settings on all data (models/gat/refit.ts). */
export const NO_HOLDOUT: TemporalSplitOptions = { validationFraction: 0, testFraction: 0 };

export function prepareData(
  snapshot: GraphSnapshot,
  opts: { split?: TemporalSplitOptions; weights?: InteractionWeightOptions } = {},
): PreparedData {
  const split = temporalSplit(snapshot, opts.split ?? DEFAULT_SPLIT);
  // Decay (if any) is measured from the last train event so validation/test times never leak in.
  const eventWeights = interactionWeights(snapshot, { ...opts.weights, events: split.train });
  const train = buildBipartite({
    numUsers: split.numUsers,
    numItems: split.numItems,
    eventUser: snapshot.eventUser,
    eventItem: snapshot.eventItem,
    eventWeights,
    events: split.train,
  });
  return { snapshot, split, train, eventWeights };
}

export function createFitContext(
  data: PreparedData,
  model: Pick<Recommender, 'scoreUsers'>,
  opts: { seed: number; log?: (message: string) => void; stopRequested?: () => boolean; validationUsers?: number },
): FitContext {
  return {
    snapshot: data.snapshot,
    split: data.split,
    train: data.train,
    eventWeights: data.eventWeights,
    validate: () => evaluate(model, data.split, { on: 'validation', ks: [10, 20], maxUsers: opts.validationUsers ?? VALIDATION_USERS }),
    seed: opts.seed,
    log: opts.log ?? (() => undefined),
    stopRequested: opts.stopRequested ?? (() => false),
  };
}

export interface ModelRun {
  name: string;
  fit: FitReport;
  fitSeconds: number;
  validation: EvaluationResult;
  test: EvaluationResult;
}

/** Fits each model on train (validation for early stopping only), then evaluates it on validation and test. */
export async function runModels(
  models: Recommender[],
  data: PreparedData,
  opts: { seed: number; ks?: number[]; log?: (message: string) => void; stopRequested?: () => boolean; evaluationUsers?: number },
): Promise<ModelRun[]> {
  const runs: ModelRun[] = [];
  const ks = opts.ks ?? [10, 20];
  for (const model of models) {
    const log = (m: string): void => opts.log?.(`[${model.name}] ${m}`);
    const started = performance.now();
    if (runs.length > 0 && opts.stopRequested?.()) break;
    const fit = await model.fit(createFitContext(data, model, { seed: opts.seed, log, stopRequested: opts.stopRequested }));
    const fitSeconds = (performance.now() - started) / 1000;
    const validation = evaluate(model, data.split, { on: 'validation', ks, maxUsers: opts.evaluationUsers });
    const test = evaluate(model, data.split, { on: 'test', ks, maxUsers: opts.evaluationUsers });
    log(`fit ${fitSeconds.toFixed(1)}s, validation NDCG@20 ${fmt(validation.ndcg[20])}, test NDCG@20 ${fmt(test.ndcg[20])}`);
    runs.push({ name: model.name, fit, fitSeconds, validation, test });
  }
  return runs;
}

function fmt(v: number | undefined): string {
  return v === undefined ? '-' : v.toFixed(4);
}

/**
 * The one contract every model evaluated by graph-models/eval implements: baselines, LightGCN and
 * the GAT alike, so they are fitted on the same split and ranked by the same harness.
 */
import { GraphSnapshot } from '../data/snapshot';
import { BipartiteCsr } from '../data/csr';
import { TemporalSplit } from '../data/split';
import { EvaluationResult } from './metrics';

export interface FitContext {
  snapshot: GraphSnapshot;
  split: TemporalSplit;
  /**
   * The training graph: split.train events only, (user, item) pairs de-duplicated, weights from
   * interactionWeights (type weight; sum over repeated events). Models that want binary edges
   * ignore `weights`.
   */
  train: BipartiteCsr;
  /** interactionWeights(snapshot) for every event; only split.train positions may be used. */
  eventWeights: Float32Array;
  /**
   * Ranks validation users with the model's current state (it calls this model's scoreUsers) and
   * returns validation metrics at K = 10 and 20; models early-stop on `ndcg[20]`.
   * Never exposes test data.
   */
  validate(): EvaluationResult;
  /** Seed for every random choice the model makes; same seed, same data -> same scores. */
  seed: number;
  log(message: string): void;
  /**
   * True once the operator asked to stop (Ctrl-C). Iterative models finish the current epoch,
   * keep their best parameters so far and return.
   */
  stopRequested(): boolean;
}

export interface FitReport {
  /** Training epochs run (0 for models without epochs). */
  epochs: number;
  /** Epoch whose parameters were kept, when early stopping applied. */
  bestEpoch?: number;
  /** Validation NDCG@20 of the kept parameters, when the model measured it. */
  bestValidationNdcg20?: number;
  /** Hyperparameters actually used, for the report and the ModelVersion. */
  params: Record<string, number | string | boolean>;
}

export interface Recommender {
  readonly name: string;
  fit(ctx: FitContext): Promise<FitReport>;
  /**
   * Writes raw scores for users[b] over all items into out[b * numItems + item]
   * (out.length >= users.length * numItems; higher is better). Must not mask seen items: the
   * evaluator does that. Called only after fit (or from inside fit through ctx.validate).
   */
  scoreUsers(users: Int32Array, out: Float32Array): void;
}

/**
 * Select, then refit: the selection run fits on the temporal split's train events and picks the
 * epoch by validation NDCG@20; the model that serves is then fitted again on every event of the
 * snapshot with the same settings for that many epochs. Without this the served model would
 * ignore each user's latest 30% (validation and test), the events that say most about them now.
 */
import { GraphSnapshot } from '../../data/snapshot';
import { NO_HOLDOUT, createFitContext, prepareData } from '../../eval/harness';
import { GatRecommender } from './recommender';

export interface RefitResult {
  model: GatRecommender;
  /** Epochs the refit ran (the selected epoch unless stopped or over its budget). */
  epochs: number;
  /** Events it was fitted on: the whole snapshot. */
  events: number;
  seconds: number;
}

export async function refitGat(input: {
  selected: GatRecommender;
  /** The epoch validation selected; the refit runs this many epochs without validation. */
  epochs: number;
  snapshot: GraphSnapshot;
  seed: number;
  maxSeconds: number;
  log?: (message: string) => void;
  stopRequested?: () => boolean;
}): Promise<RefitResult> {
  const started = performance.now();
  const data = prepareData(input.snapshot, { split: NO_HOLDOUT });
  const model = new GatRecommender({ ...input.selected.options, maxEpochs: Math.max(1, input.epochs), validate: false, maxSeconds: input.maxSeconds }, input.selected.name);
  const report = await model.fit(createFitContext(data, model, { seed: input.seed, log: input.log, stopRequested: input.stopRequested }));
  return { model, epochs: report.epochs, events: data.split.train.length, seconds: (performance.now() - started) / 1000 };
}

/**
 * The public face of graph-models: what the server (src/), the benchmarks (bench/) and the seed
 * generators (seeds/) use. Tests may import deeper paths.
 */
export type { GraphSnapshot } from './data/snapshot';
export { snapshotFromDataset } from './data/from-dataset';
export { hashedTfidfEmbedding } from './data/hashed-text-embedding';
export { SeededRandom } from './data/random';
export {
  GatRecommender,
  DEFAULT_GAT_OPTIONS,
  resolveGatOptions,
  ARTIFACT_FORMAT,
  ARTIFACT_VERSION,
  refitGat,
  PopularityRecommender,
  ItemKnnRecommender,
  MfBprRecommender,
  LightGcnRecommender,
  TextOnlyRecommender,
  EaseRecommender,
  ImplicitAlsRecommender,
} from './models';
export type { RefitResult } from './models';
export type { EpochStats, GatOptions, ItemKnnOptions, MfBprOptions, LightGcnOptions, EaseOptions, ImplicitAlsOptions } from './models';
export type { Recommender, FitContext, FitReport } from './eval/recommender';
export { createFitContext, prepareData, runModels } from './eval/harness';
export { evaluate } from './eval/evaluate';
export type { UserMetrics } from './eval/evaluate';
export { embeddingScorer } from './eval/embedding-scorer';
export type { IdEmbeddings, EmbeddingScorer } from './eval/embedding-scorer';
export type { ModelRun, PreparedData } from './eval/harness';
export { formatTable, runsToJson } from './eval/format';
export { formatSeedSummary } from './eval/seed-summary';
export { trainingCurvesSvg } from './eval/training-curves';
export { kernelThreads, setKernelThreads, shutdownKernelPool } from './kernels/pool';

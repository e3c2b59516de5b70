/** Every recommender the harness compares: the GAT and the baselines. No model imports another. */
export { GatRecommender, DEFAULT_GAT_OPTIONS, resolveGatOptions, ARTIFACT_FORMAT, ARTIFACT_VERSION, refitGat } from './gat';
export type { EpochStats, GatOptions, RefitResult } from './gat';
export { PopularityRecommender } from './popularity';
export { ItemKnnRecommender } from './item-knn';
export type { ItemKnnOptions } from './item-knn';
export { MfBprRecommender } from './mf-bpr';
export type { MfBprOptions } from './mf-bpr';
export { LightGcnRecommender } from './lightgcn';
export type { LightGcnOptions } from './lightgcn';
export { TextOnlyRecommender } from './text-only';
export { EaseRecommender } from './ease';
export type { EaseOptions } from './ease';
export { ImplicitAlsRecommender } from './implicit-als';
export type { ImplicitAlsOptions } from './implicit-als';

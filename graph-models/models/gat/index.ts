/** The GAT recommender: model, training, artifact and inductive embedding. */
export { GatRecommender } from './recommender';
export type { EpochStats } from './recommender';
export { DEFAULT_GAT_OPTIONS, resolveGatOptions } from './options';
export type { GatOptions } from './options';
export { ARTIFACT_FORMAT, ARTIFACT_VERSION } from './artifact';
export { refitGat } from './refit';
export type { RefitResult } from './refit';

/** The GAT recommender: model, training, artifact and inductive embedding. */
export { GatRecommender, EpochStats } from './recommender';
export { GatOptions, DEFAULT_GAT_OPTIONS, resolveGatOptions } from './options';
export { ARTIFACT_FORMAT, ARTIFACT_VERSION } from './artifact';

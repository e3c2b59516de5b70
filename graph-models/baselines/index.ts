export { PopularityRecommender } from './popularity';
export { ItemKnnRecommender } from './item-knn';
export type { ItemKnnOptions } from './item-knn';
export { MfBprRecommender } from './mf-bpr';
export type { MfBprOptions } from './mf-bpr';
export { LightGcnRecommender } from './lightgcn';
export type { LightGcnOptions } from './lightgcn';
export { TextOnlyRecommender } from './text-only';

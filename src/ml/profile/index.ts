/** The profile model's entry points for the pipeline (segment-users), serving (profile.service) and the CLI. */
export type { Prediction, ProfileModel, ProfileSpec, Served } from './model';
export { predict } from './predict';
export type { FitOptions, TrainedProfile } from './train';
export { trainProfileModel } from './train';
export type { Evaluation } from './evaluation';
export { formatEvaluation } from './evaluation';
export { outcomeIn } from './labels';
export { splitOrigins } from './origins';
export { topCategories, windowDaysFor } from './spec';

/** The profile model's entry points for the pipeline (segment-users), serving (profile.service) and the CLI. */
export type { Prediction, ProfileModel, ProfileSpec, Served } from './model';
export { predict } from './predict';
export { FitOptions, TrainedProfile, trainProfileModel } from './train';
export { Evaluation, formatEvaluation } from './evaluation';
export { outcomeIn } from './labels';
export { splitOrigins } from './origins';
export { topCategories, windowDaysFor } from './spec';

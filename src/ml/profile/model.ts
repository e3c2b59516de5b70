/**
 * The profile model: purchase propensity and next categories, each either a learned model or its
 * simple baseline, whichever wins on a validation window (see train.ts for the protocol).
 *
 * Baselines: propensity = recency alone (served calibrated: logistic regression on log recency,
 * a monotone map, so the same ranking); next category = the user's own decayed category shares,
 * unseen categories by population popularity.
 */
import type { ConditionalLogitModel, LogisticModel, Standardizer } from '../logistic-regression';

export interface ProfileSpec {
  /** The categories the next-category model can predict (most frequent ones). */
  categories: string[];
  conversionTypes: string[];
  pricedMonetary: boolean;
  halfLifeDays: number;
  windowDays: number;
}

export type Served = 'model' | 'baseline';

export interface PropensityFit {
  featureSet: string;
  featureNames: string[];
  l2: number;
  classWeighting: boolean;
  standardizer: Standardizer;
  model: LogisticModel;
}

export interface CategoryFit {
  featureSet: string;
  /** Served probabilities: blend · conditional logit + (1 - blend) · the user's own decayed shares. */
  blend: number;
  sharedNames: string[];
  userFeatureNames: string[];
  l2: number;
  sharedStandardizer: Standardizer;
  userStandardizer: Standardizer;
  model: ConditionalLogitModel;
}

export interface ProfileModel {
  format: 2;
  spec: ProfileSpec;
  /** Share of category-tagged events per `spec.categories` up to the fit's data end. */
  popularity: number[];
  propensity: { served: Served; model: PropensityFit; baseline: PropensityFit };
  nextCategory: { served: Served; model: CategoryFit };
}

export interface Prediction {
  propensity: number;
  nextCategories: { categoryId: string; probability: number }[];
  served: { propensity: Served; nextCategory: Served };
}

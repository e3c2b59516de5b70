/** Serving: a user's propensity and next categories from a stored profile model. */
import type { ProfileEvent } from '../rfm';
import { categoryView, userFeatureNames, userFeatures } from './features';
import { baselineProbabilities, categoryProbabilities, rankBy, scorePropensity } from './fitting';
import type { Prediction, ProfileModel } from './model';

export function predict(model: ProfileModel, events: readonly ProfileEvent[], asOf: number): Prediction {
  const names = userFeatureNames(model.spec);
  const features = userFeatures(events, asOf, model.spec);
  const view = categoryView(events, asOf, model.spec, model.popularity);
  const { propensity, nextCategory } = model;
  const probabilities =
    nextCategory.served === 'model' ? categoryProbabilities(nextCategory.model, names, view, features) : baselineProbabilities(view);
  const order = nextCategory.served === 'model' ? rankBy(probabilities, model.popularity) : view.decayed.some((s) => s > 0) ? view.baseline : rankBy(probabilities, model.popularity);
  return {
    propensity: scorePropensity(propensity.served === 'model' ? propensity.model : propensity.baseline, names, features),
    nextCategories: order.map((c) => ({ categoryId: model.spec.categories[c], probability: probabilities[c] })),
    served: { propensity: propensity.served, nextCategory: nextCategory.served },
  };
}

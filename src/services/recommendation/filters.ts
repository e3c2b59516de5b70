/**
 * Which products may be recommended, as stages that each add one constraint to the CandidateFilter
 * every candidate source applies where it selects (in Cypher, or on the serving cache's lists).
 * A new rule (a partner program's allowed categories and products) is one more stage here.
 */
import type { CandidateFilter } from '../../repositories/candidate.cypher';
import type { RecommendationFilter } from './types';

export type FilterStage = (filter: CandidateFilter) => CandidateFilter;

/** Every product, for nobody in particular (the popular list reasons consult). */
export const NO_FILTER: CandidateFilter = {
  userId: null,
  excludeInteracted: false,
  inStockOnly: false,
  categoryIds: null,
  minPrice: null,
  maxPrice: null,
  excludeIds: [],
};

/** The stages the API's filter asks for; excludeInteracted is on unless turned off. */
export function requestedStages(userId: string, f: RecommendationFilter): FilterStage[] {
  return [
    (c) => ({ ...c, userId, excludeInteracted: f.excludeInteracted ?? true }),
    (c) => ({ ...c, inStockOnly: c.inStockOnly || (f.inStockOnly ?? false) }),
    (c) => ({ ...c, minPrice: f.minPrice ?? c.minPrice, maxPrice: f.maxPrice ?? c.maxPrice }),
    (c) => (f.categoryIds && f.categoryIds.length > 0 ? { ...c, categoryIds: f.categoryIds } : c),
  ];
}

export function composeFilter(stages: FilterStage[]): CandidateFilter {
  return stages.reduce((filter, stage) => stage(filter), NO_FILTER);
}

/** Filters that can exclude most of the catalogue, so the index's top-k may miss every allowed product. */
export function isNarrowing(filter: CandidateFilter): boolean {
  return filter.categoryIds !== null || filter.minPrice !== null || filter.maxPrice !== null || filter.inStockOnly || filter.excludeIds.length > 0;
}

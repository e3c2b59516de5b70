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
  productIds: null,
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

/** What a partner program allows; category sets are closed under subcategories (see programStage). */
export interface ProgramRules {
  /** Allowed categories with all their subcategories; null: every category. */
  categoryIds: string[] | null;
  /** Allowed products; null: every product. */
  productIds: string[] | null;
  denyProductIds: string[];
}

/**
 * A partner program's restriction: in stock, within its allowed categories and products, none it
 * denies. Requested categories are intersected with the allowed ones; both sets must be closed under
 * subcategories (the caller expands them), so the intersection allows exactly the products both allow.
 */
export function programStage(rules: ProgramRules): FilterStage {
  return (c) => ({
    ...c,
    inStockOnly: true,
    categoryIds: intersect(c.categoryIds, rules.categoryIds),
    productIds: intersect(c.productIds, rules.productIds),
    excludeIds: rules.denyProductIds.length > 0 ? [...c.excludeIds, ...rules.denyProductIds] : c.excludeIds,
  });
}

/** null means "no restriction"; an empty list allows nothing. */
function intersect(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const allowed = new Set(b);
  return a.filter((id) => allowed.has(id));
}

export function composeFilter(stages: FilterStage[]): CandidateFilter {
  return stages.reduce((filter, stage) => stage(filter), NO_FILTER);
}

/** Filters that can exclude most of the catalogue, so the index's top-k may miss every allowed product. */
export function isNarrowing(filter: CandidateFilter): boolean {
  return filter.categoryIds !== null || filter.minPrice !== null || filter.maxPrice !== null || filter.inStockOnly || filter.excludeIds.length > 0 || filter.productIds !== null;
}

/** The shapes a recommendation request and its answer take between the pipeline's stages and the resolvers. */
import type { ProductRow } from '../../repositories/product.repository';

/**
 * Which source served the page: MODEL (the published vector's list or index search), FOLD_IN (a
 * vector folded in from the user's latest events), TRENDING (no personal vector: cold start).
 */
export type RecommendationStrategy = 'MODEL' | 'FOLD_IN' | 'TRENDING';
export type ReasonKind = 'SIMILAR_TO_INTERACTED' | 'POPULAR' | 'MATCHES_PROFILE';

export interface Reason {
  kind: ReasonKind;
  text: string;
  productId: string | null;
}

export interface RecommendedItem {
  productId: string;
  /** Present when the candidate source already returned the product's fields. */
  product: ProductRow | null;
  score: number;
  reasons: Reason[];
  cursor: string;
}

export interface RecommendationPage {
  recommendationId: string;
  strategy: RecommendationStrategy;
  modelVersion: string | null;
  items: RecommendedItem[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** The filter as the API takes it; the pipeline turns it into a CandidateFilter (filters.ts). */
export interface RecommendationFilter {
  categoryIds?: string[] | null;
  minPrice?: number | null;
  maxPrice?: number | null;
  inStockOnly?: boolean | null;
  excludeInteracted?: boolean | null;
}

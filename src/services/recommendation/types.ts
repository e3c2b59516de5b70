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
  /** The experiment whose variant served this page, or null. */
  experiment: ServedExperiment | null;
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

/** An experiment's choice of how the one pipeline serves a request (strategy.ts turns a strategy into these). */
export interface PipelineOptions {
  /** Candidate source names in the order to ask them (trending is always appended last). */
  sources?: string[];
  /** Overrides the request's MMR diversity. */
  diversity?: number;
  /** Serve with this model version instead of the active one (it must still hold its slot). */
  modelVersion?: string;
}

/** The variant a request is served by (experiment-serving.ts decides it). */
export interface ServedExperiment {
  id: string;
  variant: string;
  /** The variant was stopped (guardrail or by hand): the request was served as control. */
  fallback: boolean;
  options: PipelineOptions;
}

/** What the pipeline asks of experiments: the hook every recommendation path calls (experiment-serving.ts implements it). */
export interface VariantAssigner {
  /** The running experiment variant this user is enrolled in, or null: decided from memory, no Neo4j round trip. */
  variantFor(userId: string): Promise<ServedExperiment | null>;
  /** Counts the request for the variant (exposure, latency, error) for reports and guardrails. */
  served(experiment: ServedExperiment, userId: string, ms: number, failed: boolean): void;
}

/**
 * A candidate source: one way of finding a user's candidates (the serving cache's lists, a fold-in,
 * Neo4j's vector index, an exact scan, trending). The pipeline (recommendation.service.ts) asks the
 * sources in order; each answers the request or passes (null), and an answer that may be missing
 * candidates (`complete: false`) is handed to the next sources to top up or replace.
 */
import type { ProductRow } from '../../repositories/product.repository';
import type { CandidateRow, RecentItemRow } from '../../repositories/candidate.cypher';
import type { PersonalRow } from '../../repositories/candidate-list.repository';
import type { UserRepository } from '../../repositories/user.repository';
import type { RecommendationRequest } from './request';
import type { RecommendationStrategy } from './types';

export interface Candidate extends Omit<CandidateRow, 'product'> {
  /** Null when the source returned ids only (trending); the resolver loads the product. */
  product: ProductRow | null;
  /** Added as a popular product after the personal sources ran out (popular-fill.source.ts). */
  popularFill?: boolean;
  /** The recent item a reason names, when the source already knows it (serving cache lists); undefined: reasons.ts computes it. */
  closest?: { productId: string; similarity: number } | null;
}

export interface SourceAnswer {
  strategy: RecommendationStrategy;
  /** Best first, at most `request.limit`. */
  candidates: Candidate[];
  /** The user's latest events, newest first: what reasons may name. */
  recent: RecentItemRow[];
  /** The vector the candidates were searched with, when this process computed it (a later exact scan reuses it). */
  vector: number[] | null;
  /** False when allowed products beyond these may exist that a later source could find. */
  complete: boolean;
  /** The index search was already sized by the user's whole history (wider-index.source.ts). */
  widened?: boolean;
}

export interface SourceContext {
  /** The answer of an earlier source that was not complete, else null. */
  previous: SourceAnswer | null;
  /** The user's state in Neo4j (recommendation.personal), read at most once per request by whichever source asks first. */
  neo4jUser(): Promise<PersonalRow | undefined>;
}

export interface CandidateSource {
  /** Its name in the README's table; an experiment's strategy orders sources by it. */
  readonly name: string;
  /** Whether this source can serve this kind of request at all (its rule, before it looks at any data). */
  accepts(request: RecommendationRequest, context: Pick<SourceContext, 'previous'>): boolean;
  /** Its answer, or null to pass the request on (also when the data it needs is not there). */
  answer(request: RecommendationRequest, context: SourceContext): Promise<SourceAnswer | null>;
}

/**
 * The vector to search again with for a user whose first answer was short: the one that answer was
 * searched with (a fold-in), else the user's published vector (one read), else null.
 */
export async function searchVector(request: RecommendationRequest, previous: SourceAnswer, users: UserRepository): Promise<number[] | null> {
  if (previous.vector) return previous.vector;
  return request.model ? users.userEmbedding(request.model.slot, request.userId) : null;
}

/**
 * Whether an answer of this many candidates may be missing allowed products: fewer than the pages
 * need, from a search that stopped before the catalogue did (filters and the user's own products
 * dropped the rest). Later sources look further (a wider search, an exact scan, popular products).
 */
export function isShort(request: RecommendationRequest, found: number): boolean {
  return found < request.need;
}

/**
 * The serving cache's list of a user (stored at publish for a published vector, or searched once
 * for a fold-in): answered from memory, no Neo4j round trip.
 */
import type { CandidateSource, SourceAnswer } from '../candidate-source';
import type { RecommendationRequest } from '../request';
import type { ServingCache } from '../serving-cache/serving-cache.service';

export class MemoryListSource implements CandidateSource {
  readonly name = 'memory-list';
  constructor(private readonly cache: ServingCache) {}

  /** Lists hold no vectors (MMR needs them) and leave the user's own products out; categories come from the cached tree. */
  accepts(request: RecommendationRequest): boolean {
    return request.model !== null && request.diversity === 0 && request.filter.excludeInteracted;
  }

  async answer(request: RecommendationRequest): Promise<SourceAnswer | null> {
    if (!this.accepts(request) || !request.model) return null;
    // Lists are stored in exact-score order, so the first `need` allowed entries are the answer: the
    // margin `limit` keeps for a quantized index search would only cost filtering and copying.
    const listed = this.cache.listed(request.model, request.userId, request.filter, request.need);
    if (!listed) return null;
    return {
      strategy: listed.folded ? 'FOLD_IN' : 'MODEL',
      candidates: listed.candidates,
      recent: listed.recent,
      vector: null,
      complete: true,
    };
  }
}

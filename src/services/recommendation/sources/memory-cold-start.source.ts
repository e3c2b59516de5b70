/**
 * Cold start for a user the serving cache read and found without events: what is trending, its
 * shared pool filtered against the cached catalogue, so neither the user's state nor the filter
 * needs a Neo4j round trip. The same page the trending source gives after Neo4j's path.
 */
import type { CandidateSource, SourceAnswer } from '../candidate-source';
import type { RecommendationRequest } from '../request';
import type { ServingCache } from '../serving-cache/serving-cache.service';
import type { TrendingProducts } from '../trending-products';
import { trendingAnswer } from './trending.source';

export class MemoryColdStartSource implements CandidateSource {
  readonly name = 'memory-cold-start';
  constructor(
    private readonly cache: ServingCache,
    private readonly trending: TrendingProducts,
  ) {}

  accepts(request: RecommendationRequest): boolean {
    return request.model !== null && this.cache.withoutEvents(request.model, request.userId);
  }

  async answer(request: RecommendationRequest): Promise<SourceAnswer | null> {
    if (!this.accepts(request)) return null;
    const allowedOf = this.cache.allowedOf(request.filter);
    if (!allowedOf) return null;
    return trendingAnswer(await this.trending.top(request.need, request.filter, allowedOf));
  }
}

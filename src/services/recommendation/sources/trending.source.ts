/** Cold start: a user with no events, or none the model can use, gets what is trending (with the request's filters). */
import type { CandidateSource, SourceAnswer, SourceContext } from '../candidate-source';
import type { RecommendationRequest } from '../request';
import type { TrendingProducts } from '../trending-products';

export class TrendingSource implements CandidateSource {
  readonly name = 'trending';
  constructor(private readonly trending: TrendingProducts) {}

  accepts(_request: RecommendationRequest, context: Pick<SourceContext, 'previous'>): boolean {
    return context.previous === null;
  }

  async answer(request: RecommendationRequest, context: SourceContext): Promise<SourceAnswer | null> {
    if (!this.accepts(request, context)) return null;
    return trendingAnswer(await this.trending.top(request.need, request.filter));
  }
}

/** A cold-start page of trending products: complete, no recent items, no vector. */
export function trendingAnswer(rows: { productId: string; score: number }[]): SourceAnswer {
  return {
    strategy: 'TRENDING',
    candidates: rows.map((r) => ({ id: r.productId, score: r.score, product: null, vector: null })),
    recent: [],
    vector: null,
    complete: true,
  };
}

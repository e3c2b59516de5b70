/**
 * The last resort for a personal answer still short after the other sources, when there was no
 * vector to scan with (no published vector and none to fold in): popular allowed products the user
 * has not seen, after the personal ones, each with a POPULAR reason.
 */
import type { CandidateSource, SourceAnswer, SourceContext } from '../candidate-source';
import type { RecommendationRequest } from '../request';
import type { TrendingProducts } from '../trending-products';

/** Popularity (0..1] scaled into the scores' lowest band. */
const POPULAR_FILL_SCALE = 0.001;

export class PopularFillSource implements CandidateSource {
  readonly name = 'popular-fill';
  constructor(private readonly trending: TrendingProducts) {}

  accepts(_request: RecommendationRequest, context: Pick<SourceContext, 'previous'>): boolean {
    return context.previous !== null && !context.previous.complete;
  }

  async answer(request: RecommendationRequest, context: SourceContext): Promise<SourceAnswer | null> {
    const { previous } = context;
    if (!previous || !this.accepts(request, context)) return null;
    const have = previous.candidates.map((c) => c.id);
    const rows = await this.trending.top(request.need - have.length, { ...request.filter, excludeIds: [...request.filter.excludeIds, ...have] });
    // Below every personal score ((1 + cos) / 2 of a product unlike the user is about 0.5), in popularity order.
    const fill = rows.map((r) => ({ id: r.productId, score: POPULAR_FILL_SCALE * r.score, product: null, vector: null, popularFill: true }));
    return { ...previous, candidates: [...previous.candidates, ...fill], complete: true };
  }
}

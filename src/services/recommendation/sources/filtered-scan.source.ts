/**
 * Exact nearest neighbours inside the filtered set, for a personal answer that a narrow filter
 * left short: the index's global top-k may hold none of the allowed products.
 */
import type { RecommendationRepository } from '../../../repositories/recommendation.repository';
import type { CandidateSource, SourceAnswer, SourceContext } from '../candidate-source';
import type { RecommendationRequest } from '../request';

export class FilteredScanSource implements CandidateSource {
  constructor(private readonly repo: RecommendationRepository) {}

  accepts(request: RecommendationRequest, context: Pick<SourceContext, 'previous'>): boolean {
    return request.model !== null && request.narrow && context.previous !== null && !context.previous.complete;
  }

  async answer(request: RecommendationRequest, context: SourceContext): Promise<SourceAnswer | null> {
    const { previous } = context;
    if (!request.model || !previous || !this.accepts(request, context)) return null;
    const vector = previous.vector ?? (await this.repo.userEmbedding(request.model.slot, request.userId));
    if (!vector) return null;
    const candidates = await this.repo.filteredScan(
      request.model.slot,
      { vector, limit: Math.max(request.limit, request.need), withVectors: request.withVectors },
      request.filter,
    );
    return { ...previous, candidates, vector, complete: true };
  }
}

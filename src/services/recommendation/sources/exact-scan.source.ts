/**
 * Exact nearest neighbours of the user's vector over every allowed product, for a personal answer
 * the index searches left short: a narrow filter (the index's global top-k may hold none of the
 * allowed products) or a user who has seen most of what is near them. One pass over the catalogue.
 */

import { CandidateSource, searchVector, SourceAnswer, SourceContext } from '../candidate-source';
import type { RecommendationRequest } from '../request';
import type { ProductRepository } from '../../../repositories/product.repository';
import type { UserRepository } from '../../../repositories/user.repository';

export class ExactScanSource implements CandidateSource {
  readonly name = 'exact-scan';
  constructor(
    private readonly products: ProductRepository,
    private readonly users: UserRepository,
  ) {}

  accepts(request: RecommendationRequest, context: Pick<SourceContext, 'previous'>): boolean {
    return request.model !== null && context.previous !== null && !context.previous.complete;
  }

  async answer(request: RecommendationRequest, context: SourceContext): Promise<SourceAnswer | null> {
    const { previous } = context;
    if (!request.model || !previous || !this.accepts(request, context)) return null;
    const vector = await searchVector(request, previous, this.users);
    if (!vector) return null;
    const candidates = await this.products.filteredScan(
      request.model.slot,
      { vector, limit: Math.max(request.limit, request.need), withVectors: request.withVectors },
      request.filter,
    );
    // Every allowed product with a vector was scored: this is the answer (a product the model has
    // no vector for is placed at once when it is written, so none is left for popular fill).
    return { ...previous, candidates, vector, complete: true };
  }
}

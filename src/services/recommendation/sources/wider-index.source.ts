/**
 * A second index search sized by the user's whole history, for a user whose first search (which
 * makes up for at most MAX_EXTRA_CANDIDATES of their own products) came back short: heavy users
 * have seen most of what lies near them. Narrow filters skip it: the exact scan serves them better.
 */

import { CandidateSource, isShort, searchVector, SourceAnswer, SourceContext } from '../candidate-source';
import { MAX_HISTORY_EXTRA } from '../limits';
import type { RecommendationRequest } from '../request';
import type { ProductRepository } from '../../../repositories/product.repository';
import type { UserRepository } from '../../../repositories/user.repository';

export class WiderIndexSource implements CandidateSource {
  readonly name = 'wider-index';
  constructor(
    private readonly products: ProductRepository,
    private readonly users: UserRepository,
  ) {}

  accepts(request: RecommendationRequest, context: Pick<SourceContext, 'previous'>): boolean {
    const { previous } = context;
    return request.model !== null && !request.narrow && previous !== null && !previous.complete && !previous.widened;
  }

  async answer(request: RecommendationRequest, context: SourceContext): Promise<SourceAnswer | null> {
    const { previous } = context;
    if (!request.model || !previous || !this.accepts(request, context)) return null;
    const vector = await searchVector(request, previous, this.users);
    if (!vector) return null;
    const candidates = await this.products.candidates(
      request.model.slot,
      { vector, k: request.k, maxExtra: MAX_HISTORY_EXTRA, limit: request.limit, withVectors: request.withVectors },
      request.filter,
    );
    return { ...previous, candidates, vector, widened: true, complete: !isShort(request, candidates.length) };
  }
}

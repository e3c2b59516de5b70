/**
 * Fold-in of a user the serving cache holds as acted since training: their latest events, the
 * products and the items' vectors (the GAT artifact's, which publish stored) are in memory, so
 * Neo4j runs only the index search.
 */

import type { ActiveModelService } from '../../active-model.service';
import { Candidate, CandidateSource, isShort, SourceAnswer } from '../candidate-source';
import { foldInVector } from '../fold-in';
import { MAX_EXTRA_CANDIDATES } from '../limits';
import type { RecommendationRequest } from '../request';
import type { ServingCache } from '../serving-cache/serving-cache.service';
import type { ProductRepository } from '../../../repositories/product.repository';

export class MemoryFoldInSource implements CandidateSource {
  readonly name = 'memory-fold-in';
  constructor(
    private readonly cache: ServingCache,
    private readonly active: ActiveModelService,
    private readonly products: ProductRepository,
  ) {}

  /** Products embedded after publish have no artifact vector: Neo4j's fold-in ranks those. */
  accepts(request: RecommendationRequest): boolean {
    return request.model !== null && request.model.newProducts === 0;
  }

  /** Passes when the cache does not hold the user's events, or the artifact is not here or knows none of their items. */
  async answer(request: RecommendationRequest): Promise<SourceAnswer | null> {
    const model = request.model;
    if (!model || !this.accepts(request)) return null;
    const recent = this.cache.foldInEvents(model, request.userId);
    if (!recent) return null;
    const gat = await this.active.gat(model);
    const vector = gat && foldInVector(gat, recent);
    if (!gat || !vector) return null;
    const rows = await this.products.scores(model.slot, { vector, k: request.k, maxExtra: MAX_EXTRA_CANDIDATES, limit: request.limit }, request.filter);
    const candidates: Candidate[] = [];
    for (const [id, score] of rows) {
      const product = this.cache.product(id);
      const index = gat.itemIndex.get(id);
      // A product the cache has not read yet, or one newer than the artifact.
      if (!product || index === undefined) return null;
      candidates.push({ id, score, product, vector: request.withVectors ? gat.itemVector(index) : null });
    }
    return { strategy: 'FOLD_IN', candidates, recent, vector, complete: !isShort(request, candidates.length) };
  }
}

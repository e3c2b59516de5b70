/**
 * A user who acted since training (or is new to the model), folded in from the latest events Neo4j
 * returned: the GAT's fold-in when its artifact is here, else the weighted mean of the items'
 * published vectors; then an index search for that vector.
 */
import type { RecentItemRow } from '../../../repositories/candidate.cypher';
import type { ActiveModel, ActiveModelService } from '../../active-model.service';
import { CandidateSource, isShort, SourceAnswer, SourceContext } from '../candidate-source';
import { foldInVector } from '../fold-in';
import { MAX_EXTRA_CANDIDATES } from '../limits';
import type { RecommendationRequest } from '../request';
import type { ProductRepository } from '../../../repositories/product.repository';

export class FoldInSource implements CandidateSource {
  readonly name = 'fold-in';
  constructor(
    private readonly active: ActiveModelService,
    private readonly products: ProductRepository,
  ) {}

  accepts(request: RecommendationRequest, context: Pick<SourceContext, 'previous'>): boolean {
    return request.model !== null && context.previous === null;
  }

  async answer(request: RecommendationRequest, context: SourceContext): Promise<SourceAnswer | null> {
    const model = request.model;
    if (!model || !this.accepts(request, context)) return null;
    const user = await context.neo4jUser();
    if (!user || user.events === 0 || (user.hasVector && user.freshEvents === 0)) return null;
    const vector = await this.foldIn(model, user.recent);
    if (!vector) return null;
    const candidates = await this.products.candidates(
      model.slot,
      { vector, k: request.k, maxExtra: MAX_EXTRA_CANDIDATES, limit: request.limit, withVectors: request.withVectors },
      request.filter,
    );
    return { strategy: 'FOLD_IN', candidates, recent: user.recent, vector, complete: !isShort(request, candidates.length) };
  }

  private async foldIn(model: ActiveModel, recent: RecentItemRow[]): Promise<number[] | null> {
    const gat = await this.active.gat(model);
    const folded = gat && foldInVector(gat, recent);
    if (folded) return folded;
    // No artifact here, or only items newer than the model.
    const weights = new Map(recent.map((r) => [r.productId, r.weight]));
    const rows = await this.products.productEmbeddings(model.slot, [...weights.keys()]);
    if (rows.length === 0) return null;
    const mean = new Array<number>(rows[0].vector.length).fill(0);
    for (const r of rows) r.vector.forEach((v, d) => (mean[d] += (v * (weights.get(r.id) ?? 1)) / rows.length));
    return mean;
  }
}

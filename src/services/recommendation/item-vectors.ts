/**
 * The model's vectors of products, for reasons: from the GAT artifact in memory when it is on this
 * machine (the vectors publish stored), from Neo4j for the rest (products embedded since, or every
 * product on a replica without the artifact), in one query.
 */

import type { Vector } from '../../ml/vector';
import type { ActiveModel, ActiveModelService } from '../active-model.service';
import type { ProductRepository } from '../../repositories/product.repository';

export class ItemVectors {
  constructor(
    private readonly active: ActiveModelService,
    private readonly products: ProductRepository,
  ) {}

  async of(model: ActiveModel, ids: string[]): Promise<Map<string, Vector>> {
    const vectors = new Map<string, Vector>();
    const gat = await this.active.gat(model);
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const index = gat?.itemIndex.get(id);
      if (gat && index !== undefined) vectors.set(id, gat.itemVector(index));
      else missing.push(id);
    }
    if (missing.length > 0) for (const row of await this.products.productEmbeddings(model.slot, missing)) vectors.set(row.id, row.vector);
    return vectors;
  }
}

/**
 * The model's vectors of products, for reasons: from the GAT artifact in memory when it is on this
 * machine (the vectors publish stored), from Neo4j for the rest (products embedded since publish,
 * or every product on a replica without the artifact), in one query, then kept for a minute so the
 * same newcomers on the next pages cost no round trip.
 */
import type { ProductRepository } from '../../repositories/product.repository';
import type { Vector } from '../../ml/vector';
import type { ActiveModel, ActiveModelService } from '../active-model.service';

/** A re-embedded product's new vector is used within this long; it only changes which recent item a reason names. */
const READ_VECTOR_TTL_MS = 60_000;
const MAX_READ_VECTORS = 20_000;

export class ModelVectors {
  private read = { modelId: '', vectors: new Map<string, { vector: Vector; at: number }>() };

  constructor(
    private readonly active: ActiveModelService,
    private readonly products: ProductRepository,
  ) {}

  async items(model: ActiveModel, ids: string[]): Promise<Map<string, Vector>> {
    if (this.read.modelId !== model.id) this.read = { modelId: model.id, vectors: new Map() };
    const vectors = new Map<string, Vector>();
    const gat = await this.active.gat(model);
    const missing: string[] = [];
    const now = Date.now();
    for (const id of new Set(ids)) {
      const index = gat?.itemIndex.get(id);
      const read = this.read.vectors.get(id);
      if (gat && index !== undefined) vectors.set(id, gat.itemVector(index));
      else if (read && now - read.at < READ_VECTOR_TTL_MS) vectors.set(id, read.vector);
      else missing.push(id);
    }
    if (missing.length === 0) return vectors;
    if (this.read.vectors.size + missing.length > MAX_READ_VECTORS) this.read.vectors.clear();
    for (const row of await this.products.productEmbeddings(model.slot, missing)) {
      vectors.set(row.id, row.vector);
      this.read.vectors.set(row.id, { vector: row.vector, at: now });
    }
    return vectors;
  }
}

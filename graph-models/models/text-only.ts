import { RowSets } from '../data/csr';
import { FitContext, FitReport, Recommender } from '../eval/recommender';

/**
 * Content-only: cosine between each item's text embedding and the mean of the (unit-normalised)
 * text embeddings of the user's train items. Shows what text alone knows, and is the cold-start floor.
 */
export class TextOnlyRecommender implements Recommender {
  readonly name: string;
  private items: Float32Array = new Float32Array(0);
  private dim = 0;
  private numItems = 0;
  private trainItems: RowSets = { indptr: new Int32Array(1), indices: new Int32Array(0) };

  constructor(opts: { name?: string } = {}) {
    this.name = opts.name ?? 'text-only';
  }

  async fit(ctx: FitContext): Promise<FitReport> {
    const { itemTextEmbedding, textDim } = ctx.snapshot;
    if (!itemTextEmbedding || !textDim) {
      throw new Error(
        'text-only needs snapshot.itemTextEmbedding and snapshot.textDim; encode product text first (design §4.2)',
      );
    }
    this.numItems = ctx.split.numItems;
    if (itemTextEmbedding.length !== this.numItems * textDim) {
      throw new Error(`itemTextEmbedding has ${itemTextEmbedding.length} values, expected ${this.numItems} x ${textDim}`);
    }
    this.dim = textDim;
    this.items = normaliseRows(itemTextEmbedding, textDim);
    this.trainItems = ctx.split.trainItems;
    return { epochs: 0, params: { textDim } };
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const { dim, numItems, items } = this;
    const profile = new Float32Array(dim);
    for (let b = 0; b < users.length; b++) {
      profile.fill(0);
      const u = users[b];
      for (let k = this.trainItems.indptr[u]; k < this.trainItems.indptr[u + 1]; k++) {
        const base = this.trainItems.indices[k] * dim;
        for (let d = 0; d < dim; d++) profile[d] += items[base + d];
      }
      let norm = 0;
      for (let d = 0; d < dim; d++) norm += profile[d] * profile[d];
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      const row = b * numItems;
      for (let i = 0; i < numItems; i++) {
        let s = 0;
        const base = i * dim;
        for (let d = 0; d < dim; d++) s += profile[d] * items[base + d];
        out[row + i] = s * scale;
      }
    }
  }
}

function normaliseRows(m: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let base = 0; base < m.length; base += dim) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += m[base + d] * m[base + d];
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dim; d++) out[base + d] = m[base + d] * scale;
  }
  return out;
}

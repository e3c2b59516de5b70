import { Csr } from '../data/csr';
import { FitContext, FitReport, Recommender } from '../eval/recommender';
import { topK } from '../eval/top-k';

export interface ItemKnnOptions {
  /** Neighbours kept per item. */
  neighbours?: number;
  /** Added to the cosine denominator so pairs with little support rank lower. */
  shrink?: number;
}

/**
 * Item-based kNN: cosine similarity between item columns of the binary train user-item matrix,
 * top-N neighbours per item; a user's score for i is the sum of i's similarity to the user's train items.
 */
export class ItemKnnRecommender implements Recommender {
  readonly name = 'item-knn';
  private readonly neighbours: number;
  private readonly shrink: number;
  /** Row j: j's top-N neighbours and their cosine (symmetric, so row j also serves "j -> candidates"). */
  private sims: Csr = { indptr: new Int32Array(1), indices: new Int32Array(0), weights: new Float32Array(0) };
  private userItems: Csr = { indptr: new Int32Array(1), indices: new Int32Array(0), weights: new Float32Array(0) };
  private numItems = 0;

  constructor(opts: ItemKnnOptions = {}) {
    this.neighbours = opts.neighbours ?? 100;
    this.shrink = opts.shrink ?? 10;
  }

  async fit(ctx: FitContext): Promise<FitReport> {
    const { userItems, itemUsers, numItems } = ctx.train;
    this.userItems = userItems;
    this.numItems = numItems;
    const norms = new Float32Array(numItems);
    for (let i = 0; i < numItems; i++) norms[i] = Math.sqrt(itemUsers.indptr[i + 1] - itemUsers.indptr[i]);
    const co = new Float32Array(numItems);
    const touched = new Int32Array(numItems);
    const indptr = new Int32Array(numItems + 1);
    const indices: number[] = [];
    const weights: number[] = [];
    for (let i = 0; i < numItems; i++) {
      // Co-occurrence counts of i with every item, via i's users; only touched slots are reset.
      let nTouched = 0;
      for (let a = itemUsers.indptr[i]; a < itemUsers.indptr[i + 1]; a++) {
        const u = itemUsers.indices[a];
        for (let b = userItems.indptr[u]; b < userItems.indptr[u + 1]; b++) {
          const j = userItems.indices[b];
          if (j === i) continue;
          if (co[j] === 0) touched[nTouched++] = j;
          co[j] += 1;
        }
      }
      for (let t = 0; t < nTouched; t++) {
        const j = touched[t];
        co[j] = co[j] / (norms[i] * norms[j] + this.shrink);
      }
      const best = topKOfTouched(co, touched, nTouched, this.neighbours);
      for (const j of best) {
        indices.push(j);
        weights.push(co[j]);
      }
      indptr[i + 1] = indices.length;
      for (let t = 0; t < nTouched; t++) co[touched[t]] = 0;
    }
    this.sims = { indptr, indices: Int32Array.from(indices), weights: Float32Array.from(weights) };
    return { epochs: 0, params: { neighbours: this.neighbours, shrink: this.shrink } };
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const { sims, userItems, numItems } = this;
    for (let b = 0; b < users.length; b++) {
      const row = b * numItems;
      out.fill(0, row, row + numItems);
      const u = users[b];
      for (let a = userItems.indptr[u]; a < userItems.indptr[u + 1]; a++) {
        const j = userItems.indices[a];
        for (let k = sims.indptr[j]; k < sims.indptr[j + 1]; k++) out[row + sims.indices[k]] += sims.weights[k];
      }
    }
  }
}

/** Top-n of the touched slots only (cheap: items co-occur with a small part of the catalogue). */
function topKOfTouched(values: Float32Array, touched: Int32Array, nTouched: number, n: number): Int32Array {
  const local = new Float32Array(nTouched);
  for (let t = 0; t < nTouched; t++) local[t] = values[touched[t]];
  const picked = topK({ scores: local, offset: 0, numItems: nTouched, k: n });
  return picked.map((t) => touched[t]);
}

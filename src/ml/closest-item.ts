/**
 * Which of a user's recent items a candidate is most similar to, by cosine in the model's space:
 * the item a "because you viewed X" reason names (services/recommendation/reasons.ts, the only
 * caller). The first of equal maxima wins.
 */
import { dot, norm, Vector } from './vector';

export interface RecentVector {
  productId: string;
  vector: Vector;
}

export interface ClosestItem {
  productId: string;
  similarity: number;
}

/** Norms of the recent items, computed once per request rather than once per candidate. */
export function withNorms(recent: RecentVector[]): (RecentVector & { norm: number })[] {
  return recent.map((r) => ({ ...r, norm: norm(r.vector) }));
}

export function closestItem(candidate: Vector, recent: (RecentVector & { norm: number })[]): ClosestItem | null {
  const n = norm(candidate);
  let best: ClosestItem | null = null;
  for (const r of recent) {
    const d = n * r.norm;
    const similarity = d === 0 ? 0 : dot(candidate, r.vector) / d;
    if (best === null || similarity > best.similarity) best = { productId: r.productId, similarity };
  }
  return best;
}

/**
 * The in-memory half of a fold-in, shared by request-time fold-in (recommendation.service.ts) and
 * the serving cache's fold-in lists (fold-in-list.service.ts): the user's vector from their latest
 * events, and for the index's answer the candidates' vectors and the recent item behind each reason.
 */
import { ClosestItem, closestItem, RecentVector, withNorms } from '../ml/closest-item';
import type { RecentItemRow, ScoredIdRow } from '../repositories/recommendation.repository';
import type { LoadedGat } from './active-model.service';

/** The GAT's fold-in of the events' items it knows, or null when it knows none. */
export function foldInVector(gat: LoadedGat, recent: RecentItemRow[]): number[] | null {
  const known = recent.filter((r) => gat.itemIndex.has(r.productId));
  if (known.length === 0) return null;
  return Array.from(gat.model.foldInUser(known.map((r) => gat.itemIndex.get(r.productId) as number), known.map((r) => r.weight)));
}

export interface ExplainedCandidate {
  id: string;
  score: number;
  /** The artifact's vector of the candidate (a view). */
  vector: Float32Array;
  closest: ClosestItem | null;
}

/**
 * The index's scored candidates with their artifact vectors and the recent item most similar to
 * each (what a reason names), or null when the artifact does not know one of them (a product
 * embedded after it): its reason cannot be computed here.
 */
export function explainedCandidates(gat: LoadedGat, scored: ScoredIdRow[], recent: RecentItemRow[]): ExplainedCandidate[] | null {
  const reasonItems = recentVectors(gat, recent);
  const candidates: ExplainedCandidate[] = [];
  for (const [id, score] of scored) {
    const i = gat.itemIndex.get(id);
    if (i === undefined) return null;
    const vector = gat.itemVector(i);
    candidates.push({ id, score, vector, closest: closestItem(vector, reasonItems) });
  }
  return candidates;
}

/** The artifact's vectors of the recent items it knows, with norms, for closestItem. */
function recentVectors(gat: LoadedGat, recent: RecentItemRow[]): (RecentVector & { norm: number })[] {
  return withNorms(
    recent.flatMap((r) => {
      const i = gat.itemIndex.get(r.productId);
      return i === undefined ? [] : [{ productId: r.productId, vector: gat.itemVector(i) }];
    }),
  );
}

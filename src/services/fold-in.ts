/**
 * The in-memory half of a fold-in, shared by request-time fold-in (recommendation.service.ts) and
 * the serving cache's fold-in lists (fold-in-list.service.ts): the user's vector from their latest
 * events, and the recent items' vectors that name a candidate's reason.
 */
import { RecentVector, withNorms } from '../ml/closest-item';
import type { RecentItemRow } from '../repositories/recommendation.repository';
import type { LoadedGat } from './active-model.service';

/** The GAT's fold-in of the events' items it knows, or null when it knows none. */
export function foldInVector(gat: LoadedGat, recent: RecentItemRow[]): number[] | null {
  const known = recent.filter((r) => gat.itemIndex.has(r.productId));
  if (known.length === 0) return null;
  return Array.from(gat.model.foldInUser(known.map((r) => gat.itemIndex.get(r.productId) as number), known.map((r) => r.weight)));
}

/** The artifact's vectors of the recent items it knows, with norms, for closestItem. */
export function recentVectors(gat: LoadedGat, recent: RecentItemRow[]): (RecentVector & { norm: number })[] {
  return withNorms(
    recent.flatMap((r) => {
      const i = gat.itemIndex.get(r.productId);
      return i === undefined ? [] : [{ productId: r.productId, vector: gat.itemVector(i) }];
    }),
  );
}

/** A user's vector from their latest events through the GAT's attention layers (request-time fold-in and the cache's fold-in lists). */
import type { RecentItemRow } from '../../repositories/candidate.cypher';
import type { LoadedGat } from '../active-model.service';

/** The GAT's fold-in of the events' items it knows, or null when it knows none. */
export function foldInVector(gat: LoadedGat, recent: RecentItemRow[]): number[] | null {
  const known = recent.filter((r) => gat.itemIndex.has(r.productId));
  if (known.length === 0) return null;
  return Array.from(gat.model.foldInUser(known.map((r) => gat.itemIndex.get(r.productId) as number), known.map((r) => r.weight)));
}

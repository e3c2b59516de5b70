/**
 * One published user as the serving cache holds it: the candidate list stored at publish and the
 * latest events (for reasons), in typed arrays. About 1.7 KB for a 64-long list and 20 events,
 * against about 5 KB as plain objects.
 */
import type { ListedUserRow } from '../../repositories/serving-cache.repository';
import type { ProductTable } from './product-table';

export interface CachedUser {
  /** Candidate product positions (ProductTable), best first. */
  ids: Int32Array;
  scores: Float64Array;
  /** Position of the recent product closest to each candidate, or -1. */
  closest: Int32Array;
  closestSimilarities: Float32Array;
  recentProducts: Int32Array;
  /** Indexes into eventTypes. */
  recentTypes: Uint8Array;
  recentWeights: Float32Array;
  recentAt: Float64Array;
}

/** Event types seen so far; a handful in practice, shared by every cached user. */
const eventTypes: string[] = [];

function typeIndex(type: string): number {
  let i = eventTypes.indexOf(type);
  if (i < 0) {
    if (eventTypes.length >= 255) throw new Error('more than 255 event types');
    i = eventTypes.push(type) - 1;
  }
  return i;
}

export function eventType(index: number): string {
  return eventTypes[index];
}

export function toCachedUser(row: ListedUserRow, products: ProductTable): CachedUser {
  return {
    ids: Int32Array.from(row.ids, (id) => products.positionOf(id)),
    scores: Float64Array.from(row.scores),
    closest: Int32Array.from(row.closestIds, (id) => (id === '' ? -1 : products.positionOf(id))),
    closestSimilarities: Float32Array.from(row.closestSimilarities),
    recentProducts: Int32Array.from(row.recent, ([id]) => products.positionOf(id)),
    recentTypes: Uint8Array.from(row.recent, ([, type]) => typeIndex(type)),
    recentWeights: Float32Array.from(row.recent, ([, , weight]) => weight),
    recentAt: Float64Array.from(row.recent, ([, , , at]) => at),
  };
}

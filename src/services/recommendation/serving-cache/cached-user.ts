/**
 * One user as the serving cache holds it, in typed arrays: a candidate list (stored at publish
 * while the published vector is current, or found for the fold-in of a user who acted since) and
 * the latest events (for reasons and fold-in). About 1.3 KB for a 64-long list and 20 events,
 * against about 5 KB as plain objects.
 */
import type { ListedUserRow } from '../../../repositories/candidate-list.repository';
import type { RecentEventRow, StoredEvent } from '../../../repositories/interaction.repository';
import type { ListClosest } from '../list-reasons';
import type { ProductTable } from './product-table';

export interface StoredList {
  /** Candidate product positions (ProductTable), best first. */
  ids: Int32Array;
  scores: Float64Array;
  /**
   * Per entry, the ProductTable position of the recent product a reason names (-1: none) and its
   * cosine, computed when the list was stored (list-reasons.ts); null when the artifact is not here.
   */
  closest: { positions: Int32Array; similarities: Float32Array } | null;
}

export interface CachedUser {
  /** Has events at or after the version's training time: folded in from `recent`, the published vector is stale. */
  fresh: boolean;
  /**
   * The vector index's answer for the user's vector: the published one's, or for a fresh user their
   * fold-in's once it has been searched (FoldInLister); null until then.
   */
  list: StoredList | null;
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

/** A user who acted after training, from their latest events (newest first). */
export function toFoldedUser(recent: RecentEventRow[], products: ProductTable): CachedUser {
  return {
    fresh: true,
    list: null,
    recentProducts: Int32Array.from(recent, ([id]) => products.positionOf(id)),
    recentTypes: Uint8Array.from(recent, ([, type]) => typeIndex(type)),
    recentWeights: Float32Array.from(recent, ([, , weight]) => weight),
    recentAt: Float64Array.from(recent, ([, , , at]) => at),
  };
}

/**
 * A held user after events of theirs that this process just stored, as re-reading their latest
 * events would give them (newest first, ties by eventId as in LATEST_EVENTS_OF_U, at most `limit`,
 * to fold in); null when that is not certain: an event not newer than every held one could sort
 * among them by an eventId the cache does not keep.
 */
export function withOwnEvents(user: CachedUser, events: readonly StoredEvent[], products: ProductTable, limit: number): CachedUser | null {
  const newest = user.recentAt.length > 0 ? user.recentAt[0] : Number.NEGATIVE_INFINITY;
  if (events.some((e) => e.at <= newest)) return null;
  const sorted = [...events].sort((a, b) => b.at - a.at || (a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0));
  const rows: RecentEventRow[] = sorted.map((e) => [e.productId, e.type, e.weight, e.at]);
  for (let i = 0; i < user.recentProducts.length && rows.length < limit; i++) {
    rows.push([products.idAt(user.recentProducts[i]), eventType(user.recentTypes[i]), user.recentWeights[i], user.recentAt[i]]);
  }
  return toFoldedUser(rows.slice(0, limit), products);
}

export function toCachedUser(row: ListedUserRow, products: ProductTable, explain: ListExplainer | null): CachedUser {
  const user = toFoldedUser(row.recent, products);
  if (row.freshEvents > 0) return user;
  user.fresh = false;
  user.list = toStoredList(row, products, explain, user);
  return user;
}

/** list-reasons.ts for one model: the recent item behind each list entry. */
export type ListExplainer = (recentIds: string[], listIds: string[]) => ListClosest | null;

/** A candidate list as Neo4j or the fold-in lister gives it: ids best first. */
export type CandidateListRow = Pick<ListedUserRow, 'ids' | 'scores'>;

export function toStoredList(row: CandidateListRow, products: ProductTable, explain: ListExplainer | null, user: CachedUser): StoredList {
  const reasons = explain?.(Array.from(user.recentProducts, (position) => products.idAt(position)), row.ids) ?? null;
  return {
    ids: Int32Array.from(row.ids, (id) => products.positionOf(id)),
    scores: Float64Array.from(row.scores),
    closest: reasons && {
      positions: Int32Array.from(reasons.recentIndex, (i) => (i < 0 ? -1 : user.recentProducts[i])),
      similarities: reasons.similarity,
    },
  };
}

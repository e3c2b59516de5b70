import { MAX_REVIEWS, productText } from '../../src/domain/product-text';
import { canonicalOrder } from './canonical-order';
import { Dataset, INTERACTION_TYPES, InteractionType } from '../../src/domain/records';
import { GraphSnapshot } from './snapshot';

/**
 * Builds a GraphSnapshot straight from a seeds Dataset, so training and evaluation run on seed
 * data without Neo4j, equal to the snapshot of the same data loaded into Neo4j
 * (src/pipeline/snapshot.ts): both end in canonicalOrder (ids in order, users with events only).
 * Products referenced only by interactions get their id as title. A repeated eventId keeps its
 * first occurrence, as idempotent ingestion would.
 */
export function snapshotFromDataset(dataset: Dataset): GraphSnapshot {
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const userIds: string[] = [];
  const itemIds: string[] = [];
  const addUser = (id: string): number => {
    let i = userIndex.get(id);
    if (i === undefined) {
      i = userIds.length;
      userIndex.set(id, i);
      userIds.push(id);
    }
    return i;
  };
  const categoryName = new Map(dataset.categories.map((c) => [c.id, c.name]));
  const itemText: string[] = [];
  const itemCategories: string[][] = [];
  const products = new Map(dataset.products.map((p) => [p.id, p]));
  const reviews = reviewsByProduct(dataset);
  const addItem = (id: string): number => {
    let i = itemIndex.get(id);
    if (i === undefined) {
      i = itemIds.length;
      itemIndex.set(id, i);
      itemIds.push(id);
      const p = products.get(id);
      const categories = p?.categoryIds ?? [];
      itemCategories.push([...categories]);
      // The same text the server encodes (src/domain/product-text.ts), so offline runs match training from Neo4j.
      itemText.push(
        productText({ title: p?.title ?? id, categories: categories.map((c) => categoryName.get(c) ?? c), description: p?.description, reviews: reviews.get(id) }),
      );
    }
    return i;
  };
  for (const u of dataset.users) addUser(u.id);
  for (const p of dataset.products) addItem(p.id);

  const typeIndex = new Map<InteractionType, number>(INTERACTION_TYPES.map((t, i) => [t, i]));
  const seenEvents = new Set<string>();
  const kept = dataset.interactions.filter((e) => {
    if (seenEvents.has(e.eventId)) return false;
    seenEvents.add(e.eventId);
    return true;
  });
  const n = kept.length;
  const eventUser = new Int32Array(n);
  const eventItem = new Int32Array(n);
  const eventTime = new Float64Array(n);
  const eventType = new Uint8Array(n);
  const eventRating = new Float32Array(n);
  kept.forEach((e, k) => {
    eventUser[k] = addUser(e.userId);
    eventItem[k] = addItem(e.productId);
    eventTime[k] = e.at;
    const type = typeIndex.get(e.type);
    if (type === undefined) throw new Error(`Unknown interaction type "${e.type}" in event ${e.eventId}`);
    eventType[k] = type;
    eventRating[k] = e.rating ?? Number.NaN;
  });
  return canonicalOrder({ userIds, itemIds, eventUser, eventItem, eventTime, eventType, eventRating, itemText, itemCategories });
}

/** Each product's earliest MAX_REVIEWS review texts by (time, event id), as Neo4j's snapshot picks them. */
function reviewsByProduct(dataset: Dataset): Map<string, string[]> {
  const reviewed = dataset.interactions.filter((e) => e.reviewText !== undefined && e.reviewText !== null);
  reviewed.sort((a, b) => a.at - b.at || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
  const out = new Map<string, string[]>();
  for (const e of reviewed) {
    const list = out.get(e.productId) ?? [];
    if (list.length < MAX_REVIEWS) list.push(e.reviewText!);
    out.set(e.productId, list);
  }
  return out;
}

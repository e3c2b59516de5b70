import { GraphSnapshot } from './snapshot';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The snapshot with users and items in id order, each item's categories in id order, and events
 * ordered by (user, time, item, type, rating). Dense ids decide which random numbers an embedding
 * row gets and event order decides sampling, so without this the same data read from files and from
 * Neo4j (storage order) trained different models under one seed. Ties broken by index downstream
 * (top-k, the split) are then ties broken by id. Users without events are left out: the Neo4j
 * snapshot only meets users through their events.
 */
export function canonicalOrder(s: GraphSnapshot): GraphSnapshot {
  const n = s.eventUser.length;
  const itemOrder = s.itemIds.map((_, i) => i).sort((a, b) => byString(s.itemIds[a], s.itemIds[b]));
  const newItem = new Int32Array(s.itemIds.length);
  itemOrder.forEach((old, i) => (newItem[old] = i));

  const active = new Uint8Array(s.userIds.length);
  for (let e = 0; e < n; e++) active[s.eventUser[e]] = 1;
  const userOrder = s.userIds.map((_, u) => u).filter((u) => active[u] === 1).sort((a, b) => byString(s.userIds[a], s.userIds[b]));
  const newUser = new Int32Array(s.userIds.length).fill(-1);
  userOrder.forEach((old, u) => (newUser[old] = u));

  // Rating NaN (not a RATE event) sorts first; two events equal on every key are interchangeable.
  const rating = (e: number): number => (Number.isNaN(s.eventRating[e]) ? -Infinity : s.eventRating[e]);
  const events = Array.from({ length: n }, (_, e) => e).sort(
    (a, b) =>
      newUser[s.eventUser[a]] - newUser[s.eventUser[b]] ||
      s.eventTime[a] - s.eventTime[b] ||
      newItem[s.eventItem[a]] - newItem[s.eventItem[b]] ||
      s.eventType[a] - s.eventType[b] ||
      rating(a) - rating(b),
  );

  const out: GraphSnapshot = {
    userIds: userOrder.map((u) => s.userIds[u]),
    itemIds: itemOrder.map((i) => s.itemIds[i]),
    eventUser: Int32Array.from(events, (e) => newUser[s.eventUser[e]]),
    eventItem: Int32Array.from(events, (e) => newItem[s.eventItem[e]]),
    eventTime: Float64Array.from(events, (e) => s.eventTime[e]),
    eventType: Uint8Array.from(events, (e) => s.eventType[e]),
    eventRating: Float32Array.from(events, (e) => s.eventRating[e]),
    itemText: itemOrder.map((i) => s.itemText[i]),
    itemCategories: itemOrder.map((i) => [...s.itemCategories[i]].sort(byString)),
  };
  if (s.itemTextEmbedding && s.textDim) {
    const dim = s.textDim;
    const embeddings = new Float32Array(itemOrder.length * dim);
    itemOrder.forEach((old, i) => embeddings.set(s.itemTextEmbedding!.subarray(old * dim, (old + 1) * dim), i * dim));
    out.itemTextEmbedding = embeddings;
    out.textDim = dim;
  }
  return out;
}

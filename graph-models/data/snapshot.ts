/**
 * The user-product interaction graph as training sees it: dense integer ids and parallel typed
 * arrays, so millions of events fit in a few tens of megabytes and kernels can loop over them.
 * Built by streaming from Neo4j (src/repositories) or from a seeds Dataset; knows nothing of either.
 */
export interface GraphSnapshot {
  /** External ids; the index is the dense id used everywhere in graph-models. */
  userIds: string[];
  itemIds: string[];
  /** One entry per event, parallel arrays of equal length. */
  eventUser: Int32Array;
  eventItem: Int32Array;
  /** Milliseconds since the epoch. */
  eventTime: Float64Array;
  /** Index into INTERACTION_TYPES (src/domain/records.ts). */
  eventType: Uint8Array;
  /** Star rating for RATE events, NaN otherwise. */
  eventRating: Float32Array;
  /** Product text per item (title, categories, description), for the text encoder. */
  itemText: string[];
  /** Category ids per item, for coverage and reasons. */
  itemCategories: string[][];
  /** Text embeddings, row-major numItems x textDim, when already encoded. */
  itemTextEmbedding?: Float32Array;
  textDim?: number;
}

export function numEvents(s: GraphSnapshot): number {
  return s.eventUser.length;
}

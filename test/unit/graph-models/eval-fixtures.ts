import { INTERACTION_TYPES, InteractionType } from '../../../src/domain/records';
import { GraphSnapshot } from '../../../graph-models/data/snapshot';

export interface TinyEvent {
  user: number;
  item: number;
  time: number;
  type?: InteractionType;
  rating?: number;
}

/** A snapshot built from a readable event list, for tests. */
export function tinySnapshot(numUsers: number, numItems: number, events: TinyEvent[]): GraphSnapshot {
  return {
    userIds: Array.from({ length: numUsers }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: numItems }, (_, i) => `i${i}`),
    eventUser: Int32Array.from(events.map((e) => e.user)),
    eventItem: Int32Array.from(events.map((e) => e.item)),
    eventTime: Float64Array.from(events.map((e) => e.time)),
    eventType: Uint8Array.from(events.map((e) => INTERACTION_TYPES.indexOf(e.type ?? 'VIEW'))),
    eventRating: Float32Array.from(events.map((e) => e.rating ?? Number.NaN)),
    itemText: Array.from({ length: numItems }, (_, i) => `item ${i}`),
    itemCategories: Array.from({ length: numItems }, () => []),
  };
}

/** Deterministic pseudo-random events (a small LCG, independent of the code under test). */
export function randomSnapshot(numUsers: number, numItems: number, perUser: number, seed: number): GraphSnapshot {
  let s = seed >>> 0;
  const next = (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const events: TinyEvent[] = [];
  for (let u = 0; u < numUsers; u++) {
    const count = 1 + next(perUser * 2);
    // Users prefer a band of items so there is structure to learn.
    const centre = (u * 7) % numItems;
    for (let k = 0; k < count; k++) {
      events.push({ user: u, item: (centre + next(Math.max(1, numItems >> 2))) % numItems, time: next(50) });
    }
  }
  return tinySnapshot(numUsers, numItems, events);
}

import { TYPE_WEIGHT } from '../../src/domain/interaction-weight';
import { INTERACTION_TYPES, InteractionType } from '../../src/domain/records';
import { GraphSnapshot } from './snapshot';

/**
 * Base weight per interaction type, the same the server stores on each event
 * (src/domain/interaction-weight.ts). RATE uses the star rating itself (0.5..5), so a 1-star rating
 * counts like a view and a 5-star like a purchase; a RATE without a rating gets RATE_WITHOUT_RATING.
 */
export const TYPE_WEIGHTS: Readonly<Record<InteractionType, number>> = TYPE_WEIGHT;
export const RATE_WITHOUT_RATING = TYPE_WEIGHT.RATE;
const RATE_INDEX = INTERACTION_TYPES.indexOf('RATE');

export interface InteractionWeightOptions {
  /** Override some type weights. */
  typeWeights?: Partial<Record<InteractionType, number>>;
  /**
   * Optional recency decay: weight *= 0.5 ** ((referenceTime - eventTime) / halfLifeMs).
   * Off when omitted.
   */
  halfLifeMs?: number;
  /** Time the decay is measured from; the latest event time in `events` by default. */
  referenceTime?: number;
  /** Events to weigh (e.g. split.train); others get 0. All events when omitted. */
  events?: Int32Array;
}

/** One weight per snapshot event, for buildBipartite's eventWeights. */
export function interactionWeights(s: GraphSnapshot, opts: InteractionWeightOptions = {}): Float32Array {
  const n = s.eventUser.length;
  const typeWeight = INTERACTION_TYPES.map((t) => opts.typeWeights?.[t] ?? TYPE_WEIGHTS[t]);
  const out = new Float32Array(n);
  const events = opts.events;
  const count = events ? events.length : n;
  let reference = opts.referenceTime ?? -Infinity;
  if (opts.referenceTime === undefined) {
    for (let k = 0; k < count; k++) reference = Math.max(reference, s.eventTime[events ? events[k] : k]);
  }
  for (let k = 0; k < count; k++) {
    const e = events ? events[k] : k;
    const type = s.eventType[e];
    let w = typeWeight[type];
    if (type === RATE_INDEX && opts.typeWeights?.RATE === undefined) {
      const r = s.eventRating[e];
      w = Number.isNaN(r) ? RATE_WITHOUT_RATING : Math.min(5, Math.max(0.5, r));
    }
    if (opts.halfLifeMs !== undefined) {
      // Events after the reference (possible when it is given) are not boosted above full weight.
      const age = Math.max(0, reference - s.eventTime[e]);
      w *= Math.pow(0.5, age / opts.halfLifeMs);
    }
    out[e] = w;
  }
  return out;
}

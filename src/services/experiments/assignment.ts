/**
 * Deterministic, sticky assignment: a member's place in [0, 1) is a hash of the experiment's (or
 * campaign's) id and the user id, so every replica, every restart and every model republish puts a
 * user in the same group, with nothing stored on the request path.
 */
import { createHash } from 'node:crypto';

/** The user's place in [0, 1) for this unit (an experiment or campaign id): SHA-256, first 48 bits. */
export function bucketOf(unitId: string, userId: string): number {
  return createHash('sha256').update(unitId).update('\u0000').update(userId).digest().readUIntBE(0, 6) / 2 ** 48;
}

/** The index of the weighted group a place falls in (weights need not sum to 1). */
export function pickByWeight(weights: readonly number[], bucket: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let edge = 0;
  for (let i = 0; i < weights.length; i++) {
    edge += weights[i] / total;
    if (bucket < edge) return i;
  }
  return weights.length - 1;
}

/** Uniform (user, positive) pairs with uniform negatives, the sampling every pairwise-trained model shares. */
import { BipartiteCsr, Csr, RowSets, csrHas } from '../data/csr';
import { SeededRandom } from '../data/random';

/** The user of every stored (user, item) pair, parallel to csr.indices, for uniform pair sampling. */
export function pairUsers(userItems: Csr): Int32Array {
  const out = new Int32Array(userItems.indices.length);
  for (let u = 0; u + 1 < userItems.indptr.length; u++) out.fill(u, userItems.indptr[u], userItems.indptr[u + 1]);
  return out;
}

/**
 * Uniform negative: an item the user has no train interaction with. Rejection sampling is cheap
 * because users see a small share of the catalogue; after 50 misses any item is accepted so a user
 * who saw everything cannot hang training.
 */
export function sampleNegative(rng: SeededRandom, seen: RowSets, user: number, numItems: number): number {
  for (let tries = 0; tries < 50; tries++) {
    const j = rng.int(numItems);
    if (!csrHas(seen, user, j)) return j;
  }
  return rng.int(numItems);
}

/** A training batch of (user, positive, k negatives) triples as node ids (items offset by numUsers). */
export interface TrainBatch {
  /** The training pairs (userItems positions) of this batch. */
  pairs: Int32Array;
  users: Int32Array;
  /** Node ids (numUsers + item). */
  positives: Int32Array;
  negatives: Int32Array;
  /** Negatives per pair. */
  k: number;
  /** Item rows (0-based) of positives then negatives, for the L2 term on id embeddings. */
  itemRows: Int32Array;
}

/**
 * Negatives are uniform items the user has no train interaction with. With `pool` > 0 they are
 * drawn from `pool` items sampled uniformly for this step (still uniform per negative, marginally):
 * the loss then touches a few thousand item rows that stay in cache instead of batch x k random
 * rows, which is what makes 32 negatives per positive affordable on a 1M-edge graph.
 */
export function sampleBatch(args: { pairs: Int32Array; owner: Int32Array; train: BipartiteCsr; rng: SeededRandom; k: number; pool: number }): TrainBatch {
  const { pairs, owner, rng, k, pool } = args;
  const { userItems, numItems, numUsers } = args.train;
  const b = pairs.length;
  const batch: TrainBatch = {
    pairs,
    users: new Int32Array(b), positives: new Int32Array(b), negatives: new Int32Array(b * k),
    itemRows: new Int32Array(b * (1 + k)),
    k,
  };
  const poolSize = pool > 0 ? Math.min(pool, numItems) : 0;
  const items = new Int32Array(poolSize);
  for (let j = 0; j < poolSize; j++) items[j] = rng.int(numItems);
  for (let q = 0; q < b; q++) {
    const u = owner[pairs[q]];
    batch.users[q] = u;
    batch.itemRows[q] = userItems.indices[pairs[q]];
    batch.positives[q] = numUsers + batch.itemRows[q];
    for (let j = 0; j < k; j++) {
      let neg = -1;
      for (let tries = 0; poolSize > 0 && tries < 50 && neg < 0; tries++) {
        const c = items[rng.int(poolSize)];
        if (!csrHas(userItems, u, c)) neg = c;
      }
      if (neg < 0) neg = sampleNegative(rng, userItems, u, numItems);
      batch.itemRows[b + q * k + j] = neg;
      batch.negatives[q * k + j] = numUsers + neg;
    }
  }
  return batch;
}

import { Csr, RowSets, csrHas } from '../data/csr';
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

export interface EarlyStoppingOptions {
  /** Evaluations without improvement before stopping. */
  patience: number;
  /** Smallest gain that counts as improvement. */
  minDelta?: number;
}

/** Tracks the best validation score; the caller snapshots parameters when `observe` says so. */
export class EarlyStopping {
  bestScore = -Infinity;
  bestEpoch = 0;
  private sinceBest = 0;

  constructor(private readonly opts: EarlyStoppingOptions) {}

  /** Returns 'improved' (keep these parameters), 'continue', or 'stop'. */
  observe(epoch: number, score: number): 'improved' | 'continue' | 'stop' {
    if (score > this.bestScore + (this.opts.minDelta ?? 0)) {
      this.bestScore = score;
      this.bestEpoch = epoch;
      this.sinceBest = 0;
      return 'improved';
    }
    this.sinceBest++;
    return this.sinceBest >= this.opts.patience ? 'stop' : 'continue';
  }
}

export interface FactorScoreInput {
  users: Int32Array;
  out: Float32Array;
  userFactors: Float32Array;
  itemFactors: Float32Array;
  /** Row offset of user 0 / item 0 inside their arrays (LightGCN keeps both in one table). */
  userRowOffset?: number;
  itemRowOffset?: number;
  dim: number;
  numItems: number;
  itemBias?: Float32Array;
}

/** out[b, i] = <user_b, item_i> (+ bias_i), the inner loop of every embedding model's scoring. */
export function factorScores(input: FactorScoreInput): void {
  const { users, out, userFactors, itemFactors, dim, numItems, itemBias } = input;
  const uOff = input.userRowOffset ?? 0;
  const iOff = input.itemRowOffset ?? 0;
  for (let b = 0; b < users.length; b++) {
    const ub = (uOff + users[b]) * dim;
    const row = b * numItems;
    for (let i = 0; i < numItems; i++) {
      const ib = (iOff + i) * dim;
      let s = itemBias ? itemBias[i] : 0;
      for (let d = 0; d < dim; d++) s += userFactors[ub + d] * itemFactors[ib + d];
      out[row + i] = s;
    }
  }
}

/** Adam over one dense parameter table; sparse rows are updated densely (zeros decay moments), which is what LightGCN's reference does. */
export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;

  constructor(
    size: number,
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  step(params: Float32Array, grad: Float32Array): void {
    this.t++;
    const { m, v, beta1, beta2, eps } = this;
    const c1 = 1 - Math.pow(beta1, this.t);
    const c2 = 1 - Math.pow(beta2, this.t);
    const lr = this.lr;
    for (let k = 0; k < params.length; k++) {
      const g = grad[k];
      m[k] = beta1 * m[k] + (1 - beta1) * g;
      v[k] = beta2 * v[k] + (1 - beta2) * g * g;
      params[k] -= (lr * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + eps);
    }
  }
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** log(sigmoid(x)) without overflow. */
export function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

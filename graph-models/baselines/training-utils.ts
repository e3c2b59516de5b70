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
  /** Evaluations since the last improvement. */
  sinceBest = 0;

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

/**
 * out[b, i] = <user_b, item_i> (+ bias_i), the inner loop of every embedding model's scoring.
 *
 * Register-blocked over 2 users x 4 items: each item value loaded feeds two users and each user
 * value four items, which is ~3.5x faster than one dot product at a time in V8 (full-ranking
 * validation was most of MF-BPR's fit time). Every (user, item) score is still summed in the same
 * order (bias, then d = 0..dim-1, in a double), so the scores are bit-identical to the plain loop.
 */
export function factorScores(input: FactorScoreInput): void {
  const { users, out, userFactors: uf, itemFactors: itf, dim, numItems, itemBias } = input;
  const uOff = input.userRowOffset ?? 0;
  const iOff = input.itemRowOffset ?? 0;
  const rowsOf = (b: number): number => (uOff + users[b]) * dim;
  let b = 0;
  for (; b + 2 <= users.length; b += 2) {
    const ub = rowsOf(b);
    const vb = rowsOf(b + 1);
    const row0 = b * numItems;
    const row1 = row0 + numItems;
    let i = 0;
    for (; i + 4 <= numItems; i += 4) {
      const a0 = (iOff + i) * dim;
      const a1 = a0 + dim;
      const a2 = a1 + dim;
      const a3 = a2 + dim;
      let s0 = itemBias ? itemBias[i] : 0;
      let s1 = itemBias ? itemBias[i + 1] : 0;
      let s2 = itemBias ? itemBias[i + 2] : 0;
      let s3 = itemBias ? itemBias[i + 3] : 0;
      let r0 = s0;
      let r1 = s1;
      let r2 = s2;
      let r3 = s3;
      for (let d = 0; d < dim; d++) {
        const u = uf[ub + d];
        const v = uf[vb + d];
        const x0 = itf[a0 + d];
        const x1 = itf[a1 + d];
        const x2 = itf[a2 + d];
        const x3 = itf[a3 + d];
        s0 += u * x0;
        s1 += u * x1;
        s2 += u * x2;
        s3 += u * x3;
        r0 += v * x0;
        r1 += v * x1;
        r2 += v * x2;
        r3 += v * x3;
      }
      out[row0 + i] = s0;
      out[row0 + i + 1] = s1;
      out[row0 + i + 2] = s2;
      out[row0 + i + 3] = s3;
      out[row1 + i] = r0;
      out[row1 + i + 1] = r1;
      out[row1 + i + 2] = r2;
      out[row1 + i + 3] = r3;
    }
    for (; i < numItems; i++) {
      const a = (iOff + i) * dim;
      let s = itemBias ? itemBias[i] : 0;
      let r = s;
      for (let d = 0; d < dim; d++) {
        s += uf[ub + d] * itf[a + d];
        r += uf[vb + d] * itf[a + d];
      }
      out[row0 + i] = s;
      out[row1 + i] = r;
    }
  }
  for (; b < users.length; b++) {
    const ub = rowsOf(b);
    const row = b * numItems;
    for (let i = 0; i < numItems; i++) {
      const a = (iOff + i) * dim;
      let s = itemBias ? itemBias[i] : 0;
      for (let d = 0; d < dim; d++) s += uf[ub + d] * itf[a + d];
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
    /** Mutable so a plateau schedule can lower it between steps. */
    public lr: number,
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

/**
 * Learning-rate multiplier after each non-improving validation check: halve it every
 * `decayPatience` checks without a new best (PyTorch's ReduceLROnPlateau). Large steps reach the
 * neighbourhood of a good solution quickly; smaller ones then settle into it instead of bouncing
 * around it, which is what made single validation checks noisy.
 */
export function plateauDecay(verdict: 'improved' | 'continue' | 'stop', sinceBest: number, decayPatience: number, factor: number): number {
  return verdict === 'continue' && decayPatience > 0 && sinceBest % decayPatience === 0 ? factor : 1;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** log(sigmoid(x)) without overflow. */
export function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

import { Csr } from '../data/csr';
import { FitContext, FitReport, Recommender } from '../eval/recommender';
import { spdInverse } from '../kernels/cholesky';

export interface EaseOptions {
  /** L2 strengths tried; the one with the best validation NDCG@20 is kept. */
  lambdas?: number[];
  /**
   * Largest Gram matrix inverted. The smaller side of the binary train matrix X is inverted
   * (users x users when there are fewer active users than items); when both sides exceed this,
   * EASE covers only the most popular maxGram items and ranks the rest below them by popularity.
   */
  maxGram?: number;
  /** Force the users x users ('dual') or items x items ('primal') form; 'auto' picks the smaller. */
  form?: 'auto' | 'dual' | 'primal';
}

interface DualState {
  form: 'dual';
  /** K = (X Xᵀ + λI)⁻¹ over the active users, row-major. */
  k: Float64Array;
  /** 1 / P_jj with P = (XᵀX + λI)⁻¹, per item. */
  invDiagP: Float64Array;
}

interface PrimalState {
  form: 'primal';
  /** B over the covered items (row-major, zero diagonal). */
  b: Float32Array;
}

/**
 * EASE (Steck 2019): the item-item weights B = argmin ‖X − XB‖² + λ‖B‖² with diag(B) = 0 have the
 * closed form B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹, on the binary train matrix X.
 * With fewer users than items (MovieLens: 610 vs 9k) the Woodbury identity gives the same
 * scores from the users x users inverse K = (XXᵀ + λI)⁻¹: x_u P = K_u X and
 * P_jj = (1 − x_jᵀ K x_j) / λ, so score_uj = x_uj − (K_u X)_j / P_jj without forming P.
 * λ is chosen on validation NDCG@20 from a grid.
 */
export class EaseRecommender implements Recommender {
  readonly name = 'ease';
  private readonly o: Required<EaseOptions>;
  private state: DualState | PrimalState | undefined;
  private userItems: Csr = { indptr: new Int32Array(1), indices: new Int32Array(0), weights: new Float32Array(0) };
  private numItems = 0;
  /** Position of each user among the active users (-1 without train items). */
  private userPos = new Int32Array(0);
  private activeUsers = new Int32Array(0);
  /** Position of each item among the covered items (-1 outside), and the covered items. */
  private itemPos = new Int32Array(0);
  private covered = new Int32Array(0);
  private popularity = new Float32Array(0);

  constructor(opts: EaseOptions = {}) {
    this.o = { lambdas: [20, 50, 100, 200, 500, 1000], maxGram: 2000, form: 'auto', ...opts };
  }

  async fit(ctx: FitContext): Promise<FitReport> {
    const { userItems, itemUsers, numUsers, numItems } = ctx.train;
    this.userItems = userItems;
    this.numItems = numItems;
    this.popularity = new Float32Array(numItems);
    for (let i = 0; i < numItems; i++) this.popularity[i] = itemUsers.indptr[i + 1] - itemUsers.indptr[i];
    const active: number[] = [];
    this.userPos = new Int32Array(numUsers).fill(-1);
    for (let u = 0; u < numUsers; u++) {
      if (userItems.indptr[u + 1] > userItems.indptr[u]) {
        this.userPos[u] = active.length;
        active.push(u);
      }
    }
    this.activeUsers = Int32Array.from(active);
    const itemOrder = Array.from({ length: numItems }, (_, i) => i)
      .filter((i) => this.popularity[i] > 0)
      .sort((a, b) => this.popularity[b] - this.popularity[a] || a - b);
    const form = this.o.form !== 'auto' ? this.o.form : active.length <= Math.min(itemOrder.length, this.o.maxGram) ? 'dual' : 'primal';
    this.covered = Int32Array.from(form === 'dual' ? itemOrder : itemOrder.slice(0, this.o.maxGram));
    this.itemPos = new Int32Array(numItems).fill(-1);
    this.covered.forEach((item, p) => (this.itemPos[item] = p));
    const gram = form === 'dual' ? this.userGram(itemUsers) : this.itemGram();
    const n = form === 'dual' ? this.activeUsers.length : this.covered.length;

    let best: { lambda: number; ndcg: number; state: DualState | PrimalState } | undefined;
    for (const lambda of this.o.lambdas) {
      if (best && ctx.stopRequested()) break;
      const regularised = gram.slice();
      for (let d = 0; d < n; d++) regularised[d * n + d] += lambda;
      const inverse = spdInverse(regularised, n);
      this.state = form === 'dual' ? this.dualState(inverse, lambda, itemUsers) : primalState(inverse, n);
      const ndcg = ctx.validate().ndcg[20] ?? 0;
      ctx.log(`lambda ${lambda} (${form}, ${n} x ${n}) val NDCG@20 ${ndcg.toFixed(4)}`);
      if (!best || ndcg > best.ndcg) best = { lambda, ndcg, state: this.state };
    }
    if (!best) throw new Error('EASE needs at least one lambda');
    this.state = best.state;
    return { epochs: 0, bestValidationNdcg20: best.ndcg, params: { lambda: best.lambda, form, gram: n } };
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const state = this.state;
    if (!state) throw new Error('EASE: fit first');
    const { numItems, userItems } = this;
    const acc = new Float64Array(numItems);
    for (let b = 0; b < users.length; b++) {
      const u = users[b];
      const row = b * numItems;
      acc.fill(0);
      if (state.form === 'dual') this.dualRow(state, u, acc);
      else this.primalRow(state, u, acc);
      // Items EASE does not cover rank below every covered one, by popularity.
      for (let i = 0; i < numItems; i++) out[row + i] = this.itemPos[i] >= 0 ? acc[i] : -1e6 + this.popularity[i];
      if (state.form === 'dual') for (let a = userItems.indptr[u]; a < userItems.indptr[u + 1]; a++) out[row + userItems.indices[a]] += 1;
    }
  }

  /** acc_j = −(K_u X)_j / P_jj (the x_uj term is added by the caller). */
  private dualRow(state: DualState, u: number, acc: Float64Array): void {
    const pu = this.userPos[u];
    if (pu < 0) return;
    const { k, invDiagP } = state;
    const n = this.activeUsers.length;
    const { indptr, indices } = this.userItems;
    for (let p = 0; p < n; p++) {
      const kv = k[pu * n + p];
      const v = this.activeUsers[p];
      for (let a = indptr[v]; a < indptr[v + 1]; a++) acc[indices[a]] += kv;
    }
    for (let j = 0; j < acc.length; j++) acc[j] = -acc[j] * invDiagP[j];
  }

  /** acc_j = Σ_{i ∈ items(u)} B_ij over covered items. */
  private primalRow(state: PrimalState, u: number, acc: Float64Array): void {
    const m = this.covered.length;
    const { indptr, indices } = this.userItems;
    for (let a = indptr[u]; a < indptr[u + 1]; a++) {
      const pi = this.itemPos[indices[a]];
      if (pi < 0) continue;
      for (let q = 0; q < m; q++) acc[this.covered[q]] += state.b[pi * m + q];
    }
  }

  /** X Xᵀ over the active users (binary X), summed item by item. */
  private userGram(itemUsers: Csr): Float64Array {
    const n = this.activeUsers.length;
    const g = new Float64Array(n * n);
    for (let j = 0; j + 1 < itemUsers.indptr.length; j++) {
      const from = itemUsers.indptr[j];
      const to = itemUsers.indptr[j + 1];
      for (let a = from; a < to; a++) {
        const ra = this.userPos[itemUsers.indices[a]] * n;
        for (let c = from; c < to; c++) g[ra + this.userPos[itemUsers.indices[c]]] += 1;
      }
    }
    return g;
  }

  /** XᵀX over the covered items (binary X), summed user by user. */
  private itemGram(): Float64Array {
    const m = this.covered.length;
    const g = new Float64Array(m * m);
    const { indptr, indices } = this.userItems;
    const mine: number[] = [];
    for (let u = 0; u + 1 < indptr.length; u++) {
      mine.length = 0;
      for (let a = indptr[u]; a < indptr[u + 1]; a++) if (this.itemPos[indices[a]] >= 0) mine.push(this.itemPos[indices[a]]);
      for (const p of mine) for (const q of mine) g[p * m + q] += 1;
    }
    return g;
  }

  private dualState(k: Float64Array, lambda: number, itemUsers: Csr): DualState {
    const n = this.activeUsers.length;
    const invDiagP = new Float64Array(this.numItems);
    for (let j = 0; j < this.numItems; j++) {
      let quad = 0;
      for (let a = itemUsers.indptr[j]; a < itemUsers.indptr[j + 1]; a++) {
        const ra = this.userPos[itemUsers.indices[a]] * n;
        for (let c = itemUsers.indptr[j]; c < itemUsers.indptr[j + 1]; c++) quad += k[ra + this.userPos[itemUsers.indices[c]]];
      }
      invDiagP[j] = lambda / (1 - quad);
    }
    return { form: 'dual', k, invDiagP };
  }
}

/** B = I − P·diag(1/diag P): B_ij = −P_ij / P_jj, zero diagonal. */
function primalState(p: Float64Array, m: number): PrimalState {
  const b = new Float32Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) b[i * m + j] = i === j ? 0 : -p[i * m + j] / p[j * m + j];
  }
  return { form: 'primal', b };
}

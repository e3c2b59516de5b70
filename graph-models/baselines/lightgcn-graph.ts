import { BipartiteCsr } from '../data/csr';
import { logSigmoid, sigmoid } from './training-utils';

/**
 * LightGCN's linear propagation over the symmetric-normalised bipartite adjacency
 * Â = D^-1/2 A D^-1/2 (binary A over de-duplicated train pairs). Node rows: users 0..U-1, then
 * items U..U+I-1, each `dim` floats. Â is symmetric, so the backward pass of the propagation is the
 * same propagation applied to the gradient.
 */
export interface NormalisedGraph {
  numUsers: number;
  numItems: number;
  graph: BipartiteCsr;
  /** 1/sqrt(deg_u deg_i), parallel to graph.userItems.indices and graph.itemUsers.indices. */
  normUserItems: Float32Array;
  normItemUsers: Float32Array;
}

export function normaliseGraph(graph: BipartiteCsr): NormalisedGraph {
  const { userItems, itemUsers, numUsers, numItems } = graph;
  const deg = (csr: BipartiteCsr['userItems'], r: number): number => csr.indptr[r + 1] - csr.indptr[r];
  const normUserItems = new Float32Array(userItems.indices.length);
  for (let u = 0; u < numUsers; u++) {
    for (let k = userItems.indptr[u]; k < userItems.indptr[u + 1]; k++) {
      normUserItems[k] = 1 / Math.sqrt(deg(userItems, u) * deg(itemUsers, userItems.indices[k]));
    }
  }
  const normItemUsers = new Float32Array(itemUsers.indices.length);
  for (let i = 0; i < numItems; i++) {
    for (let k = itemUsers.indptr[i]; k < itemUsers.indptr[i + 1]; k++) {
      normItemUsers[k] = 1 / Math.sqrt(deg(itemUsers, i) * deg(userItems, itemUsers.indices[k]));
    }
  }
  return { numUsers, numItems, graph, normUserItems, normItemUsers };
}

/** out = Â x for a (U+I) x dim node table. */
export function propagate(g: NormalisedGraph, x: Float32Array, out: Float32Array, dim: number): void {
  const { userItems, itemUsers } = g.graph;
  const U = g.numUsers;
  out.fill(0);
  for (let u = 0; u < U; u++) {
    const ob = u * dim;
    for (let k = userItems.indptr[u]; k < userItems.indptr[u + 1]; k++) {
      const w = g.normUserItems[k];
      const xb = (U + userItems.indices[k]) * dim;
      for (let d = 0; d < dim; d++) out[ob + d] += w * x[xb + d];
    }
  }
  for (let i = 0; i < g.numItems; i++) {
    const ob = (U + i) * dim;
    for (let k = itemUsers.indptr[i]; k < itemUsers.indptr[i + 1]; k++) {
      const w = g.normItemUsers[k];
      const xb = itemUsers.indices[k] * dim;
      for (let d = 0; d < dim; d++) out[ob + d] += w * x[xb + d];
    }
  }
}

/** The layer mean (1/(L+1)) Σ_k Â^k x, LightGCN's final embedding; also its own adjoint. */
export function layerMean(g: NormalisedGraph, x: Float32Array, layers: number, dim: number): Float32Array {
  const sum = x.slice();
  let cur = x;
  let next: Float32Array = new Float32Array(x.length);
  for (let l = 0; l < layers; l++) {
    propagate(g, cur, next, dim);
    for (let k = 0; k < sum.length; k++) sum[k] += next[k];
    const t = cur === x ? new Float32Array(x.length) : cur;
    cur = next;
    next = t;
  }
  const scale = 1 / (layers + 1);
  for (let k = 0; k < sum.length; k++) sum[k] *= scale;
  return sum;
}

export interface BprBatch {
  users: Int32Array;
  positives: Int32Array;
  negatives: Int32Array;
}

export interface LossAndGrad {
  loss: number;
  /** d loss / d ego embeddings, (U+I) x dim. */
  grad: Float32Array;
}

/**
 * Mean BPR loss over the batch on the propagated embeddings, plus l2/2 · (‖e⁰_u‖² + ‖e⁰_i‖² + ‖e⁰_j‖²)
 * averaged over the batch on the ego embeddings (LightGCN's regulariser), and its exact gradient.
 */
export function bprLossAndGrad(input: {
  graph: NormalisedGraph;
  ego: Float32Array;
  batch: BprBatch;
  layers: number;
  dim: number;
  l2: number;
}): LossAndGrad {
  const { graph, ego, batch, layers, dim, l2 } = input;
  const U = graph.numUsers;
  const final = layerMean(graph, ego, layers, dim);
  const gFinal = new Float32Array(ego.length);
  const n = batch.users.length;
  let loss = 0;
  for (let b = 0; b < n; b++) {
    const ub = batch.users[b] * dim;
    const ib = (U + batch.positives[b]) * dim;
    const jb = (U + batch.negatives[b]) * dim;
    let x = 0;
    for (let d = 0; d < dim; d++) x += final[ub + d] * (final[ib + d] - final[jb + d]);
    loss -= logSigmoid(x) / n;
    const c = -sigmoid(-x) / n; // d(-log σ(x))/dx / n
    for (let d = 0; d < dim; d++) {
      gFinal[ub + d] += c * (final[ib + d] - final[jb + d]);
      gFinal[ib + d] += c * final[ub + d];
      gFinal[jb + d] -= c * final[ub + d];
    }
  }
  const grad = layerMean(graph, gFinal, layers, dim);
  for (let b = 0; b < n; b++) {
    for (const base of [batch.users[b] * dim, (U + batch.positives[b]) * dim, (U + batch.negatives[b]) * dim]) {
      for (let d = 0; d < dim; d++) {
        const w = ego[base + d];
        loss += (0.5 * l2 * w * w) / n;
        grad[base + d] += (l2 * w) / n;
      }
    }
  }
  return { loss, grad };
}

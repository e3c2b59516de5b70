import { BipartiteCsr } from '../data/csr';
import { SparseMatrix, spmmRows } from '../kernels/spmm';

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
  /**
   * Â as one CSR over all U+I nodes (user rows list item columns offset by U, item rows list
   * user columns), so one loop propagates the whole table.
   */
  adjacency: SparseMatrix;
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
  const nnz = userItems.indices.length + itemUsers.indices.length;
  const indptr = new Int32Array(numUsers + numItems + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let p = 0;
  for (let u = 0; u < numUsers; u++) {
    indptr[u] = p;
    for (let k = userItems.indptr[u]; k < userItems.indptr[u + 1]; k++, p++) {
      indices[p] = numUsers + userItems.indices[k];
      values[p] = normUserItems[k];
    }
  }
  for (let i = 0; i < numItems; i++) {
    indptr[numUsers + i] = p;
    for (let k = itemUsers.indptr[i]; k < itemUsers.indptr[i + 1]; k++, p++) {
      indices[p] = itemUsers.indices[k];
      values[p] = normItemUsers[k];
    }
  }
  indptr[numUsers + numItems] = p;
  return { numUsers, numItems, graph, normUserItems, normItemUsers, adjacency: { indptr, indices, values } };
}

/** out = Â x for a (U+I) x dim node table (see kernels/spmm.ts). */
export function propagate(g: NormalisedGraph, x: Float32Array, out: Float32Array, dim: number): void {
  spmmRows(g.adjacency, x, out, dim);
}

/**
 * Scratch tables for layer means, reused across training steps so a step allocates nothing
 * (each table is (U+I) x dim floats).
 */
export class PropagationBuffers {
  readonly a: Float32Array;
  readonly b: Float32Array;

  constructor(readonly length: number) {
    this.a = new Float32Array(length);
    this.b = new Float32Array(length);
  }
}

/**
 * out = (1/(L+1)) Σ_{k=0..L} Â^k x, LightGCN's final embedding; also its own adjoint, so the
 * backward pass of the whole propagation is this same call on the gradient. `out` must not alias x.
 */
export function layerMeanInto(input: {
  graph: NormalisedGraph;
  x: Float32Array;
  out: Float32Array;
  layers: number;
  dim: number;
  buffers?: PropagationBuffers;
}): void {
  const { graph, x, out, layers, dim } = input;
  const buffers = input.buffers ?? new PropagationBuffers(x.length);
  out.set(x);
  let cur = x;
  let next = buffers.a;
  let spare = buffers.b;
  for (let l = 0; l < layers; l++) {
    propagate(graph, cur, next, dim);
    for (let k = 0; k < out.length; k++) out[k] += next[k];
    cur = next;
    [next, spare] = [spare, next];
  }
  const scale = 1 / (layers + 1);
  for (let k = 0; k < out.length; k++) out[k] *= scale;
}

/** layerMeanInto with a fresh output table. */
export function layerMean(g: NormalisedGraph, x: Float32Array, layers: number, dim: number): Float32Array {
  const out = new Float32Array(x.length);
  layerMeanInto({ graph: g, x, out, layers, dim });
  return out;
}

/**
 * Compressed sparse rows keyed by destination: row i lists the edges that deliver messages to
 * node i (PyG's "target" side). Kernels walk rows, so every per-destination reduction (softmax
 * max/sum, aggregation) is done by one thread in CSR order — results do not depend on how many
 * threads run. The transposed view (by source) carries `edge`, the CSR position of each entry,
 * so gradients that flow back to sources are also summed per source in a fixed order.
 */
import { sharedInt32 } from './shared';

export interface Csr {
  numRows: number;
  numCols: number;
  /** numRows + 1 offsets into `indices`. */
  indptr: Int32Array;
  /** Source node of each edge, sorted by destination row, then by insertion order. */
  indices: Int32Array;
}

/** Edges grouped by source: for source j, entries t in [ptr[j], ptr[j+1]) are edge ids `edge[t]` with destination `dst[t]`. */
export interface CsrTranspose {
  ptr: Int32Array;
  edge: Int32Array;
  dst: Int32Array;
}

/** Counting sort of (dst, src) pairs into a CSR; stable, so edge order within a row is input order. */
export function csrFromEdges(args: { numRows: number; numCols: number; dst: Int32Array; src: Int32Array }): Csr {
  const { numRows, numCols, dst, src } = args;
  const indptr = sharedInt32(numRows + 1);
  for (let e = 0; e < dst.length; e++) indptr[dst[e] + 1]++;
  for (let i = 0; i < numRows; i++) indptr[i + 1] += indptr[i];
  const cursor = indptr.slice(0, numRows);
  const indices = sharedInt32(dst.length);
  for (let e = 0; e < dst.length; e++) indices[cursor[dst[e]]++] = src[e];
  return { numRows, numCols, indptr, indices };
}

export function transposeCsr(csr: Csr): CsrTranspose {
  const { numRows, numCols, indptr, indices } = csr;
  const nnz = indices.length;
  const ptr = sharedInt32(numCols + 1);
  for (let p = 0; p < nnz; p++) ptr[indices[p] + 1]++;
  for (let j = 0; j < numCols; j++) ptr[j + 1] += ptr[j];
  const cursor = ptr.slice(0, numCols);
  const edge = sharedInt32(nnz);
  const dst = sharedInt32(nnz);
  for (let i = 0; i < numRows; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const t = cursor[indices[p]]++;
      edge[t] = p;
      dst[t] = i;
    }
  }
  return { ptr, edge, dst };
}

/**
 * Row ranges [b[t], b[t+1]) for `parts` threads with about equal work, where a row costs
 * its edge count plus one (the per-row overhead matters for the many degree-1 nodes of a
 * power-law graph). Only balances time; it never changes what a row computes.
 */
export function balancedRowRanges(ptr: Int32Array, parts: number): Int32Array {
  const rows = ptr.length - 1;
  const bounds = new Int32Array(parts + 1);
  const total = ptr[rows] - ptr[0] + rows;
  let row = 0;
  for (let t = 1; t < parts; t++) {
    const target = (total * t) / parts;
    while (row < rows && ptr[row] - ptr[0] + row < target) row++;
    bounds[t] = row;
  }
  bounds[parts] = rows;
  return bounds;
}

/** Even ranges over `n` independent items (nodes, heads, parameters). */
export function evenRanges(n: number, parts: number): Int32Array {
  const bounds = new Int32Array(parts + 1);
  for (let t = 0; t <= parts; t++) bounds[t] = Math.floor((n * t) / parts);
  return bounds;
}

import { sharedInt32 } from './shared-arrays';

/**
 * Compressed sparse rows, the one sparse structure of graph-models, in two builds:
 * - buildCsr / buildBipartite: the user-item training graph with merged duplicate pairs, sorted
 *   rows and aggregated weights (data, evaluation, baselines);
 * - csrFromEdges: the GAT's message graph by destination, edges kept in input order and stored in
 *   shared memory so the kernel workers can read it (see messageTranspose for the source side).
 *
 * Weighted build: row r's neighbours are indices[indptr[r] .. indptr[r+1]) sorted ascending, each (row, col) pair at most once, with the
 * aggregated weight of all events on that pair in the parallel `weights` slot.
 */
export interface Csr {
  indptr: Int32Array;
  indices: Int32Array;
  weights: Float32Array;
}

/** Both directions of the training graph, built from the same de-duplicated pairs. */
export interface BipartiteCsr {
  numUsers: number;
  numItems: number;
  /** numUsers rows over item columns. */
  userItems: Csr;
  /** numItems rows over user columns (the transpose of userItems). */
  itemUsers: Csr;
}

export type WeightAggregation = 'sum' | 'max';

export interface CsrInput {
  numRows: number;
  /** Row and column of every entry, parallel; duplicates are merged. */
  rows: Int32Array;
  cols: Int32Array;
  /** Weight per entry; 1 for each entry when omitted. */
  weights?: Float32Array;
  /** Restrict to these entry positions (e.g. the training events); all entries when omitted. */
  subset?: Int32Array;
  /** How duplicate (row, col) weights combine; 'sum' by default (repeat interest adds up). */
  aggregate?: WeightAggregation;
}

export function buildCsr(input: CsrInput): Csr {
  const { numRows, rows, cols } = input;
  const count = input.subset ? input.subset.length : rows.length;
  const at = (k: number): number => (input.subset ? input.subset[k] : k);
  // Counting sort by row, then sort each row's slice by column and merge equal columns.
  const rowCount = new Int32Array(numRows + 1);
  for (let k = 0; k < count; k++) rowCount[rows[at(k)] + 1]++;
  for (let r = 0; r < numRows; r++) rowCount[r + 1] += rowCount[r];
  const cursor = rowCount.slice(0, numRows);
  const order = new Int32Array(count);
  for (let k = 0; k < count; k++) order[cursor[rows[at(k)]]++] = at(k);

  const indptr = new Int32Array(numRows + 1);
  const indices = new Int32Array(count);
  const weights = new Float32Array(count);
  const useMax = input.aggregate === 'max';
  let out = 0;
  for (let r = 0; r < numRows; r++) {
    indptr[r] = out;
    const slice = Array.from(order.subarray(rowCount[r], rowCount[r + 1]));
    slice.sort((a, b) => cols[a] - cols[b] || a - b);
    for (const e of slice) {
      const w = input.weights ? input.weights[e] : 1;
      if (out > indptr[r] && indices[out - 1] === cols[e]) {
        weights[out - 1] = useMax ? Math.max(weights[out - 1], w) : weights[out - 1] + w;
      } else {
        indices[out] = cols[e];
        weights[out] = w;
        out++;
      }
    }
  }
  indptr[numRows] = out;
  return { indptr, indices: indices.slice(0, out), weights: weights.slice(0, out) };
}

/** Transpose of a CSR with numCols columns; rows of the result stay sorted because we scan rows in order. */
export function transposeCsr(csr: Csr, numCols: number): Csr {
  const nnz = csr.indices.length;
  const indptr = new Int32Array(numCols + 1);
  for (let k = 0; k < nnz; k++) indptr[csr.indices[k] + 1]++;
  for (let c = 0; c < numCols; c++) indptr[c + 1] += indptr[c];
  const cursor = indptr.slice(0, numCols);
  const indices = new Int32Array(nnz);
  const weights = new Float32Array(nnz);
  const numRows = csr.indptr.length - 1;
  for (let r = 0; r < numRows; r++) {
    for (let k = csr.indptr[r]; k < csr.indptr[r + 1]; k++) {
      const dst = cursor[csr.indices[k]]++;
      indices[dst] = r;
      weights[dst] = csr.weights[k];
    }
  }
  return { indptr, indices, weights };
}

export interface BipartiteInput {
  numUsers: number;
  numItems: number;
  eventUser: Int32Array;
  eventItem: Int32Array;
  /** Per-event weights over all events (see interactionWeights); 1 per event when omitted. */
  eventWeights?: Float32Array;
  /** Event indices to include, e.g. split.train. */
  events: Int32Array;
  aggregate?: WeightAggregation;
}

export function buildBipartite(input: BipartiteInput): BipartiteCsr {
  const userItems = buildCsr({
    numRows: input.numUsers,
    rows: input.eventUser,
    cols: input.eventItem,
    weights: input.eventWeights,
    subset: input.events,
    aggregate: input.aggregate,
  });
  return {
    numUsers: input.numUsers,
    numItems: input.numItems,
    userItems,
    itemUsers: transposeCsr(userItems, input.numItems),
  };
}

/** Sorted, unique column sets per row, e.g. the items each user saw; a Csr without weights. */
export type RowSets = Pick<Csr, 'indptr' | 'indices'>;

/** Number of stored entries of row r. */
export function rowLength(csr: RowSets, r: number): number {
  return csr.indptr[r + 1] - csr.indptr[r];
}

/** Binary search in a sorted row; true when (r, c) is stored. */
export function csrHas(csr: RowSets, r: number, c: number): boolean {
  let lo = csr.indptr[r];
  let hi = csr.indptr[r + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = csr.indices[mid];
    if (v === c) return true;
    if (v < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

// ---------- the message graph (kernel side) ----------

/**
 * A CSR keyed by destination: row i lists the edges that deliver messages to node i (PyG's
 * "target" side), sources in insertion order, in shared memory. Kernels walk rows, so every
 * per-destination reduction is done by one thread in CSR order and results do not depend on the
 * thread count.
 */
export interface MessageCsr {
  numRows: number;
  numCols: number;
  /** numRows + 1 offsets into `indices`. */
  indptr: Int32Array;
  /** Source node of each edge, sorted by destination row, then by insertion order. */
  indices: Int32Array;
}

/**
 * Edges grouped by source: for source j, entries t in [ptr[j], ptr[j+1]) are edge ids `edge[t]`
 * with destination `dst[t]`. Carrying the CSR position lets gradients that flow back to sources
 * be summed per source in a fixed order too.
 */
export interface CsrTranspose {
  ptr: Int32Array;
  edge: Int32Array;
  dst: Int32Array;
}

/** Counting sort of (dst, src) pairs into a CSR; stable, so edge order within a row is input order. */
export function csrFromEdges(args: { numRows: number; numCols: number; dst: Int32Array; src: Int32Array }): MessageCsr {
  const { numRows, numCols, dst, src } = args;
  const indptr = sharedInt32(numRows + 1);
  for (let e = 0; e < dst.length; e++) indptr[dst[e] + 1]++;
  for (let i = 0; i < numRows; i++) indptr[i + 1] += indptr[i];
  const cursor = indptr.slice(0, numRows);
  const indices = sharedInt32(dst.length);
  for (let e = 0; e < dst.length; e++) indices[cursor[dst[e]]++] = src[e];
  return { numRows, numCols, indptr, indices };
}

/** The by-source view of a message CSR, with each entry's edge id. */
export function messageTranspose(csr: MessageCsr): CsrTranspose {
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

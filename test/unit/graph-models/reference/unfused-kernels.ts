/**
 * The unfused message-passing steps (gather, scatter-add, edge softmax, aggregation) on typed
 * arrays, single-threaded. The models use the fused GAT layer (kernels/sparse.ts); these are the
 * pieces it fuses, kept here as the reference the fused layer is checked against.
 */
import { HeadShape, MessageGraph } from '../../../../graph-models/kernels/sparse';
import { sharedFloat32, sharedInt32, toSharedFloat32, toSharedInt32 } from '../../../../graph-models/data/shared-arrays';

export function gatherRows(x: Float32Array, dim: number, idx: Int32Array): Float32Array {
  const out = sharedFloat32(idx.length * dim);
  const args = { x: toSharedFloat32(x), idx: toSharedInt32(idx), out, dim };
  B.gatherRows(args, 0, idx.length);
  return out;
}

/** Rows grouped by target: for target r, `order[ptr[r]..ptr[r+1])` are the positions m with idx[m] = r, ascending. */
export interface ScatterIndex { ptr: Int32Array; order: Int32Array; numRows: number }

export function scatterIndex(idx: Int32Array, numRows: number): ScatterIndex {
  const ptr = sharedInt32(numRows + 1);
  for (let m = 0; m < idx.length; m++) ptr[idx[m] + 1]++;
  for (let r = 0; r < numRows; r++) ptr[r + 1] += ptr[r];
  const cursor = ptr.slice(0, numRows);
  const order = sharedInt32(idx.length);
  for (let m = 0; m < idx.length; m++) order[cursor[idx[m]]++] = m;
  return { ptr, order, numRows };
}

/** out[r,:] = sum of src[m,:] over m with idx[m] = r, summed in m order (the gradient of gatherRows). */
export function scatterAddRows(src: Float32Array, dim: number, index: ScatterIndex): Float32Array {
  const out = sharedFloat32(index.numRows * dim);
  const args = { ptr: index.ptr, order: index.order, src: toSharedFloat32(src), out, dim };
  B.segmentSumRows(args, 0, index.numRows);
  return out;
}

export function edgeSoftmax(g: MessageGraph, scores: Float32Array, heads: number): Float32Array {
  const alpha = sharedFloat32(g.numEdges * heads);
  const args = { ptr: g.csr.indptr, scores: toSharedFloat32(scores), alpha, heads };
  B.edgeSoftmax(args, 0, g.csr.numRows);
  return alpha;
}

export function edgeSoftmaxBackward(g: MessageGraph, alpha: Float32Array, dAlpha: Float32Array, heads: number): Float32Array {
  const dScores = sharedFloat32(g.numEdges * heads);
  const args = { ptr: g.csr.indptr, alpha: toSharedFloat32(alpha), dAlpha: toSharedFloat32(dAlpha), dScores, heads };
  B.edgeSoftmaxBwd(args, 0, g.csr.numRows);
  return dScores;
}

export function aggregate(g: MessageGraph, alpha: Float32Array, x: Float32Array, shape: HeadShape): Float32Array {
  const out = sharedFloat32(g.csr.numRows * shape.heads * shape.ch);
  const args = { ptr: g.csr.indptr, indices: g.csr.indices, alpha: toSharedFloat32(alpha), x: toSharedFloat32(x), out, ...shape };
  B.aggregate(args, 0, g.csr.numRows);
  return out;
}

export function aggregateBackward(
  g: MessageGraph,
  saved: { alpha: Float32Array; x: Float32Array },
  dOut: Float32Array,
  shape: HeadShape,
): { dAlpha: Float32Array; dx: Float32Array } {
  const alpha = toSharedFloat32(saved.alpha);
  const x = toSharedFloat32(saved.x);
  const dOutS = toSharedFloat32(dOut);
  const dAlpha = sharedFloat32(g.numEdges * shape.heads);
  B.aggregateBwdAlpha({ ptr: g.csr.indptr, indices: g.csr.indices, dOut: dOutS, x, dAlpha, ...shape }, 0, g.csr.numRows);
  const dx = sharedFloat32(g.csr.numCols * shape.heads * shape.ch);
  const t = g.transpose;
  B.aggregateBwdX({ tptr: t.ptr, tedge: t.edge, tdst: t.dst, alpha, dOut: dOutS, dx, ...shape }, 0, g.csr.numCols);
  return { dAlpha, dx };
}

// ---------- loop bodies ----------

interface GatherArgs { x: Float32Array; idx: Int32Array; out: Float32Array; dim: number }
/** out[m,:] = x[idx[m],:] */
function gatherRowsBody(a: GatherArgs, start: number, end: number): void {
  const { x, idx, out, dim } = a;
  for (let m = start; m < end; m++) {
    const s = idx[m] * dim;
    const o = m * dim;
    for (let c = 0; c < dim; c++) out[o + c] = x[s + c];
  }
}

interface SegmentSumArgs { ptr: Int32Array; order: Int32Array; src: Float32Array; out: Float32Array; dim: number }
/** out[r,:] = sum over q in [ptr[r], ptr[r+1]) of src[order[q],:] — the deterministic scatter-add. */
function segmentSumRowsBody(a: SegmentSumArgs, start: number, end: number): void {
  const { ptr, order, src, out, dim } = a;
  for (let r = start; r < end; r++) {
    const o = r * dim;
    for (let c = 0; c < dim; c++) out[o + c] = 0;
    for (let q = ptr[r]; q < ptr[r + 1]; q++) {
      const s = order[q] * dim;
      for (let c = 0; c < dim; c++) out[o + c] += src[s + c];
    }
  }
}

interface EdgeSoftmaxArgs { ptr: Int32Array; scores: Float32Array; alpha: Float32Array; heads: number }
/** Softmax over each destination's incoming edges, per head, shifted by the row's true max. */
function edgeSoftmaxBody(a: EdgeSoftmaxArgs, start: number, end: number): void {
  const { ptr, scores, alpha, heads } = a;
  for (let i = start; i < end; i++) {
    const p0 = ptr[i], p1 = ptr[i + 1];
    for (let k = 0; k < heads; k++) {
      let max = -Infinity;
      for (let p = p0; p < p1; p++) { const s = scores[p * heads + k]; if (s > max) max = s; }
      let sum = 0;
      for (let p = p0; p < p1; p++) { const e = Math.exp(scores[p * heads + k] - max); alpha[p * heads + k] = e; sum += e; }
      const inv = 1 / sum;
      for (let p = p0; p < p1; p++) alpha[p * heads + k] *= inv;
    }
  }
}

interface EdgeSoftmaxBwdArgs { ptr: Int32Array; alpha: Float32Array; dAlpha: Float32Array; dScores: Float32Array; heads: number }
/** dScore = alpha * (dAlpha - sum_row alpha * dAlpha). */
function edgeSoftmaxBwdBody(a: EdgeSoftmaxBwdArgs, start: number, end: number): void {
  const { ptr, alpha, dAlpha, dScores, heads } = a;
  for (let i = start; i < end; i++) {
    const p0 = ptr[i], p1 = ptr[i + 1];
    for (let k = 0; k < heads; k++) {
      let dot = 0;
      for (let p = p0; p < p1; p++) dot += alpha[p * heads + k] * dAlpha[p * heads + k];
      for (let p = p0; p < p1; p++) { const q = p * heads + k; dScores[q] = alpha[q] * (dAlpha[q] - dot); }
    }
  }
}

interface AggregateArgs { ptr: Int32Array; indices: Int32Array; alpha: Float32Array; x: Float32Array; out: Float32Array; heads: number; ch: number }
/** Weighted scatter-add of messages: out[i,k,:] = sum_p alpha[p,k] * x[src(p),k,:]. */
function aggregateBody(a: AggregateArgs, start: number, end: number): void {
  const { ptr, indices, alpha, x, out, heads, ch } = a;
  const dim = heads * ch;
  for (let i = start; i < end; i++) {
    const o = i * dim;
    for (let c = 0; c < dim; c++) out[o + c] = 0;
    for (let p = ptr[i]; p < ptr[i + 1]; p++) {
      const s = indices[p] * dim;
      for (let k = 0; k < heads; k++) {
        const w = alpha[p * heads + k];
        const base = k * ch;
        for (let c = base; c < base + ch; c++) out[o + c] += w * x[s + c];
      }
    }
  }
}

interface AggregateBwdAlphaArgs { ptr: Int32Array; indices: Int32Array; dOut: Float32Array; x: Float32Array; dAlpha: Float32Array; heads: number; ch: number }
/** dAlpha[p,k] = <dOut[i,k,:], x[src(p),k,:]> */
function aggregateBwdAlphaBody(a: AggregateBwdAlphaArgs, start: number, end: number): void {
  const { ptr, indices, dOut, x, dAlpha, heads, ch } = a;
  const dim = heads * ch;
  for (let i = start; i < end; i++) {
    const o = i * dim;
    for (let p = ptr[i]; p < ptr[i + 1]; p++) {
      const s = indices[p] * dim;
      for (let k = 0; k < heads; k++) {
        let dot = 0;
        const base = k * ch;
        for (let c = base; c < base + ch; c++) dot += dOut[o + c] * x[s + c];
        dAlpha[p * heads + k] = dot;
      }
    }
  }
}

interface AggregateBwdXArgs { tptr: Int32Array; tedge: Int32Array; tdst: Int32Array; alpha: Float32Array; dOut: Float32Array; dx: Float32Array; heads: number; ch: number }
/** dx[j,k,:] = sum over edges p leaving j of alpha[p,k] * dOut[dst(p),k,:], walked by source. */
function aggregateBwdXBody(a: AggregateBwdXArgs, start: number, end: number): void {
  const { tptr, tedge, tdst, alpha, dOut, dx, heads, ch } = a;
  const dim = heads * ch;
  for (let j = start; j < end; j++) {
    const o = j * dim;
    for (let c = 0; c < dim; c++) dx[o + c] = 0;
    for (let t = tptr[j]; t < tptr[j + 1]; t++) {
      const p = tedge[t];
      const d = tdst[t] * dim;
      for (let k = 0; k < heads; k++) {
        const w = alpha[p * heads + k];
        const base = k * ch;
        for (let c = base; c < base + ch; c++) dx[o + c] += w * dOut[d + c];
      }
    }
  }
}

const B = {
  gatherRows: gatherRowsBody,
  segmentSumRows: segmentSumRowsBody,
  edgeSoftmax: edgeSoftmaxBody,
  edgeSoftmaxBwd: edgeSoftmaxBwdBody,
  aggregate: aggregateBody,
  aggregateBwdAlpha: aggregateBwdAlphaBody,
  aggregateBwdX: aggregateBwdXBody,
};

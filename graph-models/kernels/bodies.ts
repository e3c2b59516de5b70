/**
 * Kernel bodies: the loops that do the sparse and dense work, each over one range [start, end)
 * of independent outputs (destination rows, source nodes, heads or elements).
 *
 * Each body must be SELF-CONTAINED — no imports, no module-level references, no helpers — because
 * the worker pool ships them to worker_threads as source text (Function.prototype.toString) so the
 * same code runs from ts-jest, tsc output and ts-node without a separate worker build. Keep them
 * plain loops over typed arrays.
 *
 * Determinism rule: every output element is written by exactly one range and summed in a fixed
 * order (CSR order, node order), so the thread count never changes a single bit of the result.
 *
 * Layouts: node features are row-major N x (heads*ch) with head k owning columns [k*ch, (k+1)*ch);
 * edge values are E x heads, indexed by CSR position.
 */

export interface GatherArgs { x: Float32Array; idx: Int32Array; out: Float32Array; dim: number }
/** out[m,:] = x[idx[m],:] */
export function gatherRows(a: GatherArgs, start: number, end: number): void {
  const { x, idx, out, dim } = a;
  for (let m = start; m < end; m++) {
    const s = idx[m] * dim;
    const o = m * dim;
    for (let c = 0; c < dim; c++) out[o + c] = x[s + c];
  }
}

export interface SegmentSumArgs { ptr: Int32Array; order: Int32Array; src: Float32Array; out: Float32Array; dim: number }
/** out[r,:] = sum over q in [ptr[r], ptr[r+1]) of src[order[q],:] — the deterministic scatter-add. */
export function segmentSumRows(a: SegmentSumArgs, start: number, end: number): void {
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

export interface EdgeSoftmaxArgs { ptr: Int32Array; scores: Float32Array; alpha: Float32Array; heads: number }
/** Softmax over each destination's incoming edges, per head, shifted by the row's true max. */
export function edgeSoftmax(a: EdgeSoftmaxArgs, start: number, end: number): void {
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

export interface EdgeSoftmaxBwdArgs { ptr: Int32Array; alpha: Float32Array; dAlpha: Float32Array; dScores: Float32Array; heads: number }
/** dScore = alpha * (dAlpha - sum_row alpha * dAlpha). */
export function edgeSoftmaxBwd(a: EdgeSoftmaxBwdArgs, start: number, end: number): void {
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

export interface AggregateArgs { ptr: Int32Array; indices: Int32Array; alpha: Float32Array; x: Float32Array; out: Float32Array; heads: number; ch: number }
/** Weighted scatter-add of messages: out[i,k,:] = sum_p alpha[p,k] * x[src(p),k,:]. */
export function aggregate(a: AggregateArgs, start: number, end: number): void {
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

export interface AggregateBwdAlphaArgs { ptr: Int32Array; indices: Int32Array; dOut: Float32Array; x: Float32Array; dAlpha: Float32Array; heads: number; ch: number }
/** dAlpha[p,k] = <dOut[i,k,:], x[src(p),k,:]> */
export function aggregateBwdAlpha(a: AggregateBwdAlphaArgs, start: number, end: number): void {
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

export interface AggregateBwdXArgs { tptr: Int32Array; tedge: Int32Array; tdst: Int32Array; alpha: Float32Array; dOut: Float32Array; dx: Float32Array; heads: number; ch: number }
/** dx[j,k,:] = sum over edges p leaving j of alpha[p,k] * dOut[dst(p),k,:], walked by source. */
export function aggregateBwdX(a: AggregateBwdXArgs, start: number, end: number): void {
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

export interface HeadDotArgs { h: Float32Array; att: Float32Array; out: Float32Array; heads: number; ch: number }
/** Per-node attention half-scores: out[n,k] = <h[n,k,:], att[k,:]>. */
export function headDot(a: HeadDotArgs, start: number, end: number): void {
  const { h, att, out, heads, ch } = a;
  const dim = heads * ch;
  for (let n = start; n < end; n++) {
    for (let k = 0; k < heads; k++) {
      let s = 0;
      const o = n * dim + k * ch;
      for (let c = 0; c < ch; c++) s += h[o + c] * att[k * ch + c];
      out[n * heads + k] = s;
    }
  }
}

export interface HeadReduceArgs { h: Float32Array; ds: Float32Array; out: Float32Array; heads: number; ch: number; nodes: number }
/** Gradient of an attention vector, one head per range item: out[k,:] = sum_n ds[n,k] * h[n,k,:], in node order. */
export function headReduce(a: HeadReduceArgs, start: number, end: number): void {
  const { h, ds, out, heads, ch, nodes } = a;
  const dim = heads * ch;
  for (let k = start; k < end; k++) {
    for (let c = 0; c < ch; c++) out[k * ch + c] = 0;
    for (let n = 0; n < nodes; n++) {
      const g = ds[n * heads + k];
      if (g === 0) continue;
      const o = n * dim + k * ch;
      for (let c = 0; c < ch; c++) out[k * ch + c] += g * h[o + c];
    }
  }
}

export interface GatLayerFwdArgs {
  ptr: Int32Array; indices: Int32Array; bias: Float32Array; hasBias: number; slope: number;
  h: Float32Array; sSrc: Float32Array; sDst: Float32Array; alpha: Float32Array; out: Float32Array; heads: number; ch: number;
}
/** Fused GAT layer per destination row: logits, softmax with the row max, weighted aggregation. */
export function gatLayerFwd(a: GatLayerFwdArgs, start: number, end: number): void {
  const { ptr, indices, bias, hasBias, slope, h, sSrc, sDst, alpha, out, heads, ch } = a;
  const dim = heads * ch;
  for (let i = start; i < end; i++) {
    const p0 = ptr[i], p1 = ptr[i + 1];
    const o = i * dim;
    for (let c = 0; c < dim; c++) out[o + c] = 0;
    if (p0 === p1) continue;
    for (let k = 0; k < heads; k++) {
      const sd = sDst[i * heads + k];
      let max = -Infinity;
      for (let p = p0; p < p1; p++) {
        const z = sd + sSrc[indices[p] * heads + k];
        const e = (z > 0 ? z : slope * z) + (hasBias ? bias[p] : 0);
        alpha[p * heads + k] = e;
        if (e > max) max = e;
      }
      let sum = 0;
      for (let p = p0; p < p1; p++) { const e = Math.exp(alpha[p * heads + k] - max); alpha[p * heads + k] = e; sum += e; }
      const inv = 1 / sum;
      const base = k * ch;
      for (let p = p0; p < p1; p++) {
        const w = alpha[p * heads + k] * inv;
        alpha[p * heads + k] = w;
        const s = indices[p] * dim;
        for (let c = base; c < base + ch; c++) out[o + c] += w * h[s + c];
      }
    }
  }
}

export interface GatLayerBwdDstArgs {
  ptr: Int32Array; indices: Int32Array; slope: number; h: Float32Array; sSrc: Float32Array; sDst: Float32Array;
  alpha: Float32Array; dOut: Float32Array; dz: Float32Array; dSdst: Float32Array; heads: number; ch: number;
}
/**
 * Backward, destination side: dAlpha = <dOut_i, h_j>, softmax backward, LeakyReLU backward.
 * Writes dz (gradient of the pre-activation logit per edge) and dSdst (its row sum).
 */
export function gatLayerBwdDst(a: GatLayerBwdDstArgs, start: number, end: number): void {
  const { ptr, indices, slope, h, sSrc, sDst, alpha, dOut, dz, dSdst, heads, ch } = a;
  const dim = heads * ch;
  for (let i = start; i < end; i++) {
    const p0 = ptr[i], p1 = ptr[i + 1];
    const o = i * dim;
    for (let k = 0; k < heads; k++) {
      const base = k * ch;
      let acc = 0;
      for (let p = p0; p < p1; p++) {
        const s = indices[p] * dim;
        let dot = 0;
        for (let c = base; c < base + ch; c++) dot += dOut[o + c] * h[s + c];
        dz[p * heads + k] = dot;
        acc += alpha[p * heads + k] * dot;
      }
      const sd = sDst[i * heads + k];
      let rowSum = 0;
      for (let p = p0; p < p1; p++) {
        const q = p * heads + k;
        const de = alpha[q] * (dz[q] - acc);
        const z = sd + sSrc[indices[p] * heads + k];
        const g = z > 0 ? de : slope * de;
        dz[q] = g;
        rowSum += g;
      }
      dSdst[i * heads + k] = rowSum;
    }
  }
}

export interface GatLayerBwdSrcArgs {
  tptr: Int32Array; tedge: Int32Array; tdst: Int32Array; alpha: Float32Array; dOut: Float32Array; dz: Float32Array;
  dSdst: Float32Array; attSrc: Float32Array; attDst: Float32Array; dh: Float32Array; dSsrc: Float32Array; heads: number; ch: number;
}
/** Backward, source side: messages' gradient plus both attention half-scores' gradient, per node. */
export function gatLayerBwdSrc(a: GatLayerBwdSrcArgs, start: number, end: number): void {
  const { tptr, tedge, tdst, alpha, dOut, dz, dSdst, attSrc, attDst, dh, dSsrc, heads, ch } = a;
  const dim = heads * ch;
  for (let j = start; j < end; j++) {
    const o = j * dim;
    for (let c = 0; c < dim; c++) dh[o + c] = 0;
    for (let k = 0; k < heads; k++) dSsrc[j * heads + k] = 0;
    for (let t = tptr[j]; t < tptr[j + 1]; t++) {
      const p = tedge[t];
      const d = tdst[t] * dim;
      for (let k = 0; k < heads; k++) {
        const w = alpha[p * heads + k];
        dSsrc[j * heads + k] += dz[p * heads + k];
        const base = k * ch;
        for (let c = base; c < base + ch; c++) dh[o + c] += w * dOut[d + c];
      }
    }
    for (let k = 0; k < heads; k++) {
      const gs = dSsrc[j * heads + k], gd = dSdst[j * heads + k];
      const base = k * ch;
      for (let c = 0; c < ch; c++) dh[o + base + c] += gs * attSrc[base + c] + gd * attDst[base + c];
    }
  }
}

export interface LinearRowsArgs { x: Float32Array; w: Float32Array; base: Float32Array; hasBase: number; out: Float32Array; inDim: number; outDim: number }
/** out[r,:] = base[r,:] + x[r,:] @ w — the text projection of item inputs. */
export function linearRows(a: LinearRowsArgs, start: number, end: number): void {
  const { x, w, base, hasBase, out, inDim, outDim } = a;
  for (let r = start; r < end; r++) {
    const o = r * outDim;
    if (hasBase) for (let c = 0; c < outDim; c++) out[o + c] = base[o + c];
    else for (let c = 0; c < outDim; c++) out[o + c] = 0;
    const xi = r * inDim;
    for (let q = 0; q < inDim; q++) {
      const v = x[xi + q];
      if (v === 0) continue;
      const wq = q * outDim;
      for (let c = 0; c < outDim; c++) out[o + c] += v * w[wq + c];
    }
  }
}

export interface LinearGradWArgs { x: Float32Array; dy: Float32Array; dw: Float32Array; rows: number; inDim: number; outDim: number }
/** dw[q,:] = sum_r x[r,q] * dy[r,:], one input dimension q per range item, rows in order. */
export function linearGradW(a: LinearGradWArgs, start: number, end: number): void {
  const { x, dy, dw, rows, inDim, outDim } = a;
  for (let q = start; q < end; q++) for (let c = 0; c < outDim; c++) dw[q * outDim + c] = 0;
  for (let r = 0; r < rows; r++) {
    const xi = r * inDim;
    const yi = r * outDim;
    for (let q = start; q < end; q++) {
      const v = x[xi + q];
      if (v === 0) continue;
      const wq = q * outDim;
      for (let c = 0; c < outDim; c++) dw[wq + c] += v * dy[yi + c];
    }
  }
}

export interface AdamArgs {
  param: Float32Array; grad: Float32Array; m: Float32Array; v: Float32Array;
  lr: number; beta1: number; beta2: number; eps: number; l2: number; bc1: number; bc2: number;
}
/** Adam with coupled L2 (g + l2 * theta), in place; bc1/bc2 are the bias corrections 1 - beta^t. */
export function adam(a: AdamArgs, start: number, end: number): void {
  const { param, grad, m, v, lr, beta1, beta2, eps, l2, bc1, bc2 } = a;
  const step = lr / bc1;
  const invBc2 = 1 / bc2;
  for (let n = start; n < end; n++) {
    const g = grad[n] + l2 * param[n];
    const mn = beta1 * m[n] + (1 - beta1) * g;
    const vn = beta2 * v[n] + (1 - beta2) * g * g;
    m[n] = mn;
    v[n] = vn;
    param[n] -= (step * mn) / (Math.sqrt(vn * invBc2) + eps);
  }
}

/** Every body by name, for the worker pool. */
export const KERNEL_BODIES = {
  gatherRows,
  segmentSumRows,
  edgeSoftmax,
  edgeSoftmaxBwd,
  aggregate,
  aggregateBwdAlpha,
  aggregateBwdX,
  headDot,
  headReduce,
  gatLayerFwd,
  gatLayerBwdDst,
  gatLayerBwdSrc,
  linearRows,
  linearGradW,
  adam,
};
export type KernelName = keyof typeof KERNEL_BODIES;

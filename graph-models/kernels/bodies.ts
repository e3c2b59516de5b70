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

export interface HeadReduceArgs { h: Float32Array; ds: Float32Array; ds2: Float32Array; out: Float32Array; out2: Float32Array; heads: number; ch: number; nodes: number }
/**
 * Gradients of both attention vectors, one head per range item, in one pass over h:
 * out[k,:] = sum_n ds[n,k] * h[n,k,:] and out2 likewise with ds2, summed in node order (float64).
 */
export function headReduce(a: HeadReduceArgs, start: number, end: number): void {
  const { h, ds, ds2, out, out2, heads, ch, nodes } = a;
  const dim = heads * ch;
  const acc = new Float64Array(2 * ch);
  for (let k = start; k < end; k++) {
    acc.fill(0);
    for (let n = 0; n < nodes; n++) {
      const g = ds[n * heads + k];
      const g2 = ds2[n * heads + k];
      if (g === 0 && g2 === 0) continue;
      const o = n * dim + k * ch;
      for (let c = 0; c < ch; c++) {
        const x = h[o + c];
        acc[c] += g * x;
        acc[ch + c] += g2 * x;
      }
    }
    for (let c = 0; c < ch; c++) {
      out[k * ch + c] = acc[c];
      out2[k * ch + c] = acc[ch + c];
    }
  }
}

export interface AxpbyArgs { x: Float32Array; y: Float32Array; out: Float32Array; a: number; b: number }
/** out[q] = a * x[q] + b * y[q] (element-wise; the layer mean and its gradient). */
export function axpby(args: AxpbyArgs, start: number, end: number): void {
  const { x, y, out, a, b } = args;
  if (b === 0) {
    for (let q = start; q < end; q++) out[q] = a * x[q];
  } else {
    for (let q = start; q < end; q++) out[q] = a * x[q] + b * y[q];
  }
}

export interface GatLayerFwdArgs {
  ptr: Int32Array; indices: Int32Array; bias: Float32Array; hasBias: number; slope: number;
  h: Float32Array; sSrc: Float32Array; sDst: Float32Array; alpha: Float32Array; out: Float32Array; heads: number; ch: number;
}
/**
 * Fused GAT layer per destination row: logits, softmax with the row max, weighted aggregation.
 * The aggregation accumulates each head's channels in locals (float64) and stores once: an
 * `out[o + c] += ...` per edge is a typed-array load and store per channel and measured ~2x
 * slower. ch = 16 (the default 64 / 4 heads) has an unrolled path; any ch takes the generic one.
 */
export function gatLayerFwd(a: GatLayerFwdArgs, start: number, end: number): void {
  const { ptr, indices, bias, hasBias, slope, h, sSrc, sDst, alpha, out, heads, ch } = a;
  const dim = heads * ch;
  for (let i = start; i < end; i++) {
    const p0 = ptr[i], p1 = ptr[i + 1];
    const o = i * dim;
    if (p0 === p1) {
      for (let c = 0; c < dim; c++) out[o + c] = 0;
      continue;
    }
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
      if (ch === 16) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        let a8 = 0, a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0, a15 = 0;
        for (let p = p0; p < p1; p++) {
          const q = p * heads + k;
          const w = alpha[q] * inv;
          alpha[q] = w;
          const s = indices[p] * dim + base;
          a0 += w * h[s]; a1 += w * h[s + 1]; a2 += w * h[s + 2]; a3 += w * h[s + 3];
          a4 += w * h[s + 4]; a5 += w * h[s + 5]; a6 += w * h[s + 6]; a7 += w * h[s + 7];
          a8 += w * h[s + 8]; a9 += w * h[s + 9]; a10 += w * h[s + 10]; a11 += w * h[s + 11];
          a12 += w * h[s + 12]; a13 += w * h[s + 13]; a14 += w * h[s + 14]; a15 += w * h[s + 15];
        }
        const d = o + base;
        out[d] = a0; out[d + 1] = a1; out[d + 2] = a2; out[d + 3] = a3;
        out[d + 4] = a4; out[d + 5] = a5; out[d + 6] = a6; out[d + 7] = a7;
        out[d + 8] = a8; out[d + 9] = a9; out[d + 10] = a10; out[d + 11] = a11;
        out[d + 12] = a12; out[d + 13] = a13; out[d + 14] = a14; out[d + 15] = a15;
      } else {
        for (let c = base; c < base + ch; c++) out[o + c] = 0;
        for (let p = p0; p < p1; p++) {
          const w = alpha[p * heads + k] * inv;
          alpha[p * heads + k] = w;
          const s = indices[p] * dim;
          for (let c = base; c < base + ch; c++) out[o + c] += w * h[s + c];
        }
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
 * With ch = 16 the row's dOut slice is held in locals across its edges (see gatLayerFwd).
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
      if (ch === 16) {
        const d = o + base;
        const g0 = dOut[d], g1 = dOut[d + 1], g2 = dOut[d + 2], g3 = dOut[d + 3];
        const g4 = dOut[d + 4], g5 = dOut[d + 5], g6 = dOut[d + 6], g7 = dOut[d + 7];
        const g8 = dOut[d + 8], g9 = dOut[d + 9], g10 = dOut[d + 10], g11 = dOut[d + 11];
        const g12 = dOut[d + 12], g13 = dOut[d + 13], g14 = dOut[d + 14], g15 = dOut[d + 15];
        for (let p = p0; p < p1; p++) {
          const s = indices[p] * dim + base;
          const dot =
            g0 * h[s] + g1 * h[s + 1] + g2 * h[s + 2] + g3 * h[s + 3] +
            g4 * h[s + 4] + g5 * h[s + 5] + g6 * h[s + 6] + g7 * h[s + 7] +
            g8 * h[s + 8] + g9 * h[s + 9] + g10 * h[s + 10] + g11 * h[s + 11] +
            g12 * h[s + 12] + g13 * h[s + 13] + g14 * h[s + 14] + g15 * h[s + 15];
          dz[p * heads + k] = dot;
          acc += alpha[p * heads + k] * dot;
        }
      } else {
        for (let p = p0; p < p1; p++) {
          const s = indices[p] * dim;
          let dot = 0;
          for (let c = base; c < base + ch; c++) dot += dOut[o + c] * h[s + c];
          dz[p * heads + k] = dot;
          acc += alpha[p * heads + k] * dot;
        }
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
/**
 * Backward, source side: messages' gradient plus both attention half-scores' gradient, per node.
 * Head by head with the channels accumulated in locals (ch = 16 unrolled), as in gatLayerFwd.
 */
export function gatLayerBwdSrc(a: GatLayerBwdSrcArgs, start: number, end: number): void {
  const { tptr, tedge, tdst, alpha, dOut, dz, dSdst, attSrc, attDst, dh, dSsrc, heads, ch } = a;
  const dim = heads * ch;
  for (let j = start; j < end; j++) {
    const o = j * dim;
    const t0 = tptr[j], t1 = tptr[j + 1];
    for (let k = 0; k < heads; k++) {
      const base = k * ch;
      let gs = 0;
      if (ch === 16) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        let a8 = 0, a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0, a15 = 0;
        for (let t = t0; t < t1; t++) {
          const q = tedge[t] * heads + k;
          const w = alpha[q];
          gs += dz[q];
          const d = tdst[t] * dim + base;
          a0 += w * dOut[d]; a1 += w * dOut[d + 1]; a2 += w * dOut[d + 2]; a3 += w * dOut[d + 3];
          a4 += w * dOut[d + 4]; a5 += w * dOut[d + 5]; a6 += w * dOut[d + 6]; a7 += w * dOut[d + 7];
          a8 += w * dOut[d + 8]; a9 += w * dOut[d + 9]; a10 += w * dOut[d + 10]; a11 += w * dOut[d + 11];
          a12 += w * dOut[d + 12]; a13 += w * dOut[d + 13]; a14 += w * dOut[d + 14]; a15 += w * dOut[d + 15];
        }
        const gd = dSdst[j * heads + k];
        const x = o + base;
        dh[x] = a0 + gs * attSrc[base] + gd * attDst[base];
        dh[x + 1] = a1 + gs * attSrc[base + 1] + gd * attDst[base + 1];
        dh[x + 2] = a2 + gs * attSrc[base + 2] + gd * attDst[base + 2];
        dh[x + 3] = a3 + gs * attSrc[base + 3] + gd * attDst[base + 3];
        dh[x + 4] = a4 + gs * attSrc[base + 4] + gd * attDst[base + 4];
        dh[x + 5] = a5 + gs * attSrc[base + 5] + gd * attDst[base + 5];
        dh[x + 6] = a6 + gs * attSrc[base + 6] + gd * attDst[base + 6];
        dh[x + 7] = a7 + gs * attSrc[base + 7] + gd * attDst[base + 7];
        dh[x + 8] = a8 + gs * attSrc[base + 8] + gd * attDst[base + 8];
        dh[x + 9] = a9 + gs * attSrc[base + 9] + gd * attDst[base + 9];
        dh[x + 10] = a10 + gs * attSrc[base + 10] + gd * attDst[base + 10];
        dh[x + 11] = a11 + gs * attSrc[base + 11] + gd * attDst[base + 11];
        dh[x + 12] = a12 + gs * attSrc[base + 12] + gd * attDst[base + 12];
        dh[x + 13] = a13 + gs * attSrc[base + 13] + gd * attDst[base + 13];
        dh[x + 14] = a14 + gs * attSrc[base + 14] + gd * attDst[base + 14];
        dh[x + 15] = a15 + gs * attSrc[base + 15] + gd * attDst[base + 15];
      } else {
        for (let c = base; c < base + ch; c++) dh[o + c] = 0;
        for (let t = t0; t < t1; t++) {
          const q = tedge[t] * heads + k;
          const w = alpha[q];
          gs += dz[q];
          const d = tdst[t] * dim;
          for (let c = base; c < base + ch; c++) dh[o + c] += w * dOut[d + c];
        }
        const gd = dSdst[j * heads + k];
        for (let c = base; c < base + ch; c++) dh[o + c] += gs * attSrc[c] + gd * attDst[c];
      }
      dSsrc[j * heads + k] = gs;
    }
  }
}

export interface LinearRowsArgs { x: Float32Array; w: Float32Array; base: Float32Array; hasBase: number; out: Float32Array; inDim: number; outDim: number }
/**
 * out[r,:] = base[r,:] + x[r,:] @ w — the text projection of item inputs. Output channels go in
 * blocks of 8 accumulated in locals over the input dimension (w stays in L1), so each output is
 * stored once instead of read and written per input dimension.
 */
export function linearRows(a: LinearRowsArgs, start: number, end: number): void {
  const { x, w, base, hasBase, out, inDim, outDim } = a;
  const blocked = outDim - (outDim % 8);
  for (let r = start; r < end; r++) {
    const o = r * outDim;
    const xi = r * inDim;
    for (let c = 0; c < blocked; c += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      if (hasBase) {
        a0 = base[o + c]; a1 = base[o + c + 1]; a2 = base[o + c + 2]; a3 = base[o + c + 3];
        a4 = base[o + c + 4]; a5 = base[o + c + 5]; a6 = base[o + c + 6]; a7 = base[o + c + 7];
      }
      for (let q = 0; q < inDim; q++) {
        const v = x[xi + q];
        const wq = q * outDim + c;
        a0 += v * w[wq]; a1 += v * w[wq + 1]; a2 += v * w[wq + 2]; a3 += v * w[wq + 3];
        a4 += v * w[wq + 4]; a5 += v * w[wq + 5]; a6 += v * w[wq + 6]; a7 += v * w[wq + 7];
      }
      out[o + c] = a0; out[o + c + 1] = a1; out[o + c + 2] = a2; out[o + c + 3] = a3;
      out[o + c + 4] = a4; out[o + c + 5] = a5; out[o + c + 6] = a6; out[o + c + 7] = a7;
    }
    for (let c = blocked; c < outDim; c++) {
      let acc = hasBase ? base[o + c] : 0;
      for (let q = 0; q < inDim; q++) acc += x[xi + q] * w[q * outDim + c];
      out[o + c] = acc;
    }
  }
}

export interface LinearGradWArgs { x: Float32Array; dy: Float32Array; dw: Float32Array; rows: number; inDim: number; outDim: number }
/**
 * dw[q,:] = sum_r x[r,q] * dy[r,:], one input dimension q per range item. Rows go in blocks of
 * 256 (the block's dy and x stay in L2); within a block each (q, 8 channels) is accumulated in
 * locals, then added to dw. The summation order is fixed by q, the block and the row, never by
 * the thread count.
 */
export function linearGradW(a: LinearGradWArgs, start: number, end: number): void {
  const { x, dy, dw, rows, inDim, outDim } = a;
  const blocked = outDim - (outDim % 8);
  for (let q = start; q < end; q++) for (let c = 0; c < outDim; c++) dw[q * outDim + c] = 0;
  for (let r0 = 0; r0 < rows; r0 += 256) {
    const r1 = Math.min(rows, r0 + 256);
    for (let q = start; q < end; q++) {
      const wq = q * outDim;
      for (let c = 0; c < blocked; c += 8) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        for (let r = r0; r < r1; r++) {
          const v = x[r * inDim + q];
          const y = r * outDim + c;
          a0 += v * dy[y]; a1 += v * dy[y + 1]; a2 += v * dy[y + 2]; a3 += v * dy[y + 3];
          a4 += v * dy[y + 4]; a5 += v * dy[y + 5]; a6 += v * dy[y + 6]; a7 += v * dy[y + 7];
        }
        dw[wq + c] += a0; dw[wq + c + 1] += a1; dw[wq + c + 2] += a2; dw[wq + c + 3] += a3;
        dw[wq + c + 4] += a4; dw[wq + c + 5] += a5; dw[wq + c + 6] += a6; dw[wq + c + 7] += a7;
      }
      for (let c = blocked; c < outDim; c++) {
        let acc = 0;
        for (let r = r0; r < r1; r++) acc += x[r * inDim + q] * dy[r * outDim + c];
        dw[wq + c] += acc;
      }
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

export interface PairLossArgs {
  emb: Float32Array; users: Int32Array; positives: Int32Array; negatives: Int32Array;
  k: number; dim: number; invT: number; bpr: number; scale: number; coef: Float64Array; lossPart: Float64Array;
}
/**
 * Loss and score gradients of (user, positive, k negatives) triples scored by inner products,
 * one triple per range item. slot 0 = positive, 1..k = negatives; coef[b*(k+1)+slot] = scale *
 * d loss_b / d score. bpr = 0: sampled softmax of the positive against its negatives at
 * temperature 1/invT; bpr = 1: sum over negatives of softplus(s_neg - s_pos).
 */
export function pairLoss(a: PairLossArgs, start: number, end: number): void {
  const { emb, users, positives, negatives, k, dim, invT, bpr, scale, coef, lossPart } = a;
  const k1 = k + 1;
  for (let b = start; b < end; b++) {
    const u = users[b] * dim;
    const cb = b * k1;
    let mx = -Infinity;
    for (let j = 0; j < k1; j++) {
      const q = (j === 0 ? positives[b] : negatives[b * k + j - 1]) * dim;
      // Four partial sums: one running sum is a chain of dependent adds (latency-bound).
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      let c = 0;
      for (; c + 3 < dim; c += 4) {
        s0 += emb[u + c] * emb[q + c];
        s1 += emb[u + c + 1] * emb[q + c + 1];
        s2 += emb[u + c + 2] * emb[q + c + 2];
        s3 += emb[u + c + 3] * emb[q + c + 3];
      }
      for (; c < dim; c++) s0 += emb[u + c] * emb[q + c];
      const s = (s0 + s1) + (s2 + s3);
      // coef holds the raw scores (float64) until every coefficient of the triple is known.
      coef[cb + j] = s;
      if (s * invT > mx) mx = s * invT;
    }
    if (bpr === 0) {
      let z = 0;
      for (let j = 0; j < k1; j++) z += Math.exp(coef[cb + j] * invT - mx);
      const pos = coef[cb] * invT;
      lossPart[b] = Math.log(z) + mx - pos;
      for (let j = 0; j < k1; j++) {
        const p = Math.exp(coef[cb + j] * invT - mx) / z;
        coef[cb + j] = (p - (j === 0 ? 1 : 0)) * invT * scale;
      }
    } else {
      const pos = coef[cb];
      let loss = 0;
      let posCoef = 0;
      for (let j = 1; j < k1; j++) {
        const x = coef[cb + j] - pos;
        loss += x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
        const g = scale / (1 + Math.exp(-x));
        coef[cb + j] = g;
        posCoef -= g;
      }
      coef[cb] = posCoef;
      lossPart[b] = loss;
    }
  }
}

export interface CoefSpmmArgs { ptr: Int32Array; src: Int32Array; coef: Float32Array; emb: Float32Array; out: Float32Array; dim: number }
/**
 * out[r,:] = sum over entries q in [ptr[r], ptr[r+1]) of coef[q] * emb[src[q],:], in entry order;
 * rows without entries get zeros. The loss gradient with respect to the embeddings, grouped by the
 * row it lands on so threads never write the same row.
 */
export function coefSpmm(a: CoefSpmmArgs, start: number, end: number): void {
  const { ptr, src, coef, emb, out, dim } = a;
  const blocked = dim - (dim % 8);
  for (let r = start; r < end; r++) {
    const o = r * dim;
    const q0 = ptr[r], q1 = ptr[r + 1];
    for (let c = 0; c < blocked; c += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      for (let q = q0; q < q1; q++) {
        const g = coef[q];
        const s = src[q] * dim + c;
        a0 += g * emb[s]; a1 += g * emb[s + 1]; a2 += g * emb[s + 2]; a3 += g * emb[s + 3];
        a4 += g * emb[s + 4]; a5 += g * emb[s + 5]; a6 += g * emb[s + 6]; a7 += g * emb[s + 7];
      }
      out[o + c] = a0; out[o + c + 1] = a1; out[o + c + 2] = a2; out[o + c + 3] = a3;
      out[o + c + 4] = a4; out[o + c + 5] = a5; out[o + c + 6] = a6; out[o + c + 7] = a7;
    }
    for (let c = blocked; c < dim; c++) {
      let acc = 0;
      for (let q = q0; q < q1; q++) acc += coef[q] * emb[src[q] * dim + c];
      out[o + c] = acc;
    }
  }
}

/** Every body by name, for the worker pool. */
export const KERNEL_BODIES = {
  headDot,
  headReduce,
  axpby,
  gatLayerFwd,
  gatLayerBwdDst,
  gatLayerBwdSrc,
  linearRows,
  linearGradW,
  adam,
  pairLoss,
  coefSpmm,
};
export type KernelName = keyof typeof KERNEL_BODIES;

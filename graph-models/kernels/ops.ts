/**
 * The kernels as tfjs ops with gradients (tf.customGrad), so tfjs autograd runs through them and
 * the rest of a model stays ordinary tfjs. Forward and gradient read tensor data synchronously
 * (dataSync) and wrap the kernels' shared outputs as tensors — on the cpu backend neither step
 * copies, and on other backends (wasm, tensorflow) the same code works with one copy each way.
 *
 * Graph structure and index arrays are not tensors: they are closed over, like PyG passes
 * edge_index to a scatter kernel.
 */
import * as tf from '@tensorflow/tfjs';
import * as K from './sparse';
import { MessageGraph, GatLayerOptions, HeadShape } from './sparse';
import { sharedFloat32 } from './shared';

function data(t: tf.Tensor): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`kernel ops take float32 tensors, got ${t.dtype}`);
  return t.dataSync() as Float32Array;
}

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/**
 * tf.customGrad with typed inputs: tfjs calls f(...inputs, save), which its typings express as
 * one rest parameter of Tensor | GradSaveFunc; this splits them once for all ops below.
 */
function customOp<T extends tf.Tensor>(
  body: (xs: tf.Tensor[], save: tf.GradSaveFunc) => { value: T; gradFunc: GradFunc },
): (...xs: tf.Tensor[]) => T {
  const f = (...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const { value, gradFunc } = body(args.slice(0, -1) as tf.Tensor[], save);
    return { value, gradFunc: (dy: T, saved: tf.Tensor[]) => gradFunc(dy, saved) };
  };
  return tf.customGrad(f) as (...xs: tf.Tensor[]) => T;
}

/** x[idx] along rows; the gradient is a deterministic scatter-add (never tfjs UnsortedSegmentSum). */
export function gatherRowsOp(x: tf.Tensor2D, idx: Int32Array): tf.Tensor2D {
  const [rows, dim] = x.shape;
  const op = customOp<tf.Tensor2D>(([xt]) => {
    const value = tf.tensor2d(K.gatherRows(data(xt), dim, idx), [idx.length, dim]);
    const gradFunc = (dy: tf.Tensor) =>
      tf.tensor2d(K.scatterAddRows(data(dy), dim, K.scatterIndex(idx, rows)), [rows, dim]);
    return { value, gradFunc };
  });
  return op(x);
}

/** Per-destination softmax of edge scores (E x heads). */
export function edgeSoftmaxOp(g: MessageGraph, scores: tf.Tensor2D): tf.Tensor2D {
  const heads = scores.shape[1];
  const op = customOp<tf.Tensor2D>(([st], save) => {
    const value = tf.tensor2d(K.edgeSoftmax(g, data(st), heads), [g.numEdges, heads]);
    save([value]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tensor2d(K.edgeSoftmaxBackward(g, data(saved[0]), data(dy), heads), [g.numEdges, heads]);
    return { value, gradFunc };
  });
  return op(scores);
}

/** out[i,k,:] = sum_p alpha[p,k] x[src(p),k,:] — the message scatter-add, weighted per head. */
export function aggregateOp(g: MessageGraph, alpha: tf.Tensor2D, x: tf.Tensor2D, shape: HeadShape): tf.Tensor2D {
  const dim = shape.heads * shape.ch;
  const op = customOp<tf.Tensor2D>(([at, xt], save) => {
    const value = tf.tensor2d(K.aggregate(g, data(at), data(xt), shape), [g.csr.numRows, dim]);
    save([at, xt]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const { dAlpha, dx } = K.aggregateBackward(g, { alpha: data(saved[0]), x: data(saved[1]) }, data(dy), shape);
      return [tf.tensor2d(dAlpha, [g.numEdges, shape.heads]), tf.tensor2d(dx, [g.csr.numCols, dim])];
    };
    return { value, gradFunc };
  });
  return op(alpha, x);
}

/**
 * One fused GAT layer: attention logits, edge softmax and aggregation in a single op, so the
 * E x heads intermediates never become tensors. attSrc/attDst are (heads x ch).
 */
export function gatLayerOp(g: MessageGraph, h: tf.Tensor2D, attSrc: tf.Tensor2D, attDst: tf.Tensor2D, opts: GatLayerOptions): tf.Tensor2D {
  const dim = opts.heads * opts.ch;
  const op = customOp<tf.Tensor2D>(([ht, as, ad]) => {
    const { out, saved } = K.gatLayerForward(g, { h: data(ht), attSrc: data(as), attDst: data(ad) }, opts);
    // The saved typed arrays live in this closure until tfjs drops the gradient function.
    const gradFunc = (dy: tf.Tensor) => {
      const { dh, dAttSrc, dAttDst } = K.gatLayerBackward(g, saved, data(dy), opts);
      return [tf.tensor2d(dh, [g.csr.numRows, dim]), tf.tensor2d(dAttSrc, [opts.heads, opts.ch]), tf.tensor2d(dAttDst, [opts.heads, opts.ch])];
    };
    return { value: tf.tensor2d(out, [g.csr.numRows, dim]), gradFunc };
  });
  return op(h, attSrc, attDst);
}

/** base + x @ w for a constant input x (e.g. text features): gradients for w and base only. */
export function linearOp(x: Float32Array, rows: number, inDim: number, w: tf.Tensor2D, base: tf.Tensor2D): tf.Tensor2D {
  const outDim = w.shape[1];
  const op = customOp<tf.Tensor2D>(([wt, bt]) => {
    const value = tf.tensor2d(K.linearRows({ x, w: data(wt), base: data(bt), rows, inDim, outDim }), [rows, outDim]);
    const gradFunc = (dy: tf.Tensor) =>
      [tf.tensor2d(K.linearGradW({ x, dy: data(dy), rows, inDim, outDim }), [inDim, outDim]), dy.clone()];
    return { value, gradFunc };
  });
  return op(w, base);
}

/**
 * scores[b] = <emb[left[b]], emb[right[b]]> for many (user, item) pairs, fused so the B x dim
 * rows are never materialised as tensors. Gradient summed per embedding row in pair order.
 */
export function pairDotOp(emb: tf.Tensor2D, left: Int32Array, right: Int32Array): tf.Tensor1D {
  const [rows, dim] = emb.shape;
  const n = left.length;
  const op = customOp<tf.Tensor1D>(([et], save) => {
    const e = data(et);
    const out = new Float32Array(n);
    for (let b = 0; b < n; b++) {
      const l = left[b] * dim, r = right[b] * dim;
      let s = 0;
      for (let c = 0; c < dim; c++) s += e[l + c] * e[r + c];
      out[b] = s;
    }
    save([et]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const g = data(dy);
      const ev = data(saved[0]);
      const grad = new Float32Array(rows * dim);
      for (let b = 0; b < n; b++) {
        const gb = g[b];
        if (gb === 0) continue;
        const l = left[b] * dim, r = right[b] * dim;
        for (let c = 0; c < dim; c++) {
          grad[l + c] += gb * ev[r + c];
          grad[r + c] += gb * ev[l + c];
        }
      }
      return tf.tensor2d(grad, [rows, dim]);
    };
    return { value: tf.tensor1d(out), gradFunc };
  });
  return op(emb);
}

/** Element-wise mean of same-shape tensors (LightGCN-style layer combination) without tfjs's per-op passes. */
export function meanOp(xs: tf.Tensor2D[]): tf.Tensor2D {
  const shape = xs[0].shape;
  const n = xs.length;
  const op = customOp<tf.Tensor2D>((ts) => {
    const arrays = ts.map(data);
    const out = sharedFloat32(arrays[0].length);
    for (const a of arrays) for (let q = 0; q < out.length; q++) out[q] += a[q];
    for (let q = 0; q < out.length; q++) out[q] /= n;
    const gradFunc = (dy: tf.Tensor) => {
      const g = data(dy);
      const scaled = sharedFloat32(g.length);
      for (let q = 0; q < g.length; q++) scaled[q] = g[q] / n;
      // The same gradient for every input; each gets its own tensor because tfjs may dispose them separately.
      return ts.map((_, k) => tf.tensor2d(k === 0 ? scaled : scaled.slice(), shape));
    };
    return { value: tf.tensor2d(out, shape), gradFunc };
  });
  return op(...xs);
}

/**
 * Mean BPR loss over (user, positive, k negatives) triples scored by inner products of `emb` rows:
 * mean over b, j of softplus(<e_u, e_neg(b,j)> - <e_u, e_pos(b)>). Fused because tfjs-cpu's
 * broadcasting binary ops allocate per element and cost seconds at 65k x 4 pairs. Forward and
 * gradient run on the kernel pool (pairLossForward / pairLossBackward), deterministic for any
 * thread count.
 */
export function bprLossOp(
  emb: tf.Tensor2D,
  batch: { users: Int32Array; positives: Int32Array; negatives: Int32Array; k: number },
  /** Where to write the (rows x dim) gradient; reused by training loops to avoid a big allocation per step. */
  gradBuffer?: () => Float32Array,
  ws?: K.Workspace,
): tf.Scalar {
  return pairLossOp(emb, batch, { loss: 'bpr', temperature: 1 }, gradBuffer, ws);
}

function pairLossOp(
  emb: tf.Tensor2D,
  batch: K.PairBatch,
  opts: { loss: 'softmax' | 'bpr'; temperature: number },
  gradBuffer?: () => Float32Array,
  ws?: K.Workspace,
): tf.Scalar {
  const [rows, dim] = emb.shape;
  const op = customOp<tf.Scalar>(([et], save) => {
    const r = K.pairLossForward(data(et), dim, batch, opts, ws);
    // The coefficients live in the workspace (or this closure) until the gradient runs.
    const coef = r.coef;
    save([et]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const out = gradBuffer ? gradBuffer() : sharedFloat32(rows * dim);
      return tf.tensor2d(K.pairLossBackward(data(saved[0]), dim, batch, coef, data(dy)[0], out, ws), [rows, dim]);
    };
    return { value: tf.scalar(r.loss), gradFunc };
  });
  return op(emb);
}

/**
 * Sampled softmax over each positive and its k negatives:
 *   loss = mean_b [ -s_pos/t + log(exp(s_pos/t) + sum_j exp(s_neg_j/t)) ],  s = <e_user, e_item>,
 * or with `cosine`, s = cos(e_user, e_item). Gradient w.r.t. every score: (softmax_j - [j = pos]) / t.
 * Inner-product scores run on the kernel pool (see bprLossOp); cosine scores on this thread.
 */
export function sampledSoftmaxLossOp(
  emb: tf.Tensor2D,
  batch: { users: Int32Array; positives: Int32Array; negatives: Int32Array; k: number },
  opts: { temperature: number; cosine?: boolean },
  gradBuffer?: () => Float32Array,
  ws?: K.Workspace,
): tf.Scalar {
  if (opts.cosine !== true) return pairLossOp(emb, batch, { loss: 'softmax', temperature: opts.temperature }, gradBuffer, ws);
  const [rows, dim] = emb.shape;
  const { users, positives, negatives, k } = batch;
  const n = users.length;
  const invT = 1 / opts.temperature;
  const op = customOp<tf.Scalar>(([et], save) => {
    const e = data(et);
    const norm = (r: number): number => {
      let s = 0;
      for (let c = 0; c < dim; c++) s += e[r * dim + c] * e[r * dim + c];
      return Math.max(Math.sqrt(s), 1e-8);
    };
    // Per (b, slot): slot 0 = positive, 1..k = negatives. coef = d loss / d s (already / n).
    const coef = new Float64Array(n * (k + 1));
    const score = new Float64Array(k + 1);
    const nodeOf = (b: number, j: number): number => (j === 0 ? positives[b] : negatives[b * k + j - 1]);
    let loss = 0;
    for (let b = 0; b < n; b++) {
      const u = users[b] * dim;
      const nu = norm(users[b]);
      let mx = -Infinity;
      for (let j = 0; j <= k; j++) {
        const node = nodeOf(b, j);
        const q = node * dim;
        let s = 0;
        for (let c = 0; c < dim; c++) s += e[u + c] * e[q + c];
        s /= nu * norm(node);
        score[j] = s * invT;
        if (score[j] > mx) mx = score[j];
      }
      let z = 0;
      for (let j = 0; j <= k; j++) { score[j] = Math.exp(score[j] - mx); z += score[j]; }
      loss += Math.log(z) - Math.log(score[0]);
      for (let j = 0; j <= k; j++) coef[b * (k + 1) + j] = ((score[j] / z) - (j === 0 ? 1 : 0)) * invT / n;
    }
    save([et]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const scale = data(dy)[0];
      const ev = data(saved[0]);
      const grad = gradBuffer ? gradBuffer().fill(0) : sharedFloat32(rows * dim);
      for (let b = 0; b < n; b++) {
        const ur = users[b];
        const u = ur * dim;
        const nu = norm(ur);
        for (let j = 0; j <= k; j++) {
          const node = nodeOf(b, j);
          const q = node * dim;
          const g = coef[b * (k + 1) + j] * scale;
          // s = <u, q> / (|u||q|): ds/du = q/(|u||q|) - s u/|u|^2, symmetric for q.
          const nq = norm(node);
          let dot = 0;
          for (let c = 0; c < dim; c++) dot += ev[u + c] * ev[q + c];
          const s = dot / (nu * nq);
          for (let c = 0; c < dim; c++) {
            grad[u + c] += g * (ev[q + c] / (nu * nq) - (s * ev[u + c]) / (nu * nu));
            grad[q + c] += g * (ev[u + c] / (nu * nq) - (s * ev[q + c]) / (nq * nq));
          }
        }
      }
      return tf.tensor2d(grad, [rows, dim]);
    };
    return { value: tf.scalar(loss / Math.max(1, n)), gradFunc };
  });
  return op(emb);
}

/** sum over listed rows (with repeats) of ||x[row]||^2, gradient 2 x[row] per occurrence. */
export function rowsSquaredNormOp(x: tf.Tensor2D, rowsList: Int32Array): tf.Scalar {
  const [rows, dim] = x.shape;
  const op = customOp<tf.Scalar>(([xt], save) => {
    const v = data(xt);
    let s = 0;
    for (let m = 0; m < rowsList.length; m++) {
      const o = rowsList[m] * dim;
      for (let c = 0; c < dim; c++) s += v[o + c] * v[o + c];
    }
    save([xt]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const scale = 2 * data(dy)[0];
      const xv = data(saved[0]);
      const grad = sharedFloat32(rows * dim);
      for (let m = 0; m < rowsList.length; m++) {
        const o = rowsList[m] * dim;
        for (let c = 0; c < dim; c++) grad[o + c] += scale * xv[o + c];
      }
      return tf.tensor2d(grad, [rows, dim]);
    };
    return { value: tf.scalar(s), gradFunc };
  });
  return op(x);
}

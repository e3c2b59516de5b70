/**
 * tfjs ops over the unfused reference steps and small fused helpers that no model uses; the
 * kernel tests compose them with tfjs dense ops to check the fused GAT layer and the losses.
 */
import * as tf from '@tensorflow/tfjs';
import { customOp, tensorData as data } from '../../../../graph-models/kernels/custom-op';
import { sharedFloat32 } from '../../../../graph-models/data/shared-arrays';
import * as K from '../../../../graph-models/kernels/sparse';
import { GatLayerOptions, HeadShape, MessageGraph } from '../../../../graph-models/kernels/sparse';
import * as R from './unfused-kernels';

/** x[idx] along rows; the gradient is a deterministic scatter-add (never tfjs UnsortedSegmentSum). */
export function gatherRowsOp(x: tf.Tensor2D, idx: Int32Array): tf.Tensor2D {
  const [rows, dim] = x.shape;
  const op = customOp<tf.Tensor2D>(([xt]) => {
    const value = tf.tensor2d(R.gatherRows(data(xt), dim, idx), [idx.length, dim]);
    const gradFunc = (dy: tf.Tensor) =>
      tf.tensor2d(R.scatterAddRows(data(dy), dim, R.scatterIndex(idx, rows)), [rows, dim]);
    return { value, gradFunc };
  });
  return op(x);
}

/** Per-destination softmax of edge scores (E x heads). */
export function edgeSoftmaxOp(g: MessageGraph, scores: tf.Tensor2D): tf.Tensor2D {
  const heads = scores.shape[1];
  const op = customOp<tf.Tensor2D>(([st], save) => {
    const value = tf.tensor2d(R.edgeSoftmax(g, data(st), heads), [g.numEdges, heads]);
    save([value]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tensor2d(R.edgeSoftmaxBackward(g, data(saved[0]), data(dy), heads), [g.numEdges, heads]);
    return { value, gradFunc };
  });
  return op(scores);
}

/** out[i,k,:] = sum_p alpha[p,k] x[src(p),k,:] — the message scatter-add, weighted per head. */
export function aggregateOp(g: MessageGraph, alpha: tf.Tensor2D, x: tf.Tensor2D, shape: HeadShape): tf.Tensor2D {
  const dim = shape.heads * shape.ch;
  const op = customOp<tf.Tensor2D>(([at, xt], save) => {
    const value = tf.tensor2d(R.aggregate(g, data(at), data(xt), shape), [g.csr.numRows, dim]);
    save([at, xt]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const { dAlpha, dx } = R.aggregateBackward(g, { alpha: data(saved[0]), x: data(saved[1]) }, data(dy), shape);
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

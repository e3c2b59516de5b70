/**
 * The GAT attention layers (GATv1 logits per head, per-destination edge softmax, weighted
 * aggregation; no weight matrix or non-linearity) stacked L times, with the LightGCN-style mean
 * of h_0 .. h_L as output. Built on the fused kernel gatLayerForward / gatLayerBackward.
 */
import * as tf from '@tensorflow/tfjs';
import { toSharedFloat32 } from '../data/shared-arrays';
import { GatLayerSaved, MessageGraph, Workspace, axpby, gatLayerBackward, gatLayerForward } from '../kernels/sparse';

export interface GatStackShape { numUsers: number; numItems: number; dim: number; heads: number; ch: number; layers: number }

export interface ForwardResult {
  /** h_0 .. h_L as arrays, (numUsers + numItems) x dim each; workspace buffers, valid until the next forward. */
  layers: Float32Array[];
  final: tf.Tensor2D;
}

/**
 * All GAT layers and the layer mean as ONE op. Per-layer ops would be correct too (gatLayerOp is
 * the same kernels), but tfjs would then add the two gradients reaching every h_l with its own
 * element-wise add over N x dim — ~0.1 s each on tfjs-cpu at 150k nodes; here the backward
 * accumulates them in the same pass, in a fixed order.
 */
export function gatLayersOp(args: {
  graph: MessageGraph;
  /** Per-edge logit bias (log edge weight), see GatLayerOptions. */
  bias?: Float32Array;
  shape: GatStackShape;
  slope: number;
  ws: Workspace;
  h0: tf.Tensor2D;
  attSrc: tf.Tensor2D[];
  attDst: tf.Tensor2D[];
}): ForwardResult {
  const { shape, graph, slope, ws } = args;
  const L = shape.layers;
  const n = shape.numUsers + shape.numItems;
  const size = n * shape.dim;
  const opts = { heads: shape.heads, ch: shape.ch, slope, bias: args.bias };
  const layers: Float32Array[] = [];
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const ts = inputs as tf.Tensor[];
    const h0 = toSharedFloat32(ts[0].dataSync() as Float32Array);
    const attSrc = ts.slice(1, 1 + L).map((t) => toSharedFloat32(t.dataSync() as Float32Array));
    const attDst = ts.slice(1 + L, 1 + 2 * L).map((t) => toSharedFloat32(t.dataSync() as Float32Array));
    layers.push(h0);
    const saved: GatLayerSaved[] = [];
    for (let l = 0; l < L; l++) {
      const r = gatLayerForward(graph, { h: layers[l], attSrc: attSrc[l], attDst: attDst[l] }, opts, { workspace: ws, prefix: `L${l}.` });
      layers.push(r.out);
      saved.push(r.saved);
    }
    const final = ws.get('final', size);
    const inv = 1 / (L + 1);
    // final = inv * (h_0 + ... + h_L), accumulated layer by layer on the pool.
    axpby(final, inv, layers[0], inv, layers[1]);
    for (let l = 2; l <= L; l++) axpby(final, 1, final, inv, layers[l]);
    const gradFunc = (dy: tf.Tensor) => {
      const dFinal = toSharedFloat32(dy.dataSync() as Float32Array);
      // d final / d h_L = 1/(L+1); every lower h_l gets 1/(L+1) plus what layer l+1 sends back.
      let dOut = axpby(ws.get('dTop', size), inv, dFinal, 0, dFinal);
      const dAttSrc: tf.Tensor[] = new Array(L);
      const dAttDst: tf.Tensor[] = new Array(L);
      for (let l = L - 1; l >= 0; l--) {
        const b = gatLayerBackward(graph, saved[l], dOut, opts, { workspace: ws, prefix: `L${l}.` });
        axpby(b.dh, 1, b.dh, inv, dFinal);
        dAttSrc[l] = tf.tensor2d(b.dAttSrc, [shape.heads, shape.ch]);
        dAttDst[l] = tf.tensor2d(b.dAttDst, [shape.heads, shape.ch]);
        dOut = b.dh;
      }
      return [tf.tensor2d(dOut, [n, shape.dim]), ...dAttSrc, ...dAttDst];
    };
    return { value: tf.tensor2d(final, [n, shape.dim]), gradFunc };
  });
  const final = op(args.h0, ...args.attSrc, ...args.attDst) as tf.Tensor2D;
  return { layers, final };
}

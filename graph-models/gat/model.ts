/**
 * The GAT as a tfjs computation over the kernel ops:
 *
 *   h0_user = E_user[u]                      (learned id embedding)
 *   h0_item = E_item[i] + P_text[i] @ W_text (learned projection of the text embedding's PCA)
 *   h_{l+1} = GAT(h_l)                        (multi-head attention over both edge directions + self loops)
 *   final   = mean(h_0 .. h_L)                (LightGCN layer combination)
 *   score(u, i) = <final_u, final_i>
 *
 * A layer has attention vectors but no weight matrix or non-linearity: LightGCN showed both hurt
 * collaborative filtering, and dropping W is also what keeps a step inside the speed budget. Each
 * head attends over its own slice of the embedding (GATv1 logits on that slice).
 */
import * as tf from '@tensorflow/tfjs';
import { Workspace, axpby, gatLayerBackward, gatLayerForward, GatLayerSaved, linearGradW, linearRows } from '../kernels/sparse';
import { sharedFloat32, toSharedFloat32 } from '../kernels/shared';
import { GatGraph } from './graph';
import { GatOptions } from './options';

/** Trainable parameters as plain (shared) arrays; tensors are views made per step. */
export interface GatParams {
  user: Float32Array;
  item: Float32Array;
  textW: Float32Array;
  attSrc: Float32Array[];
  attDst: Float32Array[];
}

export interface GatShape {
  numUsers: number;
  numItems: number;
  dim: number;
  heads: number;
  ch: number;
  layers: number;
  textRank: number;
}

export function shapeOf(o: GatOptions, numUsers: number, numItems: number, textRank: number): GatShape {
  return { numUsers, numItems, dim: o.dim, heads: o.heads, ch: o.dim / o.heads, layers: o.layers, textRank };
}

export function initParams(shape: GatShape, o: GatOptions, normal: (n: number, std: number) => Float32Array): GatParams {
  const shared = (a: Float32Array): Float32Array => { const s = sharedFloat32(a.length); s.set(a); return s; };
  const { numUsers, numItems, dim, layers, textRank } = shape;
  return {
    user: shared(normal(numUsers * dim, o.initStd)),
    item: o.itemIdEmbedding ? shared(normal(numItems * dim, o.initStd)) : sharedFloat32(numItems * dim),
    // Text features have unit variance per component, so this gives h0_item about initStd per dimension.
    textW: shared(normal(textRank * dim, textRank > 0 ? o.initStd / Math.sqrt(textRank) : 0)),
    // Zero attention: training starts from the edge prior alone (a weighted LightGCN) and learns deviations.
    attSrc: Array.from({ length: layers }, () => sharedFloat32(dim)),
    attDst: Array.from({ length: layers }, () => sharedFloat32(dim)),
  };
}

/** Flat list in a fixed order, for the optimizer and for tf.grads. */
export function paramList(p: GatParams): Array<{ name: string; value: Float32Array; embedding: boolean }> {
  return [
    { name: 'user', value: p.user, embedding: true },
    { name: 'item', value: p.item, embedding: true },
    { name: 'text_w', value: p.textW, embedding: false },
    ...p.attSrc.map((value, l) => ({ name: `att_src_${l}`, value, embedding: false })),
    ...p.attDst.map((value, l) => ({ name: `att_dst_${l}`, value, embedding: false })),
  ];
}

/** h0 = [E_user; E_item + P_text @ W_text] as one op, so no N x dim concat/add runs through tfjs-cpu. */
export function nodeInputOp(shape: GatShape, textFeatures: Float32Array, ws: Workspace, user: tf.Tensor2D, item: tf.Tensor2D, textW: tf.Tensor2D): tf.Tensor2D {
  const { numUsers, numItems, dim, textRank } = shape;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [ut, it, wt] = args as tf.Tensor[];
    const out = ws.get('h0', (numUsers + numItems) * dim);
    out.set(ut.dataSync() as Float32Array, 0);
    const itemsOut = out.subarray(numUsers * dim);
    if (textRank > 0) {
      linearRows({ x: textFeatures, w: wt.dataSync() as Float32Array, base: it.dataSync() as Float32Array, rows: numItems, inDim: textRank, outDim: dim, out: itemsOut });
    } else {
      itemsOut.set(it.dataSync() as Float32Array);
    }
    const gradFunc = (dy: tf.Tensor) => {
      const g = toSharedFloat32(dy.dataSync() as Float32Array);
      // Views, not copies: tfjs-cpu keeps the array as is and the step ends before g is reused.
      const dItems = g.subarray(numUsers * dim);
      const dW = textRank > 0 ? linearGradW({ x: textFeatures, dy: dItems, rows: numItems, inDim: textRank, outDim: dim }) : new Float32Array(0);
      return [
        tf.tensor2d(g.subarray(0, numUsers * dim), [numUsers, dim]),
        tf.tensor2d(dItems, [numItems, dim]),
        tf.tensor2d(dW, [textRank, dim]),
      ];
    };
    return { value: tf.tensor2d(out, [numUsers + numItems, dim]), gradFunc };
  });
  return op(user, item, textW) as tf.Tensor2D;
}

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
export function propagateOp(args: { shape: GatShape; gg: GatGraph; slope: number; ws: Workspace; h0: tf.Tensor2D; attSrc: tf.Tensor2D[]; attDst: tf.Tensor2D[] }): ForwardResult {
  const { shape, gg, slope, ws } = args;
  const L = shape.layers;
  const n = shape.numUsers + shape.numItems;
  const size = n * shape.dim;
  const opts = { heads: shape.heads, ch: shape.ch, slope, bias: gg.bias };
  const layers: Float32Array[] = [];
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const ts = inputs as tf.Tensor[];
    const h0 = toSharedFloat32(ts[0].dataSync() as Float32Array);
    const attSrc = ts.slice(1, 1 + L).map((t) => toSharedFloat32(t.dataSync() as Float32Array));
    const attDst = ts.slice(1 + L, 1 + 2 * L).map((t) => toSharedFloat32(t.dataSync() as Float32Array));
    layers.push(h0);
    const saved: GatLayerSaved[] = [];
    for (let l = 0; l < L; l++) {
      const r = gatLayerForward(gg.graph, { h: layers[l], attSrc: attSrc[l], attDst: attDst[l] }, opts, { workspace: ws, prefix: `L${l}.` });
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
        const b = gatLayerBackward(gg.graph, saved[l], dOut, opts, { workspace: ws, prefix: `L${l}.` });
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

export function forward(args: { shape: GatShape; gg: GatGraph; textFeatures: Float32Array; slope: number; ws: Workspace; t: ParamTensors }): ForwardResult {
  const { shape, gg, t, ws } = args;
  const h0 = nodeInputOp(shape, args.textFeatures, ws, t.user, t.item, t.textW);
  return propagateOp({ shape, gg, slope: args.slope, ws, h0, attSrc: t.attSrc, attDst: t.attDst });
}

export interface ParamTensors {
  user: tf.Tensor2D;
  item: tf.Tensor2D;
  textW: tf.Tensor2D;
  attSrc: tf.Tensor2D[];
  attDst: tf.Tensor2D[];
}

/** Tensors over the parameter arrays (no copy on the cpu backend); in paramList order via `list`. */
export function paramTensors(p: GatParams, s: GatShape): { t: ParamTensors; list: tf.Tensor2D[] } {
  const t: ParamTensors = {
    user: tf.tensor2d(p.user, [s.numUsers, s.dim]),
    item: tf.tensor2d(p.item, [s.numItems, s.dim]),
    textW: tf.tensor2d(p.textW, [s.textRank, s.dim]),
    attSrc: p.attSrc.map((a) => tf.tensor2d(a, [s.heads, s.ch])),
    attDst: p.attDst.map((a) => tf.tensor2d(a, [s.heads, s.ch])),
  };
  return { t, list: [t.user, t.item, t.textW, ...t.attSrc, ...t.attDst] };
}

/** Rebuilds ParamTensors from a flat list in paramList order (what tf.grads hands back to f). */
export function unflatten(list: tf.Tensor[], layers: number): ParamTensors {
  const as2d = (x: tf.Tensor): tf.Tensor2D => x as tf.Tensor2D;
  return {
    user: as2d(list[0]),
    item: as2d(list[1]),
    textW: as2d(list[2]),
    attSrc: list.slice(3, 3 + layers).map(as2d),
    attDst: list.slice(3 + layers, 3 + 2 * layers).map(as2d),
  };
}

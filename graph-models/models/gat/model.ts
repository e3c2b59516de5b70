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
import { sharedFloat32 } from '../../data/shared-arrays';
import { ForwardResult, gatLayersOp } from '../../layers/gat-attention';
import { nodeInputOp } from '../../layers/node-input';
import { Workspace } from '../../kernels/sparse';
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

export function forward(args: { shape: GatShape; gg: GatGraph; textFeatures: Float32Array; slope: number; ws: Workspace; t: ParamTensors }): ForwardResult {
  const { shape, gg, t, ws } = args;
  const h0 = nodeInputOp(shape, args.textFeatures, ws, t.user, t.item, t.textW);
  return gatLayersOp({ graph: gg.graph, bias: gg.bias, shape, slope: args.slope, ws, h0, attSrc: t.attSrc, attDst: t.attDst });
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

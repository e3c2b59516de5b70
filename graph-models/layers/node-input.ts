/**
 * The GAT's input layer: h0 = [E_user; E_item + P_text @ W_text], learned id embeddings plus a
 * learned projection of the items' text features.
 */
import * as tf from '@tensorflow/tfjs';
import { toSharedFloat32 } from '../data/shared-arrays';
import { Workspace, linearGradW, linearRows } from '../kernels/sparse';

export interface NodeInputShape { numUsers: number; numItems: number; dim: number; textRank: number }

/** h0 = [E_user; E_item + P_text @ W_text] as one op, so no N x dim concat/add runs through tfjs-cpu. */
export function nodeInputOp(shape: NodeInputShape, textFeatures: Float32Array, ws: Workspace, user: tf.Tensor2D, item: tf.Tensor2D, textW: tf.Tensor2D): tf.Tensor2D {
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

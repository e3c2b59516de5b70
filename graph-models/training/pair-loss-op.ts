/**
 * The pair losses (BPR, sampled softmax) over final embeddings as one tfjs op: forward and
 * gradient run on the kernel pool (pairLossForward / pairLossBackward), deterministic for any
 * thread count, and the B x k score matrix never becomes a tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { sharedFloat32 } from '../data/shared-arrays';
import { customOp, tensorData as data } from '../kernels/custom-op';
import * as K from '../kernels/sparse';

export function pairLossOp(
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


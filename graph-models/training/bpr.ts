/**
 * The one BPR loss: mean over (user, positive, negative) triples of -log sigmoid(s_pos - s_neg)
 * = softplus(s_neg - s_pos), s = inner product of embedding rows. Two faces of the same kernel:
 * a tfjs op for models trained through autograd (the GAT), and a typed-array call for models
 * with a hand-written backward pass (LightGCN).
 */
import * as tf from '@tensorflow/tfjs';
import { PairBatch, Workspace, pairLossBackward, pairLossForward } from '../kernels/sparse';
import { pairLossOp } from './pair-loss-op';

/**
 * Mean BPR loss over (user, positive, k negatives) triples scored by inner products of `emb` rows:
 * mean over b, j of softplus(<e_u, e_neg(b,j)> - <e_u, e_pos(b)>). Fused because tfjs-cpu's
 * broadcasting binary ops allocate per element and cost seconds at 65k x 4 pairs. Forward and
 * gradient run on the kernel pool (pairLossForward / pairLossBackward), deterministic for any
 * thread count.
 */
export function bprLossOp(
  emb: tf.Tensor2D,
  batch: PairBatch,
  /** Where to write the (rows x dim) gradient; reused by training loops to avoid a big allocation per step. */
  gradBuffer?: () => Float32Array,
  ws?: Workspace,
): tf.Scalar {
  return pairLossOp(emb, batch, { loss: 'bpr', temperature: 1 }, gradBuffer, ws);
}


/**
 * The same loss on typed arrays: returns the mean loss and writes d loss / d emb (rows x dim) into
 * `grad` (which must live in shared memory to be written in place; see data/shared-arrays).
 */
export function bprLoss(args: { emb: Float32Array; dim: number; batch: PairBatch; grad: Float32Array; ws?: Workspace }): number {
  const { emb, dim, batch, grad, ws } = args;
  const r = pairLossForward(emb, dim, batch, { loss: 'bpr', temperature: 1 }, ws);
  const out = pairLossBackward(emb, dim, batch, r.coef, 1, grad, ws);
  if (out !== grad) grad.set(out);
  return r.loss;
}

/** Logistic sigmoid without overflow, for per-sample SGD BPR (MF-BPR). */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

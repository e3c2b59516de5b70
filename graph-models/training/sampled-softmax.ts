import * as tf from '@tensorflow/tfjs';
import { sharedFloat32 } from '../data/shared-arrays';
import { customOp, tensorData as data } from '../kernels/custom-op';
import { PairBatch, Workspace } from '../kernels/sparse';
import { pairLossOp } from './pair-loss-op';

/**
 * Sampled softmax over each positive and its k negatives:
 *   loss = mean_b [ -s_pos/t + log(exp(s_pos/t) + sum_j exp(s_neg_j/t)) ],  s = <e_user, e_item>,
 * or with `cosine`, s = cos(e_user, e_item). Gradient w.r.t. every score: (softmax_j - [j = pos]) / t.
 * Inner-product scores run on the kernel pool (see pair-loss-op.ts); cosine scores on this thread.
 */
export function sampledSoftmaxLossOp(
  emb: tf.Tensor2D,
  batch: PairBatch,
  opts: { temperature: number; cosine?: boolean },
  gradBuffer?: () => Float32Array,
  ws?: Workspace,
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


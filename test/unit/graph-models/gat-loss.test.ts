import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../../graph-models/data/random';
import { sampledSoftmaxLossOp } from '../../../graph-models/training/sampled-softmax';

/** The GAT's sampled-softmax loss against the same loss built from plain tfjs ops (value and gradient). */
describe('sampledSoftmaxLossOp', () => {
  const rng = new SeededRandom(5);
  const values = Float32Array.from({ length: 8 * 4 }, () => rng.normal());
  const batch = { users: Int32Array.from([0, 1, 0]), positives: Int32Array.from([4, 5, 6]), negatives: Int32Array.from([7, 5, 6, 4, 7, 7]), k: 2 };

  const reference = (t: tf.Tensor, temperature: number, cosine: boolean): tf.Scalar => {
    const rows = cosine ? tf.div(t, tf.norm(t, 2, 1, true)) : t;
    const g = (idx: number[]) => tf.gather(rows, tf.tensor1d(idx, 'int32'));
    const users = [0, 0, 0, 1, 1, 1, 0, 0, 0];
    const items = [4, 7, 5, 5, 6, 4, 6, 7, 7];
    const scores = tf.div(tf.sum(tf.mul(g(users), g(items)), 1).reshape([3, 3]), temperature);
    return tf.mean(tf.neg(tf.slice(tf.logSoftmax(scores), [0, 0], [3, 1])));
  };

  for (const [temperature, cosine] of [[1, false], [0.2, false], [0.1, true]] as Array<[number, boolean]>) {
    it(`matches -log softmax of the positive (temperature ${temperature}, cosine ${cosine})`, () => {
      const e = tf.tensor2d(values, [8, 4]);
      const ours = (t: tf.Tensor): tf.Scalar => sampledSoftmaxLossOp(t as tf.Tensor2D, batch, { temperature, cosine });
      expect(ours(e).dataSync()[0]).toBeCloseTo(reference(e, temperature, cosine).dataSync()[0], 5);
      const a = tf.grad(ours)(e).dataSync();
      const b = tf.grad((t: tf.Tensor) => reference(t, temperature, cosine))(e).dataSync();
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 4);
    });
  }
});

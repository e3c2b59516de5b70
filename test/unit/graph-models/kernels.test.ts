import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../../graph-models/data/random';
import { csrFromEdges } from '../../../graph-models/data/csr';
import { balancedRowRanges } from '../../../graph-models/kernels/partition';
import { bprLossOp } from '../../../graph-models/training/bpr';
import { sampledSoftmaxLossOp } from '../../../graph-models/training/sampled-softmax';
import { aggregateOp, edgeSoftmaxOp, gatherRowsOp, gatLayerOp, linearOp, pairDotOp, rowsSquaredNormOp } from './reference/ops';
import { setKernelThreads, shutdownKernelPool } from '../../../graph-models/kernels/pool';
import { MessageGraph, gatLayerBackward, gatLayerForward } from '../../../graph-models/kernels/sparse';
import { numericGrad } from './gradient-check';

/**
 * References are plain float64 loops; gradients are checked against central finite differences
 * of those references, so a kernel and its gradient cannot agree on the same mistake.
 */

interface Edges { dst: number[]; src: number[] }

function randomGraph(rng: SeededRandom, n: number, m: number, selfLoops = true): { g: MessageGraph; edges: Edges } {
  const dst: number[] = [];
  const src: number[] = [];
  for (let e = 0; e < m; e++) {
    // Skewed destinations so some rows are long and some empty.
    dst.push(Math.floor(n * Math.pow(rng.next(), 2)));
    src.push(rng.int(n));
  }
  if (selfLoops) for (let i = 0; i < n; i++) { dst.push(i); src.push(i); }
  const csr = csrFromEdges({ numRows: n, numCols: n, dst: Int32Array.from(dst), src: Int32Array.from(src) });
  // Edge lists in CSR order, so edge-indexed arrays line up with the kernel's.
  const edges: Edges = { dst: [], src: [] };
  for (let i = 0; i < n; i++) for (let p = csr.indptr[i]; p < csr.indptr[i + 1]; p++) { edges.dst.push(i); edges.src.push(csr.indices[p]); }
  return { g: new MessageGraph(csr), edges };
}

function randArray(rng: SeededRandom, n: number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (rng.next() * 2 - 1) * scale;
  return a;
}

function refGat(edges: Edges, n: number, h: ArrayLike<number>, as: ArrayLike<number>, ad: ArrayLike<number>, bias: ArrayLike<number> | undefined, heads: number, ch: number, slope: number): Float64Array {
  const dim = heads * ch;
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < heads; k++) {
      const ps: number[] = [];
      edges.dst.forEach((d, p) => { if (d === i) ps.push(p); });
      if (ps.length === 0) continue;
      const dot = (node: number, att: ArrayLike<number>) => { let s = 0; for (let c = 0; c < ch; c++) s += h[node * dim + k * ch + c] * att[k * ch + c]; return s; };
      const logits = ps.map((p) => { const z = dot(i, ad) + dot(edges.src[p], as); return (z > 0 ? z : slope * z) + (bias ? bias[p] : 0); });
      const max = Math.max(...logits);
      const ex = logits.map((l) => Math.exp(l - max));
      const sum = ex.reduce((a, b) => a + b, 0);
      ps.forEach((p, q) => { for (let c = 0; c < ch; c++) out[i * dim + k * ch + c] += (ex[q] / sum) * h[edges.src[p] * dim + k * ch + c]; });
    }
  }
  return out;
}

function weightedSum(a: ArrayLike<number>, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * w[i];
  return s;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    worst = Math.max(worst, err);
  }
  expect(worst).toBeLessThan(tol);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(async () => {
  await shutdownKernelPool();
});

describe('gatherRowsOp', () => {
  it('gathers rows and scatters gradients back like tf.gather', () => {
    const rng = new SeededRandom(1);
    const x = tf.tensor2d(randArray(rng, 6 * 3), [6, 3]);
    const idx = Int32Array.from([4, 0, 4, 5, 4]);
    const w = tf.tensor2d(randArray(rng, 5 * 3), [5, 3]);
    const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gatherRowsOp(t as tf.Tensor2D, idx), w)))(x);
    const theirs = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(idx, 'int32')), w)))(x);
    expectClose(gatherRowsOp(x, idx).dataSync(), tf.gather(x, tf.tensor1d(idx, 'int32')).dataSync(), 1e-7);
    expectClose(ours.dataSync(), theirs.dataSync(), 1e-6);
  });
});

describe('edgeSoftmaxOp', () => {
  it('normalises per destination with the true row max, even for huge logits', () => {
    const rng = new SeededRandom(2);
    const { g, edges } = randomGraph(rng, 7, 20);
    const heads = 2;
    const scores = randArray(rng, g.numEdges * heads, 3);
    for (let q = 0; q < scores.length; q++) scores[q] += 1000; // exp would overflow without the max shift
    const alpha = edgeSoftmaxOp(g, tf.tensor2d(scores, [g.numEdges, heads])).dataSync();
    for (let i = 0; i < 7; i++) {
      for (let k = 0; k < heads; k++) {
        const ps = edges.dst.map((d, p) => (d === i ? p : -1)).filter((p) => p >= 0);
        const max = Math.max(...ps.map((p) => scores[p * heads + k]));
        const sum = ps.reduce((s, p) => s + Math.exp(scores[p * heads + k] - max), 0);
        for (const p of ps) expect(alpha[p * heads + k]).toBeCloseTo(Math.exp(scores[p * heads + k] - max) / sum, 6);
      }
    }
  });

  it('has the gradient of the reference softmax', () => {
    const rng = new SeededRandom(3);
    const { g, edges } = randomGraph(rng, 6, 18);
    const heads = 2;
    const scores = randArray(rng, g.numEdges * heads, 2);
    const w = randArray(rng, g.numEdges * heads);
    const ref = (s: Float64Array): number => {
      let total = 0;
      for (let i = 0; i < 6; i++) for (let k = 0; k < heads; k++) {
        const ps = edges.dst.map((d, p) => (d === i ? p : -1)).filter((p) => p >= 0);
        const max = Math.max(...ps.map((p) => s[p * heads + k]));
        const sum = ps.reduce((a, p) => a + Math.exp(s[p * heads + k] - max), 0);
        for (const p of ps) total += (Math.exp(s[p * heads + k] - max) / sum) * w[p * heads + k];
      }
      return total;
    };
    const wt = tf.tensor2d(w, [g.numEdges, heads]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(edgeSoftmaxOp(g, t as tf.Tensor2D), wt)))(tf.tensor2d(scores, [g.numEdges, heads]));
    expectClose(grad.dataSync(), numericGrad(ref, scores), 1e-3);
  });
});

describe('aggregateOp', () => {
  it('sums weighted messages per destination and has exact gradients', () => {
    const rng = new SeededRandom(4);
    const n = 6, heads = 2, ch = 3, dim = heads * ch;
    const { g, edges } = randomGraph(rng, n, 15);
    const alpha = randArray(rng, g.numEdges * heads);
    const x = randArray(rng, n * dim);
    const w = randArray(rng, n * dim);
    const ref = (al: ArrayLike<number>, xv: ArrayLike<number>): Float64Array => {
      const out = new Float64Array(n * dim);
      edges.dst.forEach((i, p) => { for (let k = 0; k < heads; k++) for (let c = 0; c < ch; c++) out[i * dim + k * ch + c] += al[p * heads + k] * xv[edges.src[p] * dim + k * ch + c]; });
      return out;
    };
    const shape = { heads, ch };
    const at = tf.tensor2d(alpha, [g.numEdges, heads]);
    const xt = tf.tensor2d(x, [n, dim]);
    expectClose(aggregateOp(g, at, xt, shape).dataSync(), ref(alpha, x), 1e-6);
    const wt = tf.tensor2d(w, [n, dim]);
    const [dA, dX] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(aggregateOp(g, a as tf.Tensor2D, b as tf.Tensor2D, shape), wt)))([at, xt]);
    expectClose(dA.dataSync(), numericGrad((a) => weightedSum(ref(a, x), w), alpha), 1e-3);
    expectClose(dX.dataSync(), numericGrad((b) => weightedSum(ref(alpha, b), w), x), 1e-3);
  });
});

describe('gatLayerOp', () => {
  const n = 7, heads = 2, ch = 3, dim = heads * ch, slope = 0.2;

  /** Value and all three gradients of gatLayerOp against refGat and finite differences. */
  function checkAgainstReference(ch: number, seed: number, attentionScale: number, withBias: boolean): void {
    const dim = heads * ch;
    const rng = new SeededRandom(seed);
    const { g, edges } = randomGraph(rng, n, 20);
    const h = randArray(rng, n * dim);
    const as = randArray(rng, dim, attentionScale);
    const ad = randArray(rng, dim, attentionScale);
    const bias = withBias ? randArray(rng, g.numEdges, 0.7) : undefined;
    const w = randArray(rng, n * dim);
    const opts = { heads, ch, slope, bias };
    const ht = tf.tensor2d(h, [n, dim]), ast = tf.tensor2d(as, [heads, ch]), adt = tf.tensor2d(ad, [heads, ch]);
    expectClose(gatLayerOp(g, ht, ast, adt, opts).dataSync(), refGat(edges, n, h, as, ad, bias, heads, ch, slope), 1e-5);
    const wt = tf.tensor2d(w, [n, dim]);
    const [dH, dAs, dAd] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(gatLayerOp(g, a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D, opts), wt)))([ht, ast, adt]);
    expectClose(dH.dataSync(), numericGrad((x) => weightedSum(refGat(edges, n, x, as, ad, bias, heads, ch, slope), w), h), 1e-3);
    expectClose(dAs.dataSync(), numericGrad((x) => weightedSum(refGat(edges, n, h, x, ad, bias, heads, ch, slope), w), as), 1e-3);
    expectClose(dAd.dataSync(), numericGrad((x) => weightedSum(refGat(edges, n, h, as, x, bias, heads, ch, slope), w), ad), 1e-3);
  }

  it.each([false, true])('matches the float64 reference by value and gradient (edge bias: %s)', (withBias) => {
    checkAgainstReference(ch, withBias ? 6 : 5, 1, withBias);
  });

  it('matches the reference with 16 channels per head (the unrolled kernel path), value and gradient', () => {
    checkAgainstReference(16, 12, 0.3, true);
  });

  it('equals edgeSoftmaxOp + aggregateOp composed with tfjs dense ops', () => {
    const rng = new SeededRandom(7);
    const { g, edges } = randomGraph(rng, n, 20);
    const h = tf.tensor2d(randArray(rng, n * dim), [n, dim]);
    const as = tf.tensor2d(randArray(rng, dim), [heads, ch]);
    const ad = tf.tensor2d(randArray(rng, dim), [heads, ch]);
    const h3 = h.reshape([n, heads, ch]);
    const sSrc = tf.sum(tf.mul(h3, as), 2);
    const sDst = tf.sum(tf.mul(h3, ad), 2);
    const z = tf.add(tf.gather(sDst, tf.tensor1d(edges.dst, 'int32')), tf.gather(sSrc, tf.tensor1d(edges.src, 'int32')));
    const alpha = edgeSoftmaxOp(g, tf.leakyRelu(z, slope) as tf.Tensor2D);
    const composed = aggregateOp(g, alpha, h, { heads, ch });
    expectClose(gatLayerOp(g, h, as, ad, { heads, ch, slope }).dataSync(), composed.dataSync(), 1e-5);
  });
});

describe('linearOp and pairDotOp', () => {
  it('linearOp matches tf.matMul in value and gradient', () => {
    const rng = new SeededRandom(8);
    const x = randArray(rng, 5 * 4);
    const w = tf.tensor2d(randArray(rng, 4 * 3), [4, 3]);
    const base = tf.tensor2d(randArray(rng, 5 * 3), [5, 3]);
    const r = tf.tensor2d(randArray(rng, 15), [5, 3]);
    const xt = tf.tensor2d(x, [5, 4]);
    expectClose(linearOp(x, 5, 4, w, base).dataSync(), tf.add(base, tf.matMul(xt, w)).dataSync(), 1e-6);
    const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(linearOp(x, 5, 4, a as tf.Tensor2D, b as tf.Tensor2D), r)))([w, base]);
    const theirs = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.add(b, tf.matMul(xt, a)), r)))([w, base]);
    expectClose(ours[0].dataSync(), theirs[0].dataSync(), 1e-5);
    expectClose(ours[1].dataSync(), theirs[1].dataSync(), 1e-6);
  });

  it('pairDotOp matches gather + dot in value and gradient', () => {
    const rng = new SeededRandom(9);
    const e = tf.tensor2d(randArray(rng, 6 * 4), [6, 4]);
    const l = Int32Array.from([0, 1, 1, 5]);
    const r = Int32Array.from([3, 3, 1, 2]);
    const wt = tf.tensor1d(randArray(rng, 4));
    const ref = (t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(l, 'int32')), tf.gather(t, tf.tensor1d(r, 'int32'))), 1);
    expectClose(pairDotOp(e, l, r).dataSync(), ref(e).dataSync(), 1e-6);
    const ours = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pairDotOp(t as tf.Tensor2D, l, r), wt)))(e);
    const theirs = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(ref(t), wt)))(e);
    expectClose(ours.dataSync(), theirs.dataSync(), 1e-5);
  });
});

describe('bprLossOp and rowsSquaredNormOp', () => {
  it('bprLossOp equals mean softplus(neg - pos) built from tfjs ops, with the same gradient', () => {
    const rng = new SeededRandom(11);
    const e = tf.tensor2d(randArray(rng, 8 * 4), [8, 4]);
    const batch = { users: Int32Array.from([0, 1, 0]), positives: Int32Array.from([4, 5, 6]), negatives: Int32Array.from([7, 5, 6, 4, 7, 7]), k: 2 };
    const ref = (t: tf.Tensor): tf.Scalar => {
      const g = (idx: Int32Array) => tf.gather(t, tf.tensor1d(idx, 'int32'));
      const users2 = Int32Array.from([0, 0, 1, 1, 0, 0]);
      const pos = tf.sum(tf.mul(g(batch.users), g(batch.positives)), 1).reshape([3, 1]);
      const neg = tf.sum(tf.mul(g(users2), g(batch.negatives)), 1).reshape([3, 2]);
      return tf.mean(tf.softplus(tf.sub(neg, pos)));
    };
    expect(bprLossOp(e, batch).dataSync()[0]).toBeCloseTo(ref(e).dataSync()[0], 6);
    const ours = tf.grad((t: tf.Tensor) => bprLossOp(t as tf.Tensor2D, batch))(e);
    const theirs = tf.grad((t: tf.Tensor) => ref(t))(e);
    expectClose(ours.dataSync(), theirs.dataSync(), 1e-5);
  });

  it('rowsSquaredNormOp counts repeated rows and has gradient 2x per occurrence', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const rows = Int32Array.from([2, 0, 2]);
    expect(rowsSquaredNormOp(x, rows).dataSync()[0]).toBeCloseTo(25 + 36 + 1 + 4 + 25 + 36, 5);
    expect(Array.from(tf.grad((t: tf.Tensor) => rowsSquaredNormOp(t as tf.Tensor2D, rows))(x).dataSync())).toEqual([2, 4, 0, 0, 20, 24]);
  });
});

describe('threads', () => {
  it('balances destination ranges by edge count', () => {
    const ptr = Int32Array.from([0, 100, 101, 102, 103, 104, 200]);
    const b = balancedRowRanges(ptr, 2);
    // Rows 0-1 cost 101 edges + 2 rows = 103 of 206.
    expect(Array.from(b)).toEqual([0, 2, 6]);
  });

  it.each([8, 16])('gives bit-identical forward and backward results on 1 and 2 threads (%i channels per head)', async (ch) => {
    const rng = new SeededRandom(10);
    const n = 3000, heads = 4, dim = heads * ch;
    const { g } = randomGraph(rng, n, 40000);
    const h = randArray(rng, n * dim);
    const as = randArray(rng, dim);
    const ad = randArray(rng, dim);
    const bias = randArray(rng, g.numEdges, 0.5);
    const dOut = randArray(rng, n * dim);
    const opts = { heads, ch, slope: 0.2, bias };
    const run = () => {
      const f = gatLayerForward(g, { h, attSrc: as, attDst: ad }, opts);
      const b = gatLayerBackward(g, f.saved, dOut, opts);
      return [f.out, b.dh, b.dAttSrc, b.dAttDst].map((a) => Array.from(a));
    };
    await setKernelThreads(1);
    const single = run();
    await setKernelThreads(2);
    const multi = run();
    expect(multi).toEqual(single);
  });

  it.each(['softmax', 'bpr'] as const)('gives bit-identical %s loss values and gradients on 1 and 2 threads', async (loss) => {
    const rng = new SeededRandom(13);
    const rows = 500, dim = 16, n = 3000, k = 4;
    const emb = tf.tensor2d(randArray(rng, rows * dim), [rows, dim]);
    const batch = {
      users: Int32Array.from({ length: n }, () => rng.int(200)),
      positives: Int32Array.from({ length: n }, () => 200 + rng.int(300)),
      negatives: Int32Array.from({ length: n * k }, () => 200 + rng.int(300)),
      k,
    };
    const f = (t: tf.Tensor): tf.Scalar => (loss === 'softmax'
      ? sampledSoftmaxLossOp(t as tf.Tensor2D, batch, { temperature: 0.2 })
      : bprLossOp(t as tf.Tensor2D, batch));
    const run = () => {
      const { value, grad } = tf.valueAndGrad(f)(emb);
      return [Array.from(value.dataSync()), Array.from(grad.dataSync())];
    };
    await setKernelThreads(1);
    const single = run();
    await setKernelThreads(2);
    const multi = run();
    expect(multi).toEqual(single);
  });
});

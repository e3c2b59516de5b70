import { Matrix, inverse } from 'ml-matrix';
import { SeededRandom } from '../../../graph-models/data/random';
import { evaluate } from '../../../graph-models/eval/evaluate';
import { PreparedData, createFitContext, prepareData } from '../../../graph-models/eval/harness';
import { Recommender } from '../../../graph-models/eval/recommender';
import { choleskyInPlace, choleskySolveInPlace, spdInverse } from '../../../graph-models/kernels/cholesky';
import { EaseRecommender, ImplicitAlsRecommender, PopularityRecommender } from '../../../graph-models/models';
import { randomSnapshot, tinySnapshot } from './eval-fixtures';

/** Users who each prefer a band of items: structure a personalised model can learn and popularity cannot. */
const banded = (): PreparedData => prepareData(randomSnapshot(240, 60, 8, 11));

async function testNdcg(model: Recommender, data: PreparedData): Promise<number> {
  await model.fit(createFitContext(data, model, { seed: 5 }));
  return evaluate(model, data.split, { on: 'test', ks: [20] }).ndcg[20];
}

async function scoresOf(model: Recommender, data: PreparedData, users: number[]): Promise<Float32Array> {
  await model.fit(createFitContext(data, model, { seed: 5 }));
  const out = new Float32Array(users.length * data.split.numItems);
  model.scoreUsers(Int32Array.from(users), out);
  return out;
}

function randomSpd(n: number, seed: number): Float64Array {
  const r = new SeededRandom(seed).normalArray(n * n, 1);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += r[i * n + k] * r[j * n + k];
  for (let i = 0; i < n; i++) a[i * n + i] += 1;
  return a;
}

describe('cholesky kernels', () => {
  it('inverts a symmetric positive definite matrix as ml-matrix does', () => {
    const n = 9;
    const a = randomSpd(n, 3);
    const ours = spdInverse(a, n);
    const reference = inverse(new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n)))));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(ours[i * n + j]).toBeCloseTo(reference.get(i, j), 9);
  });

  it('solves A x = b', () => {
    const n = 6;
    const a = randomSpd(n, 4);
    const x = Float64Array.from([1, -2, 3, 0.5, 0, 4]);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) b[i] += a[i * n + k] * x[k];
    const l = a.slice();
    choleskyInPlace(l, n);
    choleskySolveInPlace(l, n, b);
    x.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 9));
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskyInPlace(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/not positive definite/);
  });
});

describe('EaseRecommender', () => {
  it('learns: beats popularity on test NDCG@20 when users prefer their own items', async () => {
    const data = banded();
    const popularity = await testNdcg(new PopularityRecommender(), data);
    const ease = await testNdcg(new EaseRecommender(), data);
    expect(ease).toBeGreaterThan(2 * popularity);
  });

  it('gives the same scores from the users x users (Woodbury) form as from the items x items form', async () => {
    const data = prepareData(randomSnapshot(30, 40, 6, 3));
    const users = [0, 1, 2, 7];
    const dual = await scoresOf(new EaseRecommender({ lambdas: [5], form: 'dual' }), data, users);
    const primal = await scoresOf(new EaseRecommender({ lambdas: [5], form: 'primal' }), data, users);
    dual.forEach((v, k) => expect(v).toBeCloseTo(primal[k], 4));
  });

  it('matches B = I - P diag(1/diag P) computed densely by ml-matrix', async () => {
    const events = [
      { user: 0, item: 0, time: 1 }, { user: 0, item: 1, time: 2 }, { user: 0, item: 2, time: 3 },
      { user: 1, item: 0, time: 1 }, { user: 1, item: 1, time: 2 },
      { user: 2, item: 1, time: 1 }, { user: 2, item: 2, time: 2 },
      { user: 3, item: 2, time: 1 }, { user: 3, item: 3, time: 2 },
    ];
    const data = prepareData(tinySnapshot(4, 4, events));
    const lambda = 2;
    const out = await scoresOf(new EaseRecommender({ lambdas: [lambda] }), data, [1]);
    // Dense reference on the same train matrix.
    const x = Matrix.zeros(4, 4);
    const { userItems } = data.train;
    for (let u = 0; u < 4; u++) for (let a = userItems.indptr[u]; a < userItems.indptr[u + 1]; a++) x.set(u, userItems.indices[a], 1);
    const p = inverse(x.transpose().mmul(x).add(Matrix.eye(4).mul(lambda)));
    const b = Matrix.eye(4).sub(p.mmul(Matrix.diag(p.diag().map((d) => 1 / d))));
    const expected = x.getRow(1).map((_, j) => x.getRow(1).reduce((s, xi, i) => s + xi * b.get(i, j), 0));
    expected.forEach((v, j) => expect(out[j]).toBeCloseTo(v, 5));
  });

  it('picks lambda on validation and reports it', async () => {
    const data = banded();
    const model = new EaseRecommender({ lambdas: [1, 1000] });
    const report = await model.fit(createFitContext(data, model, { seed: 1 }));
    expect([1, 1000]).toContain(report.params.lambda);
    expect(report.bestValidationNdcg20).toBeGreaterThan(0);
  });
});

describe('ImplicitAlsRecommender', () => {
  it('learns: beats popularity on test NDCG@20 when users prefer their own items', async () => {
    const data = banded();
    const popularity = await testNdcg(new PopularityRecommender(), data);
    const als = await testNdcg(new ImplicitAlsRecommender({ dim: 16, alphas: [4], l2: 1 }), data);
    expect(als).toBeGreaterThan(2 * popularity);
  });

  it('is deterministic under a seed', async () => {
    const data = prepareData(randomSnapshot(30, 20, 6, 3));
    const a = await scoresOf(new ImplicitAlsRecommender({ dim: 4, alphas: [2], maxEpochs: 2 }), data, [0, 1]);
    const b = await scoresOf(new ImplicitAlsRecommender({ dim: 4, alphas: [2], maxEpochs: 2 }), data, [0, 1]);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

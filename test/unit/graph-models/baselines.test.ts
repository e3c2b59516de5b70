import { buildBipartite } from '../../../graph-models/data/csr';
import { SeededRandom } from '../../../graph-models/data/random';
import { evaluate } from '../../../graph-models/eval/evaluate';
import { PreparedData, prepareData, createFitContext } from '../../../graph-models/eval/harness';
import { Recommender } from '../../../graph-models/eval/recommender';
import {
  ItemKnnRecommender,
  LightGcnRecommender,
  MfBprRecommender,
  PopularityRecommender,
  TextOnlyRecommender,
} from '../../../graph-models/models';
import { layerMean, normaliseGraph, propagate } from '../../../graph-models/layers/lightgcn-propagation';
import { lightGcnLossAndGrad } from '../../../graph-models/models/lightgcn';
import { factorScores } from '../../../graph-models/layers/dot-scores';
import { EarlyStopping, plateauDecay } from '../../../graph-models/training/early-stopping';
import { randomSnapshot, tinySnapshot } from './eval-fixtures';
import { numericGrad } from './gradient-check';

async function fitAndScore(model: Recommender, seed = 1): Promise<Float32Array> {
  const data = prepareData(randomSnapshot(30, 20, 6, 3));
  await model.fit(createFitContext(data, model, { seed }));
  const users = Int32Array.from([0, 1, 2]);
  const out = new Float32Array(users.length * data.split.numItems);
  model.scoreUsers(users, out);
  return out;
}

/** Users who each prefer a band of items: structure a personalised model can learn and popularity cannot. */
const banded = (): PreparedData => prepareData(randomSnapshot(240, 60, 8, 11));

/** Test NDCG@20 of a model fitted on the train split (validation drives its early stopping). */
async function testNdcg(model: Recommender, data: PreparedData): Promise<number> {
  await model.fit(createFitContext(data, model, { seed: 5 }));
  return evaluate(model, data.split, { on: 'test', ks: [20] }).ndcg[20];
}

describe('PopularityRecommender', () => {
  it('scores items by distinct train users', async () => {
    const s = tinySnapshot(3, 3, [
      { user: 0, item: 1, time: 1 },
      { user: 0, item: 1, time: 2 },
      { user: 1, item: 1, time: 1 },
      { user: 2, item: 2, time: 1 },
    ]);
    const model = new PopularityRecommender();
    const data = prepareData(s);
    await model.fit(createFitContext(data, model, { seed: 1 }));
    const out = new Float32Array(3);
    model.scoreUsers(Int32Array.from([0]), out);
    expect(Array.from(out)).toEqual([0, 2, 1]);
  });
});

describe('ItemKnnRecommender', () => {
  it('scores items co-consumed with the user\'s items above unrelated ones', async () => {
    const events = [
      { user: 0, item: 0, time: 1 },
      { user: 0, item: 1, time: 2 },
      { user: 1, item: 0, time: 1 },
      { user: 1, item: 1, time: 2 },
      { user: 2, item: 2, time: 1 },
      { user: 2, item: 3, time: 2 },
      { user: 3, item: 0, time: 1 },
    ];
    const model = new ItemKnnRecommender({ shrink: 0 });
    const data = prepareData(tinySnapshot(4, 4, events));
    await model.fit(createFitContext(data, model, { seed: 1 }));
    const out = new Float32Array(4);
    model.scoreUsers(Int32Array.from([3]), out);
    // cos(0,1) = 2 / (sqrt(3) * sqrt(2)); items 2, 3 never co-occur with 0
    expect(out[1]).toBeCloseTo(2 / Math.sqrt(6), 5);
    expect(out[2]).toBe(0);
    expect(out[3]).toBe(0);
  });
});

describe('MfBprRecommender', () => {
  it('learns: beats popularity on test NDCG@20 when users prefer their own items', async () => {
    const data = banded();
    const popularity = await testNdcg(new PopularityRecommender(), data);
    const mf = await testNdcg(new MfBprRecommender({ dim: 16, maxEpochs: 40 }), data);
    expect(mf).toBeGreaterThan(2 * popularity);
  });

  it('gives identical scores for the same seed and different ones for another seed', async () => {
    const opts = { dim: 8, maxEpochs: 3, patience: 10 };
    const a = await fitAndScore(new MfBprRecommender(opts), 7);
    const b = await fitAndScore(new MfBprRecommender(opts), 7);
    const c = await fitAndScore(new MfBprRecommender(opts), 8);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});

describe('LightGcnRecommender', () => {
  it('learns: beats popularity on test NDCG@20 when users prefer their own items', async () => {
    const data = banded();
    const popularity = await testNdcg(new PopularityRecommender(), data);
    const lightgcn = await testNdcg(new LightGcnRecommender({ dim: 16, maxEpochs: 40, evalEvery: 5 }), data);
    expect(lightgcn).toBeGreaterThan(2 * popularity);
  });

  it('is deterministic under a seed', async () => {
    const opts = { dim: 8, maxEpochs: 2, evalEvery: 1, batchSize: 16 };
    const a = await fitAndScore(new LightGcnRecommender(opts), 3);
    const b = await fitAndScore(new LightGcnRecommender(opts), 3);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('takes every train pair in one step with batchSize 0 (the default full batch)', async () => {
    const opts = { dim: 8, maxEpochs: 2, evalEvery: 1 };
    const full = await fitAndScore(new LightGcnRecommender({ ...opts, batchSize: 0 }), 3);
    const oneBatch = await fitAndScore(new LightGcnRecommender({ ...opts, batchSize: 1_000_000 }), 3);
    const small = await fitAndScore(new LightGcnRecommender({ ...opts, batchSize: 16 }), 3);
    expect(Array.from(full)).toEqual(Array.from(oneBatch));
    expect(Array.from(full)).not.toEqual(Array.from(small));
  });

  const smallGraph = () =>
    normaliseGraph(
      buildBipartite({
        numUsers: 3,
        numItems: 4,
        eventUser: Int32Array.from([0, 0, 1, 1, 2, 2, 2]),
        eventItem: Int32Array.from([0, 1, 1, 2, 0, 2, 3]),
        events: Int32Array.from([0, 1, 2, 3, 4, 5, 6]),
      }),
    );

  it('propagates with the dense D^-1/2 A D^-1/2 and averages layers 0..L', () => {
    const graph = smallGraph();
    const edges: Array<[number, number]> = [[0, 0], [0, 1], [1, 1], [1, 2], [2, 0], [2, 2], [2, 3]];
    const n = 7;
    const adj = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (const [u, i] of edges) adj[u][3 + i] = adj[3 + i][u] = 1;
    const deg = adj.map((row) => row.reduce((a, b) => a + b, 0));
    // dim 11 exercises both the 8-wide blocks and the remainder columns.
    const dim = 11;
    const x = new SeededRandom(2).normalArray(n * dim, 1);
    const step = (v: number[]): number[] => {
      const out = new Array<number>(n * dim).fill(0);
      for (let r = 0; r < n; r++)
        for (let c = 0; c < n; c++)
          if (adj[r][c]) for (let d = 0; d < dim; d++) out[r * dim + d] += v[c * dim + d] / Math.sqrt(deg[r] * deg[c]);
      return out;
    };
    const once = new Float32Array(n * dim);
    propagate(graph, x, once, dim);
    const ref1 = step(Array.from(x));
    ref1.forEach((v, k) => expect(once[k]).toBeCloseTo(v, 5));
    const ref2 = step(ref1);
    const ref3 = step(ref2);
    const mean = layerMean(graph, x, 3, dim);
    mean.forEach((v, k) => expect(v).toBeCloseTo((x[k] + ref1[k] + ref2[k] + ref3[k]) / 4, 5));
  });

  it('has a backward pass that matches finite differences of the BPR loss with several negatives', () => {
    const graph = smallGraph();
    // dim 6: the unrolled-by-4 loops and their remainder.
    const dim = 6;
    const ego = new SeededRandom(6).normalArray((3 + 4) * dim, 0.5);
    // Two negatives per pair; item 3 appears as a negative twice. Items are node rows 3 + item.
    const batch = { users: Int32Array.from([0, 2]), positives: Int32Array.from([4, 6]), negatives: Int32Array.from([6, 5, 4, 6]), k: 2 };
    const lossAt = (x: Float32Array): number => lightGcnLossAndGrad({ graph, ego: x, batch, layers: 3, dim, l2: 0.1 }).loss;
    const { grad } = lightGcnLossAndGrad({ graph, ego, batch, layers: 3, dim, l2: 0.1 });
    // eps 1e-2: the loss is float32, so smaller steps drown in rounding.
    const numeric = numericGrad((x) => lossAt(Float32Array.from(x)), ego, 1e-2);
    for (let k = 0; k < ego.length; k++) expect(grad[k]).toBeCloseTo(numeric[k], 3);
  });

  it('has a backward pass that matches finite differences of the BPR loss', () => {
    const graph = normaliseGraph(
      buildBipartite({
        numUsers: 3,
        numItems: 4,
        eventUser: Int32Array.from([0, 0, 1, 1, 2, 2, 2]),
        eventItem: Int32Array.from([0, 1, 1, 2, 0, 2, 3]),
        events: Int32Array.from([0, 1, 2, 3, 4, 5, 6]),
      }),
    );
    const dim = 3;
    const ego = new SeededRandom(5).normalArray((3 + 4) * dim, 0.5);
    const batch = { users: Int32Array.from([0, 1, 2]), positives: Int32Array.from([4, 5, 6]), negatives: Int32Array.from([6, 3, 4]), k: 1 };
    const lossAt = (x: Float32Array): number => lightGcnLossAndGrad({ graph, ego: x, batch, layers: 3, dim, l2: 0.1 }).loss;
    const { grad } = lightGcnLossAndGrad({ graph, ego, batch, layers: 3, dim, l2: 0.1 });
    // eps 1e-2: the loss is float32, so smaller steps drown in rounding.
    const numeric = numericGrad((x) => lossAt(Float32Array.from(x)), ego, 1e-2);
    for (let k = 0; k < ego.length; k++) expect(grad[k]).toBeCloseTo(numeric[k], 3);
  });
});

describe('plateauDecay', () => {
  it('lowers the learning rate after every decayPatience checks without a new best, never on improvement', () => {
    const stopper = new EarlyStopping({ patience: 10 });
    const factors = [0.1, 0.09, 0.08, 0.2, 0.1, 0.1, 0.1, 0.1].map((score, epoch) => {
      const verdict = stopper.observe(epoch, score);
      return plateauDecay(verdict, stopper.sinceBest, 2, 0.5);
    });
    expect(factors).toEqual([1, 1, 0.5, 1, 1, 0.5, 1, 0.5]);
    expect(plateauDecay('continue', 2, 0, 0.5)).toBe(1);
  });
});

describe('factorScores', () => {
  it('equals one plain dot product per (user, item) bit for bit, with offsets, bias and odd sizes', () => {
    const rng = new SeededRandom(9);
    const dim = 5;
    const numItems = 7;
    const userOffset = 2;
    const itemOffset = 3;
    const userFactors = rng.normalArray((userOffset + 4) * dim, 1);
    const itemFactors = rng.normalArray((itemOffset + numItems) * dim, 1);
    const itemBias = rng.normalArray(numItems, 1);
    const users = Int32Array.from([3, 0, 2]);
    for (const bias of [undefined, itemBias]) {
      const out = new Float32Array(users.length * numItems);
      factorScores({ users, out, userFactors, itemFactors, userRowOffset: userOffset, itemRowOffset: itemOffset, dim, numItems, itemBias: bias });
      users.forEach((u, b) => {
        for (let i = 0; i < numItems; i++) {
          let s = bias ? bias[i] : 0;
          for (let d = 0; d < dim; d++) s += userFactors[(userOffset + u) * dim + d] * itemFactors[(itemOffset + i) * dim + d];
          expect(out[b * numItems + i]).toBe(Math.fround(s));
        }
      });
    }
  });
});

describe('TextOnlyRecommender', () => {
  it('fails with a clear message when the snapshot has no text embeddings', async () => {
    const model = new TextOnlyRecommender();
    const data = prepareData(randomSnapshot(5, 5, 3, 1));
    await expect(model.fit(createFitContext(data, model, { seed: 1 }))).rejects.toThrow(/itemTextEmbedding/);
  });

  it('ranks items by cosine to the user\'s mean train-item embedding', async () => {
    const s = tinySnapshot(1, 3, [
      { user: 0, item: 0, time: 1 },
      { user: 0, item: 2, time: 2 },
    ]);
    s.itemTextEmbedding = Float32Array.from([1, 0, 0.6, 0.8, 0, 1]);
    s.textDim = 2;
    const model = new TextOnlyRecommender();
    await model.fit(createFitContext(prepareData(s), model, { seed: 1 }));
    const out = new Float32Array(3);
    model.scoreUsers(Int32Array.from([0]), out);
    expect(out[1]).toBeCloseTo((0.6 + 0.8) / Math.SQRT2, 5);
    expect(out[0]).toBeCloseTo(1 / Math.SQRT2, 5);
  });
});

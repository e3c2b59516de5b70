import { SeededRandom } from '../data/random';
import { sharedFloat32 } from '../data/shared-arrays';
import { FitContext, FitReport, Recommender } from '../eval/recommender';
import { PairBatch, Workspace } from '../kernels/sparse';
import { factorScores } from '../layers/dot-scores';
import { NormalisedGraph, PropagationBuffers, layerMean, layerMeanInto, normaliseGraph } from '../layers/lightgcn-propagation';
import { AdamState, adamDefaults, adamStep } from '../training/adam';
import { bprLoss } from '../training/bpr';
import { ValidationSchedule, ValidationScheduleOptions } from '../training/early-stopping';
import { pairUsers, sampleBatch } from '../training/negative-sampling';

export interface LightGcnOptions extends ValidationScheduleOptions {
  dim?: number;
  layers?: number;
  learningRate?: number;
  l2?: number;
  /** (user, positive) pairs per Adam step; 0 = every train pair in one step (full batch). */
  batchSize?: number;
  /** Uniform negatives per pair; each (user, positive, negative) triple is one BPR term. */
  negatives?: number;
  initStd?: number;
}

/**
 * LightGCN (He et al., 2020): ego embeddings propagated over Â without weights or non-linearity,
 * layer-averaged, scored by inner product, trained with BPR and Adam. The propagation is its own
 * adjoint, so the backward pass is the same layer mean applied to the loss gradient
 * (layers/lightgcn-propagation.ts); tfjs would be slower for this sparse product.
 */
export class LightGcnRecommender implements Recommender {
  readonly name = 'lightgcn';
  private readonly o: Required<LightGcnOptions>;
  private final: Float32Array = new Float32Array(0);
  private numUsers = 0;
  private numItems = 0;

  constructor(opts: LightGcnOptions = {}) {
    this.o = {
      dim: 64,
      layers: 3,
      // Every step costs 2·layers full-graph propagations whatever its size, so one full-batch
      // step per epoch with a large Adam rate halved on plateaus is cheapest on CPU; the full
      // batch wants a stronger L2 than the paper's 1e-4 (measurements: models/README.md).
      learningRate: 0.2,
      l2: 5e-4,
      batchSize: 0,
      negatives: 2,
      maxEpochs: 250,
      patience: 6,
      decayPatience: 2,
      lrDecay: 0.5,
      evalEvery: 5,
      maxSeconds: 600,
      initStd: 0.1,
      ...opts,
    };
  }

  async fit(ctx: FitContext): Promise<FitReport> {
    const { dim, layers, negatives } = this.o;
    const { numUsers, numItems, userItems } = ctx.train;
    this.numUsers = numUsers;
    this.numItems = numItems;
    const graph: NormalisedGraph = normaliseGraph(ctx.train);
    const rng = new SeededRandom(ctx.seed);
    const ego = sharedFloat32((numUsers + numItems) * dim);
    ego.set(rng.normalArray(ego.length, this.o.initStd));
    const adam: AdamState = { param: ego, m: sharedFloat32(ego.length), v: sharedFloat32(ego.length) };
    let lr = this.o.learningRate;
    let step = 0;
    const workspace = new LightGcnWorkspace(ego.length);
    const owner = pairUsers(userItems);
    const nPairs = owner.length;
    const batchSize = this.o.batchSize > 0 ? this.o.batchSize : Math.max(1, nPairs);
    const order = new Int32Array(nPairs);
    for (let p = 0; p < nPairs; p++) order[p] = p;
    const schedule = new ValidationSchedule(this.o, ctx.stopRequested);
    let bestEgo = ego.slice();
    let epoch = 0;
    while (epoch < this.o.maxEpochs && nPairs > 0) {
      epoch++;
      rng.shuffle(order);
      let loss = 0;
      let batches = 0;
      for (let start = 0; start < nPairs; start += batchSize) {
        const batch = sampleBatch({ pairs: order.subarray(start, Math.min(nPairs, start + batchSize)), owner, train: ctx.train, rng, k: negatives, pool: 0 });
        const r = lightGcnLossAndGrad({ graph, ego, batch, layers, dim, l2: this.o.l2, workspace });
        adamStep(adam, r.grad, adamDefaults(lr), ++step);
        loss += r.loss;
        batches++;
      }
      const check = schedule.afterEpoch(epoch, () => {
        this.final = layerMean(graph, ego, layers, dim);
        const ndcg = ctx.validate().ndcg[20] ?? 0;
        ctx.log(`epoch ${epoch} loss ${(loss / batches).toFixed(4)} val NDCG@20 ${ndcg.toFixed(4)}`);
        return ndcg;
      });
      if (check.improved) bestEgo = ego.slice();
      if (check.done) break;
      lr *= check.lrFactor;
    }
    this.final = layerMean(graph, bestEgo, layers, dim);
    return {
      epochs: epoch,
      bestEpoch: schedule.stopper.bestEpoch,
      bestValidationNdcg20: schedule.stopper.bestScore,
      params: { ...this.o },
    };
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    factorScores({
      users,
      out,
      userFactors: this.final,
      itemFactors: this.final,
      itemRowOffset: this.numUsers,
      dim: this.o.dim,
      numItems: this.numItems,
    });
  }
}

export interface LossAndGrad {
  loss: number;
  /** d loss / d ego embeddings, (U+I) x dim. */
  grad: Float32Array;
}

/**
 * Tables a training loop reuses across steps: final embeddings, their gradient, the ego gradient
 * (shared memory, so the loss kernel writes them in place), plus the pair-loss workspace.
 */
export class LightGcnWorkspace {
  readonly final: Float32Array;
  readonly gFinal: Float32Array;
  readonly grad: Float32Array;
  readonly buffers: PropagationBuffers;
  readonly kernels = new Workspace();

  constructor(readonly length: number) {
    this.final = sharedFloat32(length);
    this.gFinal = sharedFloat32(length);
    this.grad = sharedFloat32(length);
    this.buffers = new PropagationBuffers(length);
  }
}

/**
 * Mean BPR loss over the batch's B·k triples on the propagated embeddings (users and items as
 * node rows, items offset by U), plus l2/2 · (‖e⁰_u‖² + ‖e⁰_i‖² + ‖e⁰_j‖²) averaged over the
 * triples on the ego embeddings (LightGCN's regulariser; with one negative exactly the paper's),
 * and its exact gradient. The returned grad is the workspace's table when one is given
 * (overwritten by the next call).
 */
export function lightGcnLossAndGrad(input: {
  graph: NormalisedGraph;
  ego: Float32Array;
  batch: PairBatch;
  layers: number;
  dim: number;
  l2: number;
  workspace?: LightGcnWorkspace;
}): LossAndGrad {
  const { graph, ego, batch, layers, dim, l2 } = input;
  const ws = input.workspace ?? new LightGcnWorkspace(ego.length);
  const { final, gFinal, grad, buffers } = ws;
  layerMeanInto({ graph, x: ego, out: final, layers, dim, buffers });
  const loss = batch.users.length === 0 ? 0 : bprLoss({ emb: final, dim, batch, grad: gFinal, ws: ws.kernels });
  // Â is symmetric, so the backward pass of the layer mean is the layer mean of the gradient.
  layerMeanInto({ graph, x: gFinal, out: grad, layers, dim, buffers });
  return { loss: loss + egoL2({ ego, grad, batch, dim, l2 }), grad };
}

/**
 * l2/2 · ‖e⁰‖² per triple member on the ego rows, added into grad; returns the penalty. The user
 * and positive of a pair take part in k triples, each negative in one. Rows are weighted by how
 * often they occur in the batch and then walked once in node order, instead of once per triple.
 */
function egoL2(input: { ego: Float32Array; grad: Float32Array; batch: PairBatch; dim: number; l2: number }): number {
  const { ego, grad, dim, l2 } = input;
  const { users, positives, negatives, k } = input.batch;
  const pairs = users.length;
  if (pairs === 0) return 0;
  const wNeg = l2 / (pairs * k);
  const wPair = wNeg * k;
  const weight = new Float64Array(ego.length / dim);
  for (let b = 0; b < pairs; b++) {
    weight[users[b]] += wPair;
    weight[positives[b]] += wPair;
  }
  for (let t = 0; t < negatives.length; t++) weight[negatives[t]] += wNeg;
  let sq = 0;
  for (let r = 0; r < weight.length; r++) {
    const w = weight[r];
    if (w === 0) continue;
    const base = r * dim;
    let rowSq = 0;
    for (let d = 0; d < dim; d++) {
      const e = ego[base + d];
      rowSq += e * e;
      grad[base + d] += w * e;
    }
    sq += w * rowSq;
  }
  return 0.5 * sq;
}

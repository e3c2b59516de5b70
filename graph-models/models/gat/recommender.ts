/**
 * GatRecommender: trains the GAT (model.ts) with BPR over the harness's training graph, early-stops
 * on validation NDCG@20, scores users, saves/loads an artifact, and embeds new items and users.
 *
 * Training step: full-graph propagation (both GAT layers over every node) -> BPR on a batch of
 * (user, positive, negatives) -> tfjs autograd through the kernel ops -> Adam (training/adam.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../data/random';
import { sharedFloat32, toSharedFloat32 } from '../../data/shared-arrays';
import { FitContext, FitReport, Recommender } from '../../eval/recommender';
import { Workspace, axpby } from '../../kernels/sparse';
import { factorScores } from '../../layers/dot-scores';
import { adamDefaults, adamStep } from '../../training/adam';
import { bprLossOp } from '../../training/bpr';
import { EarlyStopping, plateauDecay } from '../../training/early-stopping';
import { TrainBatch, pairUsers, sampleBatch } from '../../training/negative-sampling';
import { sampledSoftmaxLossOp } from '../../training/sampled-softmax';
import { readArtifact, readArtifactMetadata, writeArtifact } from './artifact';
import { GatGraph, buildGatGraph, pairWeights, stepBias } from './graph';
import { InductiveModel, embedItemFromText, foldInUser } from './inductive';
import { GatParams, GatShape, forward, initParams, paramList, paramTensors, shapeOf, unflatten } from './model';
import { GatOptions, resolveGatOptions } from './options';
import { TextBasis, fitTextBasis, projectText } from './text-basis';

/** What is kept after training (and what the artifact stores). */
interface Trained {
  shape: GatShape;
  userIds: string[];
  itemIds: string[];
  params: GatParams;
  /** (numUsers + numItems) x dim final embeddings. */
  final: Float32Array;
  inductive: InductiveModel;
}

/** Metadata stored in the artifact's metadata.json `model` field. */
interface GatArtifactModel {
  kind: 'gat';
  options: GatOptions;
  shape: GatShape;
  textDim: number;
  pairWeightMean: number;
  userIds: string[];
  itemIds: string[];
  fit?: FitReport;
}

export interface EpochStats {
  epoch: number;
  /** Wall-clock seconds of the epoch's training steps (validation excluded). */
  seconds: number;
  /** CPU seconds of all threads in those steps: on a shared machine, cpuSeconds / cores is the uncontended time. */
  cpuSeconds: number;
  loss: number;
  /** Optimizer steps in the epoch and pairs per step: one epoch is one pass over every training pair. */
  steps: number;
  batchSize: number;
  pairs: number;
  validationNdcg20?: number;
}

export class GatRecommender implements Recommender {
  readonly name: string;
  readonly options: GatOptions;
  private trained: Trained | undefined;
  private lastFit: FitReport | undefined;
  /** Reused step buffers (see Workspace); dropped after fit. */
  private workspace = new Workspace();
  private countBuffers = new Map<number, Int32Array>();
  /** Per-epoch timings and losses of the last fit, for benchmarks and training curves. */
  readonly history: EpochStats[] = [];

  constructor(options: Partial<GatOptions> = {}, name = 'gat+text') {
    this.options = resolveGatOptions(options);
    this.name = name;
  }

  async fit(ctx: FitContext): Promise<FitReport> {
    const o = this.options;
    const { numUsers, numItems } = ctx.train;
    const rng = new SeededRandom(ctx.seed);
    const snap = ctx.snapshot;
    const textDim = snap.itemTextEmbedding && snap.textDim ? snap.textDim : 0;
    const textBasis = textDim > 0 && o.textRank > 0
      ? fitTextBasis({ text: snap.itemTextEmbedding as Float32Array, rows: numItems, textDim, rank: o.textRank })
      : undefined;
    const textFeatures = textBasis ? projectText(textBasis, snap.itemTextEmbedding as Float32Array, numItems) : sharedFloat32(0);
    const shape = shapeOf(o, numUsers, numItems, textBasis?.rank ?? 0);

    const weights = pairWeights({ train: ctx.train, snapshot: snap, events: ctx.split.train, options: o });
    const pairWeightMean = meanRawPairWeight(ctx.train.userItems.weights, o.weightPower);
    const gg = buildGatGraph({ train: ctx.train, weights, options: o });
    const params = initParams(shape, o, (n, std) => rng.normalArray(n, std));
    const plist = paramList(params);
    const moments = plist.map((p) => ({ m: sharedFloat32(p.value.length), v: sharedFloat32(p.value.length) }));

    const owner = pairUsers(ctx.train.userItems);
    const nPairs = owner.length;
    const order = new Int32Array(nPairs);
    for (let p = 0; p < nPairs; p++) order[p] = p;
    const stopper = new EarlyStopping({ patience: o.patience });
    let best = clone(params);
    // Exponential moving average of the parameters (Polyak averaging), updated after every step;
    // validation, early stopping and the published model use it when emaDecay > 0.
    const ema = o.emaDecay > 0 ? clone(params) : undefined;
    const evaluated = (): GatParams => ema ?? params;
    const started = performance.now();
    let epoch = 0;
    let step = 0;
    let lr = o.learningRate;
    this.history.length = 0;
    ctx.log(`nodes ${numUsers + numItems}, messages ${gg.graph.numEdges}, text rank ${shape.textRank}`);

    const batchSize = Math.max(o.batchSize, Math.ceil(nPairs / o.maxStepsPerEpoch));
    // Worst case: every remaining epoch runs (early stopping usually ends sooner), capped by maxSeconds.
    const eta = (done: number): string => {
      const elapsed = (performance.now() - started) / 1000;
      const remaining = Math.min((elapsed / done) * (o.maxEpochs - done), Math.max(0, o.maxSeconds - elapsed));
      return `(eta ≤ ${Math.round(remaining)}s, ${Math.ceil(nPairs / batchSize)} steps/epoch)`;
    };
    while (epoch < o.maxEpochs && nPairs > 0) {
      epoch++;
      const epochStart = performance.now();
      const cpuStart = process.cpuUsage();
      rng.shuffle(order);
      let lossSum = 0;
      let batches = 0;
      for (let start = 0; start < nPairs; start += batchSize) {
        const batch = sampleBatch({ pairs: order.subarray(start, Math.min(nPairs, start + batchSize)), owner, train: ctx.train, rng, k: o.negatives, pool: o.negativePool });
        step++;
        const stepGraph = o.dropTargetEdges || o.edgeDropout > 0
          ? { ...gg, bias: stepBias({ gg, out: this.workspace.get('stepBias', gg.bias.length), targets: batch.pairs, dropTargets: o.dropTargetEdges, dropout: o.edgeDropout, random: () => rng.next() }) }
          : gg;
        lossSum += this.trainStep({ shape, gg: stepGraph, textFeatures, params, batch, moments, step, lr });
        if (ema) emaUpdate(ema, params, o.emaDecay);
        batches++;
      }
      const seconds = (performance.now() - epochStart) / 1000;
      const cpu = process.cpuUsage(cpuStart);
      const stats: EpochStats = { epoch, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, loss: lossSum / Math.max(1, batches), steps: batches, batchSize, pairs: nPairs };
      const overBudget = (performance.now() - started) / 1000 > o.maxSeconds;
      if (o.validate && (epoch % o.evalEvery === 0 || overBudget || epoch === o.maxEpochs)) {
        this.trained = this.snapshotModel({ shape, gg, textFeatures, params: evaluated(), textBasis, snap, pairWeightMean });
        stats.validationNdcg20 = ctx.validate().ndcg[20] ?? 0;
        const verdict = stopper.observe(epoch, stats.validationNdcg20);
        if (verdict === 'improved') best = clone(evaluated());
        ctx.log(`epoch ${epoch}/${o.maxEpochs} ${seconds.toFixed(2)}s loss ${stats.loss.toFixed(4)} val NDCG@20 ${stats.validationNdcg20.toFixed(4)} ${eta(epoch)}`);
        this.history.push(stats);
        if (verdict === 'stop') break;
        const factor = plateauDecay(verdict, stopper.sinceBest, o.decayPatience, o.lrDecay);
        if (factor !== 1) {
          lr *= factor;
          ctx.log(`learning rate ${lr.toPrecision(3)} after ${stopper.sinceBest} checks without improvement`);
        }
      } else {
        ctx.log(`epoch ${epoch}/${o.maxEpochs} ${seconds.toFixed(2)}s loss ${stats.loss.toFixed(4)} ${eta(epoch)}`);
        this.history.push(stats);
      }
      if (overBudget) break;
      // Let signal handlers run (training steps are synchronous), then honour a stop request.
      await new Promise((resolve) => setImmediate(resolve));
      if (ctx.stopRequested()) {
        ctx.log(`stop requested: keeping the best parameters (epoch ${stopper.bestEpoch ?? epoch})`);
        break;
      }
    }
    this.trained = this.snapshotModel({ shape, gg, textFeatures, params: o.validate ? best : evaluated(), textBasis, snap, pairWeightMean });
    this.workspace = new Workspace();
    this.countBuffers.clear();
    this.lastFit = {
      epochs: epoch,
      bestEpoch: stopper.bestEpoch,
      bestValidationNdcg20: stopper.bestScore,
      params: { ...o },
    };
    return this.lastFit;
  }

  private trainStep(args: {
    shape: GatShape; gg: GatGraph; textFeatures: Float32Array; params: GatParams;
    batch: TrainBatch; moments: Array<{ m: Float32Array; v: Float32Array }>; step: number; lr: number;
  }): number {
    const { shape, gg, textFeatures, params, batch, moments, step } = args;
    const o = this.options;
    const plist = paramList(params);
    let loss = 0;
    tf.tidy(() => {
      const { list } = paramTensors(params, shape);
      const lossFn = (...ts: tf.Tensor[]): tf.Scalar => {
        const t = unflatten(ts, shape.layers);
        const { final } = forward({ shape, gg, textFeatures, slope: o.slope, ws: this.workspace, t });
        const gradRows = (shape.numUsers + shape.numItems) * shape.dim;
        const b = { users: batch.users, positives: batch.positives, negatives: batch.negatives, k: o.negatives };
        const gradBuffer = (): Float32Array => this.workspace.get('lossGrad', gradRows);
        return o.loss === 'softmax'
          ? sampledSoftmaxLossOp(final, b, { temperature: o.temperature, cosine: o.cosine }, gradBuffer, this.workspace)
          : bprLossOp(final, b, gradBuffer, this.workspace);
      };
      const { value, grads } = tf.valueAndGrads(lossFn)(list);
      grads.forEach((g, idx) => {
        const p = plist[idx];
        if (p.name === 'item' && !o.itemIdEmbedding) return;
        const grad = toSharedFloat32(g.dataSync() as Float32Array);
        // LightGCN-style L2 on the batch's ego (id) embeddings: d/dθ of l2/(2B) * sum ||θ_row||^2,
        // added here rather than through tfjs so no extra N x dim tensors are built and summed.
        // Decaying every row each step instead would, through Adam's normalisation, shrink rows
        // that have tiny gradients at the full learning rate.
        if (o.l2 > 0 && p.name === 'user') addRowL2(grad, p.value, batch.users, shape.dim, o.l2 / batch.users.length, this.counts(shape.numUsers));
        if (o.l2 > 0 && p.name === 'item') addRowL2(grad, p.value, batch.itemRows, shape.dim, o.l2 / batch.users.length, this.counts(shape.numItems));
        adamStep(
          { param: p.value, m: moments[idx].m, v: moments[idx].v },
          grad,
          adamDefaults(args.lr),
          step,
        );
      });
      loss = value.dataSync()[0];
    });
    return loss;
  }

  /** A reusable per-row counter for addRowL2. */
  private counts(rows: number): Int32Array {
    let c = this.countBuffers.get(rows);
    if (!c) this.countBuffers.set(rows, (c = new Int32Array(rows)));
    return c;
  }

  /** One forward pass without gradients: final embeddings and the items' per-layer inputs for fold-in. */
  private snapshotModel(args: {
    shape: GatShape; gg: GatGraph; textFeatures: Float32Array; params: GatParams;
    textBasis: TextBasis | undefined; snap: FitContext['snapshot']; pairWeightMean: number;
  }): Trained {
    const { shape, gg, textFeatures, params } = args;
    const o = this.options;
    let final = new Float32Array(0);
    let itemLayers: Float32Array[] = [];
    // Results leave tidy through closure variables: tidy walks returned containers element by
    // element, which for a typed array result costs more than the forward pass itself.
    tf.tidy(() => {
      const { t } = paramTensors(params, shape);
      const r = forward({ shape, gg, textFeatures, slope: o.slope, ws: this.workspace, t });
      const itemsFrom = shape.numUsers * shape.dim;
      final = (r.final.dataSync() as Float32Array).slice();
      if (o.cosine) normaliseRows(final, shape.dim);
      itemLayers = r.layers.slice(0, shape.layers).map((h) => h.slice(itemsFrom));
    });
    const itemDegree = new Float32Array(shape.numItems);
    const csr = gg.graph.csr;
    for (let i = 0; i < shape.numItems; i++) itemDegree[i] = csr.indptr[shape.numUsers + i + 1] - csr.indptr[shape.numUsers + i];
    return {
      shape,
      userIds: args.snap.userIds,
      itemIds: args.snap.itemIds,
      params,
      final,
      inductive: {
        dim: shape.dim, heads: shape.heads, ch: shape.ch, layers: shape.layers, slope: o.slope,
        selfLoopWeight: o.selfLoopWeight, degreePrior: o.degreePrior, weightPower: o.weightPower,
        pairWeightMean: args.pairWeightMean, textBasis: args.textBasis, textW: params.textW,
        attSrc: params.attSrc, attDst: params.attDst, itemLayers, itemDegree,
      },
    };
  }

  private model(): Trained {
    if (!this.trained) throw new Error(`${this.name}: not fitted or loaded`);
    return this.trained;
  }

  scoreUsers(users: Int32Array, out: Float32Array): void {
    const m = this.model();
    factorScores({ users, out, userFactors: m.final, itemFactors: m.final, itemRowOffset: m.shape.numUsers, dim: m.shape.dim, numItems: m.shape.numItems });
  }

  /** Final embeddings: users (numUsers x dim) and items (numItems x dim), as published to Neo4j. */
  embeddings(): { users: Float32Array; items: Float32Array; dim: number; userIds: string[]; itemIds: string[] } {
    const m = this.model();
    const split = m.shape.numUsers * m.shape.dim;
    return { users: m.final.slice(0, split), items: m.final.slice(split), dim: m.shape.dim, userIds: m.userIds, itemIds: m.itemIds };
  }

  /** Width of the text vectors the model was trained on (0 when it has no text input). */
  get textDim(): number {
    return this.model().inductive.textBasis?.textDim ?? 0;
  }

  /** Final embedding of a product with no interactions, from its text embedding (textDim floats). */
  embedItemFromText(textEmbedding: Float32Array): Float32Array {
    const v = embedItemFromText(this.model().inductive, textEmbedding);
    if (this.options.cosine) normaliseRows(v, v.length);
    return v;
  }

  /** Final embedding of a user from their latest events: dense item indices and optional interaction weights. */
  foldInUser(recentItemIdxs: ArrayLike<number>, weights?: ArrayLike<number>): Float32Array {
    const v = foldInUser(this.model().inductive, recentItemIdxs, weights);
    if (this.options.cosine) normaliseRows(v, v.length);
    return v;
  }

  save(dir: string): void {
    const m = this.model();
    const arrays: Record<string, Float32Array> = { final: m.final };
    for (const p of paramList(m.params)) arrays[p.name] = p.value;
    m.inductive.itemLayers.forEach((a, l) => { arrays[`item_layer_${l}`] = a; });
    arrays.item_degree = m.inductive.itemDegree;
    if (m.inductive.textBasis) {
      arrays.text_mean = m.inductive.textBasis.mean;
      arrays.text_basis = m.inductive.textBasis.basis;
    }
    const model: GatArtifactModel = {
      kind: 'gat',
      options: this.options,
      shape: m.shape,
      textDim: m.inductive.textBasis?.textDim ?? 0,
      pairWeightMean: m.inductive.pairWeightMean,
      userIds: m.userIds,
      itemIds: m.itemIds,
      fit: this.lastFit,
    };
    writeArtifact(dir, model, arrays);
  }

  /** Width of the text vectors the artifact in `dir` was trained on (0: no text input), without loading its arrays. */
  static textDimOf(dir: string): number {
    return readArtifactMetadata<GatArtifactModel>(dir).model.textDim;
  }

  static load(dir: string): GatRecommender {
    const { meta, arrays } = readArtifact<GatArtifactModel>(dir);
    const { options, shape, textDim } = meta.model;
    const r = new GatRecommender(options);
    const need = (name: string): Float32Array => {
      const a = arrays[name];
      if (!a) throw new Error(`${dir}: missing array ${name}`);
      return a;
    };
    const params: GatParams = {
      user: need('user'),
      item: need('item'),
      textW: need('text_w'),
      attSrc: Array.from({ length: shape.layers }, (_, l) => need(`att_src_${l}`)),
      attDst: Array.from({ length: shape.layers }, (_, l) => need(`att_dst_${l}`)),
    };
    const textBasis: TextBasis | undefined = shape.textRank > 0
      ? { textDim, rank: shape.textRank, mean: need('text_mean'), basis: need('text_basis') }
      : undefined;
    r.trained = {
      shape,
      userIds: meta.model.userIds,
      itemIds: meta.model.itemIds,
      params,
      final: need('final'),
      inductive: {
        dim: shape.dim, heads: shape.heads, ch: shape.ch, layers: shape.layers, slope: options.slope,
        selfLoopWeight: options.selfLoopWeight, degreePrior: options.degreePrior, weightPower: options.weightPower,
        pairWeightMean: meta.model.pairWeightMean, textBasis, textW: params.textW,
        attSrc: params.attSrc, attDst: params.attDst,
        itemLayers: Array.from({ length: shape.layers }, (_, l) => need(`item_layer_${l}`)),
        itemDegree: need('item_degree'),
      },
    };
    r.lastFit = meta.model.fit;
    return r;
  }
}

/**
 * grad[row] += coef * count(row) * param[row] for every row listed (count = its repeats). Counting
 * first touches each distinct row once instead of once per occurrence (a 16-negative batch lists
 * item rows 17 times per pair).
 */
function addRowL2(grad: Float32Array, param: Float32Array, rows: Int32Array, dim: number, coef: number, counts: Int32Array): void {
  counts.fill(0);
  for (let m = 0; m < rows.length; m++) counts[rows[m]]++;
  for (let r = 0; r < counts.length; r++) {
    const cnt = counts[r];
    if (cnt === 0) continue;
    const f = coef * cnt;
    const o = r * dim;
    for (let c = 0; c < dim; c++) grad[o + c] += f * param[o + c];
  }
}

/** Scales every row of a (rows x dim) array to unit L2 norm (zero rows stay zero). */
function normaliseRows(x: Float32Array, dim: number): void {
  for (let o = 0; o < x.length; o += dim) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += x[o + c] * x[o + c];
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let c = 0; c < dim; c++) x[o + c] *= inv;
  }
}

function meanRawPairWeight(weights: Float32Array, power: number): number {
  let s = 0;
  for (let p = 0; p < weights.length; p++) s += Math.pow(Math.max(weights[p], 1e-6), power);
  return weights.length > 0 ? s / weights.length : 1;
}

/** ema = decay * ema + (1 - decay) * params, every parameter array, on the kernel pool. */
function emaUpdate(ema: GatParams, params: GatParams, decay: number): void {
  const e = paramList(ema);
  paramList(params).forEach((p, i) => axpby(e[i].value, decay, e[i].value, 1 - decay, p.value));
}

function clone(p: GatParams): GatParams {
  const c = (a: Float32Array): Float32Array => { const s = sharedFloat32(a.length); s.set(a); return s; };
  return { user: c(p.user), item: c(p.item), textW: c(p.textW), attSrc: p.attSrc.map(c), attDst: p.attDst.map(c) };
}

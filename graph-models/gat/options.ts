/**
 * Hyperparameters of the GAT recommender. Defaults were chosen on MovieLens ml-latest-small
 * VALIDATION NDCG@20 / Recall@20 only (seed 42, transformer text; test never used to choose), and
 * contain nothing data-set specific: the same defaults run on the synthetic e-commerce graph.
 * Chosen: sampled softmax with 16 uniform negatives at temperature 0.2 (validation NDCG@20 0.1108,
 * Recall@20 0.1464, vs BPR with 4 negatives 0.1066 / 0.1413). 32 negatives: 0.1110 / 0.1522 but the
 * single-threaded loss costs ~0.55 CPU s per 16k batch (16: ~0.28, BPR-4: ~0.10), too much for the
 * 30 s/epoch budget on the 1M-edge graph; a shared per-step negative pool was cheap but worse (0.089).
 * textRank 32 (64: 0.1028, 128: 0.0996); 2 layers (3: 0.1107, slower); l2 1e-4 (1e-3: no change);
 * cosine scores (t 0.1) and temperature 0.1 were worse.
 * Large batches with several negatives: every step propagates the whole graph, which costs the same
 * whatever the batch size, so big batches buy more signal per propagation.
 */
export interface GatOptions {
  /** Embedding width = heads * channels per head. */
  dim: number;
  heads: number;
  layers: number;
  /** Principal components of the text embedding fed to the learned text projection (0 = no text input). */
  textRank: number;
  /** Learned per-item id embedding added to the text projection. */
  itemIdEmbedding: boolean;
  /** LeakyReLU slope of the attention logit. */
  slope: number;
  /** Self loops take part in every attention softmax; their weight relative to an interaction of weight 1. */
  selfLoopWeight: number;
  /**
   * Edge prior exponent: the attention logit gets + log(weight) - degreePrior * log(deg(source)),
   * i.e. alpha_ij ∝ w_ij * deg_j^-degreePrior * exp(e_ij). 0.5 approximates LightGCN's symmetric
   * normalisation at initialisation, where the learned logits are still ~0.
   */
  degreePrior: number;
  /** Exponent on the interaction weight inside the prior (0 ignores type/rating weights). */
  weightPower: number;
  /** Per-user recency decay of edge weights, in days behind the user's latest train event (0 = off). */
  recencyHalfLifeDays: number;
  learningRate: number;
  /** L2 on the id embeddings of each batch's users and items, LightGCN-style (lambda/2 * sum of squares / batch). */
  l2: number;
  batchSize: number;
  /**
   * Every step propagates the whole graph, so on large graphs the batch grows until an epoch takes
   * at most this many steps (batch = max(batchSize, pairs / maxStepsPerEpoch)).
   */
  maxStepsPerEpoch: number;
  /** Negatives per positive (uniform over items the user has not interacted with in train). */
  negatives: number;
  /**
   * 'bpr': mean softplus(s_neg - s_pos) over the negatives; 'softmax': sampled softmax of the
   * positive against its negatives, scores divided by `temperature`.
   */
  loss: 'bpr' | 'softmax';
  /** Draw each step's negatives from this many uniformly sampled items (0 = anywhere in the catalogue); see sampleBatch. */
  negativePool: number;
  temperature: number;
  /**
   * Score = cosine instead of inner product (softmax loss only). Final embeddings, text-only item
   * embeddings and folded-in users are then L2-normalised, so inner product = cosine everywhere.
   */
  cosine: boolean;
  /**
   * Decay of an exponential moving average of the parameters, updated after every step (0 = off).
   * Validation, early stopping and the saved model then use the average, which smooths the noise
   * of large-learning-rate Adam steps.
   */
  emaDecay: number;
  maxEpochs: number;
  /** Validation checks without improvement before stopping. */
  patience: number;
  evalEvery: number;
  /** Early stopping on ctx.validate(); off for pure speed runs (then the last epoch is kept). */
  validate: boolean;
  maxSeconds: number;
  initStd: number;
}

export const DEFAULT_GAT_OPTIONS: GatOptions = {
  dim: 64,
  heads: 4,
  layers: 2,
  textRank: 32,
  itemIdEmbedding: true,
  slope: 0.2,
  selfLoopWeight: 1,
  degreePrior: 0.5,
  weightPower: 1,
  recencyHalfLifeDays: 0,
  learningRate: 0.02,
  l2: 3e-4,
  batchSize: 16384,
  maxStepsPerEpoch: 4,
  negatives: 16,
  loss: 'softmax',
  negativePool: 0,
  temperature: 0.2,
  cosine: false,
  emaDecay: 0.95,
  maxEpochs: 200,
  patience: 5,
  evalEvery: 1,
  validate: true,
  maxSeconds: 170,
  initStd: 0.1,
};

export function resolveGatOptions(partial: Partial<GatOptions> = {}): GatOptions {
  const o = { ...DEFAULT_GAT_OPTIONS, ...partial };
  if (o.dim % o.heads !== 0) throw new Error(`dim (${o.dim}) must be a multiple of heads (${o.heads})`);
  if (o.layers < 1) throw new Error('layers must be >= 1');
  if (o.cosine && o.loss !== 'softmax') throw new Error('cosine scores need the softmax loss');
  return o;
}

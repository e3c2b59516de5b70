/**
 * The message graph the GAT runs on: users 0..U-1 and items U..U+I-1 as one node set, every
 * training (user, item) pair as two directed edges (item -> user, user -> item), plus a self loop
 * per node. Edge weights enter attention as a log-prior bias (see GatOptions.degreePrior): the
 * softmax then gives alpha ∝ prior * exp(learned logit), so type/rating and recency shape
 * attention before any training and the learned part only has to correct them.
 */
import { BipartiteCsr, csrFromEdges } from '../../data/csr';
import { GraphSnapshot } from '../../data/snapshot';
import { sharedFloat32 } from '../../data/shared-arrays';
import { MessageGraph } from '../../kernels/sparse';
import { GatOptions } from './options';

export interface GatGraph {
  graph: MessageGraph;
  /** Per-edge attention bias in CSR order. */
  bias: Float32Array;
  /** CSR positions of each training pair's two edges (user <- item, item <- user), in userItems order. */
  pairEdges: Int32Array;
  numUsers: number;
  numItems: number;
}

const DAY_MS = 86_400_000;

/** Recency factor per userItems entry: 0.5^(days behind that user's latest train event / half-life). */
export function recencyFactors(args: { train: BipartiteCsr; snapshot: GraphSnapshot; events: Int32Array; halfLifeDays: number }): Float32Array {
  const { train, snapshot, events, halfLifeDays } = args;
  const { indptr, indices } = train.userItems;
  const latestPair = new Float64Array(indices.length).fill(-Infinity);
  const latestUser = new Float64Array(train.numUsers).fill(-Infinity);
  for (let k = 0; k < events.length; k++) {
    const e = events[k];
    const u = snapshot.eventUser[e];
    const p = findEntry(indptr, indices, u, snapshot.eventItem[e]);
    if (p < 0) continue;
    const t = snapshot.eventTime[e];
    if (t > latestPair[p]) latestPair[p] = t;
    if (t > latestUser[u]) latestUser[u] = t;
  }
  const out = new Float32Array(indices.length);
  for (let u = 0; u < train.numUsers; u++) {
    for (let p = indptr[u]; p < indptr[u + 1]; p++) {
      const ageDays = (latestUser[u] - latestPair[p]) / DAY_MS;
      out[p] = Number.isFinite(ageDays) ? Math.pow(0.5, ageDays / halfLifeDays) : 1;
    }
  }
  return out;
}

function findEntry(indptr: Int32Array, indices: Int32Array, row: number, col: number): number {
  let lo = indptr[row], hi = indptr[row + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (indices[mid] === col) return mid;
    if (indices[mid] < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Per-pair weight (userItems order) after weightPower and optional recency. */
export function pairWeights(args: { train: BipartiteCsr; snapshot: GraphSnapshot; events: Int32Array; options: GatOptions }): Float32Array {
  const { train, options } = args;
  const w = new Float32Array(train.userItems.weights.length);
  for (let p = 0; p < w.length; p++) w[p] = Math.pow(Math.max(train.userItems.weights[p], 1e-6), options.weightPower);
  if (options.recencyHalfLifeDays > 0) {
    const r = recencyFactors({ ...args, halfLifeDays: options.recencyHalfLifeDays });
    for (let p = 0; p < w.length; p++) w[p] *= r[p];
  }
  // Normalise to mean 1 so selfLoopWeight is relative to a typical interaction.
  let mean = 0;
  for (let p = 0; p < w.length; p++) mean += w[p];
  mean = w.length > 0 ? mean / w.length : 1;
  for (let p = 0; p < w.length; p++) w[p] /= mean;
  return w;
}

export function buildGatGraph(args: { train: BipartiteCsr; weights: Float32Array; options: GatOptions }): GatGraph {
  const { train, weights, options } = args;
  const { numUsers, numItems, userItems } = train;
  const n = numUsers + numItems;
  const pairs = userItems.indices.length;
  const edges = 2 * pairs + n;
  const dst = new Int32Array(edges);
  const src = new Int32Array(edges);
  const w = new Float32Array(edges);
  let e = 0;
  // Self loop first in each row: a fixed position keeps CSR order independent of the data.
  for (let v = 0; v < n; v++) { dst[e] = v; src[e] = v; w[e] = options.selfLoopWeight; e++; }
  for (let u = 0; u < numUsers; u++) {
    for (let p = userItems.indptr[u]; p < userItems.indptr[u + 1]; p++) {
      const item = numUsers + userItems.indices[p];
      dst[e] = u; src[e] = item; w[e] = weights[p]; e++;
      dst[e] = item; src[e] = u; w[e] = weights[p]; e++;
    }
  }
  const degree = new Float32Array(n).fill(1); // the self loop
  for (let u = 0; u < numUsers; u++) degree[u] += userItems.indptr[u + 1] - userItems.indptr[u];
  for (let p = 0; p < pairs; p++) degree[numUsers + userItems.indices[p]] += 1;
  const csr = csrFromEdges({ numRows: n, numCols: n, dst, src });
  // csrFromEdges is a stable counting sort, so replaying it on the weights lines them up with CSR order.
  const cursor = csr.indptr.slice(0, n);
  const bias = sharedFloat32(edges);
  const pairEdges = new Int32Array(2 * pairs);
  for (let k = 0; k < edges; k++) {
    const at = cursor[dst[k]]++;
    bias[at] = Math.log(Math.max(w[k], 1e-12)) - options.degreePrior * Math.log(degree[src[k]]);
    // Edges n + 2p and n + 2p + 1 are pair p's (built in that order above).
    if (k >= n) pairEdges[k - n] = at;
  }
  return { graph: new MessageGraph(csr), bias, pairEdges, numUsers, numItems };
}

/** Bias far enough below any real logit that exp() of it is 0 in float32, yet finite (no inf - inf). */
const DROPPED = -1e4;

/**
 * The attention bias for one training step with some interaction edges removed: every edge of the
 * batch's own positive pairs when `dropTargets` (so the model learns to predict an interaction
 * without seeing it in the graph, as at validation and serving time), and each other pair with
 * probability `dropout` (DropEdge). Softmax renormalises over the edges left; self loops stay, so
 * every node keeps at least one message.
 */
export function stepBias(args: { gg: GatGraph; out: Float32Array; targets: Int32Array; dropTargets: boolean; dropout: number; random: () => number }): Float32Array {
  const { gg, out } = args;
  out.set(gg.bias);
  const drop = (p: number): void => { out[gg.pairEdges[2 * p]] = DROPPED; out[gg.pairEdges[2 * p + 1]] = DROPPED; };
  if (args.dropTargets) for (let q = 0; q < args.targets.length; q++) drop(args.targets[q]);
  if (args.dropout > 0) {
    const pairs = gg.pairEdges.length / 2;
    for (let p = 0; p < pairs; p++) if (args.random() < args.dropout) drop(p);
  }
  return out;
}

/**
 * The sparse hot path on typed arrays: the fused GAT layer (attention logits, per-destination
 * edge softmax, weighted aggregation) and its exact gradient, the dense row helpers tfjs-cpu is
 * too slow for, and the pair losses over final embeddings. Each function allocates shared
 * outputs, picks row ranges balanced by edge count, and runs a kernel body on the pool. The tfjs
 * ops in layers/ and training/ are thin wrappers over these.
 */
import { CsrTranspose, MessageCsr, messageTranspose } from '../data/csr';
import { sharedFloat32, sharedInt32, toSharedFloat32, toSharedInt32 } from '../data/shared-arrays';
import { balancedRowRanges, evenRanges } from './partition';
import { kernelPool } from './pool';

/** A CSR by destination plus its transpose and cached thread partitions. */
export class MessageGraph {
  readonly transpose: CsrTranspose;
  private readonly rowRanges = new Map<number, Int32Array>();
  private readonly srcRanges = new Map<number, Int32Array>();

  constructor(readonly csr: MessageCsr) {
    this.transpose = messageTranspose(csr);
  }

  get numEdges(): number {
    return this.csr.indices.length;
  }

  /** Destination-row ranges with balanced edge counts for `parts` threads. */
  dstRanges(parts: number): Int32Array {
    let r = this.rowRanges.get(parts);
    if (!r) this.rowRanges.set(parts, (r = balancedRowRanges(this.csr.indptr, parts)));
    return r;
  }

  srcRangesFor(parts: number): Int32Array {
    let r = this.srcRanges.get(parts);
    if (!r) this.srcRanges.set(parts, (r = balancedRowRanges(this.transpose.ptr, parts)));
    return r;
  }
}

/**
 * Named shared buffers reused across training steps, so a step does not allocate (and the GC
 * does not have to reclaim) dozens of N x dim SharedArrayBuffers. A buffer is overwritten by the
 * next call that asks for the same name: callers own the lifetime.
 */
export class Workspace {
  private readonly buffers = new Map<string, Float32Array>();
  private readonly ints = new Map<string, Int32Array>();
  private readonly doubles = new Map<string, Float64Array>();

  get(name: string, length: number): Float32Array {
    let b = this.buffers.get(name);
    if (!b || b.length !== length) {
      b = sharedFloat32(length);
      this.buffers.set(name, b);
    }
    return b;
  }

  /** Like get, for int32 buffers; grown with headroom so a size that varies per step reuses the buffer. */
  getInt32(name: string, length: number): Int32Array {
    let b = this.ints.get(name);
    if (!b || b.length < length) {
      b = sharedInt32(Math.ceil(length * 1.25));
      this.ints.set(name, b);
    }
    return b.subarray(0, length);
  }

  getFloat32Grown(name: string, length: number): Float32Array {
    let b = this.buffers.get(name);
    if (!b || b.length < length) {
      b = sharedFloat32(Math.ceil(length * 1.25));
      this.buffers.set(name, b);
    }
    return b.subarray(0, length);
  }

  getFloat64(name: string, length: number): Float64Array {
    let b = this.doubles.get(name);
    if (!b || b.length < length) {
      b = new Float64Array(new SharedArrayBuffer(Math.max(1, Math.ceil(length * 1.25)) * 8));
      this.doubles.set(name, b);
    }
    return b.subarray(0, length);
  }
}

/** A workspace buffer when a workspace is given, else a fresh shared array. */
function buffer(ws: WorkspaceSlot | undefined, name: string, length: number): Float32Array {
  return ws ? ws.workspace.get(`${ws.prefix}${name}`, length) : sharedFloat32(length);
}

export interface WorkspaceSlot { workspace: Workspace; prefix: string }

function threads(): number {
  return kernelPool().threads;
}

export interface HeadShape { heads: number; ch: number }

// ---------- fused GAT layer (GATv1 attention without a per-layer weight matrix) ----------

export interface GatLayerOptions extends HeadShape {
  /** LeakyReLU slope of the attention logit (0.2 in the GAT paper). */
  slope: number;
  /** Per-edge additive logit bias (e.g. log edge weight), or undefined for none. */
  bias?: Float32Array;
}

/** What the backward pass needs; all arrays are shared. */
export interface GatLayerSaved {
  h: Float32Array;
  attSrc: Float32Array;
  attDst: Float32Array;
  sSrc: Float32Array;
  sDst: Float32Array;
  alpha: Float32Array;
}

/**
 * out[i] = sum_{j in N(i)} alpha_ij^k h_j (per head k), with
 * alpha_ij^k = softmax_j( LeakyReLU(<att_dst^k, h_i^k> + <att_src^k, h_j^k>) + bias_ij ).
 */
export function gatLayerForward(
  g: MessageGraph,
  input: { h: Float32Array; attSrc: Float32Array; attDst: Float32Array },
  opts: GatLayerOptions,
  ws?: WorkspaceSlot,
): { out: Float32Array; saved: GatLayerSaved } {
  if (g.csr.numRows !== g.csr.numCols) throw new Error('gatLayerForward needs a square (node x node) graph');
  const n = g.csr.numRows;
  const { heads, ch } = opts;
  const h = toSharedFloat32(input.h);
  const attSrc = toSharedFloat32(input.attSrc);
  const attDst = toSharedFloat32(input.attDst);
  const sSrc = buffer(ws, 'sSrc', n * heads);
  const sDst = buffer(ws, 'sDst', n * heads);
  const nodeRanges = evenRanges(n, threads());
  kernelPool().run('headDot', { h, att: attSrc, out: sSrc, heads, ch }, nodeRanges, n * heads * ch);
  kernelPool().run('headDot', { h, att: attDst, out: sDst, heads, ch }, nodeRanges, n * heads * ch);
  const alpha = buffer(ws, 'alpha', g.numEdges * heads);
  const out = buffer(ws, 'out', n * heads * ch);
  const bias = opts.bias ? toSharedFloat32(opts.bias) : sharedFloat32(0);
  kernelPool().run(
    'gatLayerFwd',
    { ptr: g.csr.indptr, indices: g.csr.indices, bias, hasBias: opts.bias ? 1 : 0, slope: opts.slope, h, sSrc, sDst, alpha, out, heads, ch },
    g.dstRanges(threads()),
    g.numEdges * heads * (ch + 8),
  );
  return { out, saved: { h, attSrc, attDst, sSrc, sDst, alpha } };
}

export function gatLayerBackward(
  g: MessageGraph,
  saved: GatLayerSaved,
  dOut: Float32Array,
  opts: GatLayerOptions,
  ws?: WorkspaceSlot,
): { dh: Float32Array; dAttSrc: Float32Array; dAttDst: Float32Array } {
  const n = g.csr.numRows;
  const { heads, ch } = opts;
  const work = g.numEdges * heads * (ch + 4);
  const dOutS = toSharedFloat32(dOut);
  const dz = buffer(ws, 'dz', g.numEdges * heads);
  const dSdst = buffer(ws, 'dSdst', n * heads);
  kernelPool().run(
    'gatLayerBwdDst',
    { ptr: g.csr.indptr, indices: g.csr.indices, slope: opts.slope, h: saved.h, sSrc: saved.sSrc, sDst: saved.sDst, alpha: saved.alpha, dOut: dOutS, dz, dSdst, heads, ch },
    g.dstRanges(threads()),
    work,
  );
  const t = g.transpose;
  const dh = buffer(ws, 'dh', n * heads * ch);
  const dSsrc = buffer(ws, 'dSsrc', n * heads);
  kernelPool().run(
    'gatLayerBwdSrc',
    { tptr: t.ptr, tedge: t.edge, tdst: t.dst, alpha: saved.alpha, dOut: dOutS, dz, dSdst, attSrc: saved.attSrc, attDst: saved.attDst, dh, dSsrc, heads, ch },
    g.srcRangesFor(threads()),
    work,
  );
  const dAttSrc = sharedFloat32(heads * ch);
  const dAttDst = sharedFloat32(heads * ch);
  // One head per range item: each attention gradient is summed over nodes in order by one thread.
  const headRanges = evenRanges(heads, Math.min(heads, threads()));
  kernelPool().run('headReduce', { h: saved.h, ds: dSsrc, ds2: dSdst, out: dAttSrc, out2: dAttDst, heads, ch, nodes: n }, headRanges, 2 * n * heads * ch);
  return { dh, dAttSrc, dAttDst };
}

// ---------- dense helpers that tfjs-cpu is too slow for at this size ----------

/** out = a * x + b * y element-wise on shared arrays (y unused when b = 0); any partition is exact. */
export function axpby(out: Float32Array, a: number, x: Float32Array, b: number, y: Float32Array): Float32Array {
  const n = out.length;
  kernelPool().run('axpby', { x: toSharedFloat32(x), y: toSharedFloat32(y), out, a, b }, evenRanges(n, threads()), n * 2);
  return out;
}

/** out = base + x @ w for row-major x (rows x inDim), w (inDim x outDim). */
export function linearRows(args: { x: Float32Array; w: Float32Array; base?: Float32Array; rows: number; inDim: number; outDim: number; out?: Float32Array }): Float32Array {
  const { rows, inDim, outDim } = args;
  const out = args.out ?? sharedFloat32(rows * outDim);
  kernelPool().run(
    'linearRows',
    { x: toSharedFloat32(args.x), w: toSharedFloat32(args.w), base: args.base ? toSharedFloat32(args.base) : sharedFloat32(0), hasBase: args.base ? 1 : 0, out, inDim, outDim },
    evenRanges(rows, threads()),
    rows * inDim * outDim,
  );
  return out;
}

/** dw = x^T @ dy, partitioned by input dimension so each entry is summed over rows in order. */
export function linearGradW(args: { x: Float32Array; dy: Float32Array; rows: number; inDim: number; outDim: number }): Float32Array {
  const { rows, inDim, outDim } = args;
  const dw = sharedFloat32(inDim * outDim);
  kernelPool().run(
    'linearGradW',
    { x: toSharedFloat32(args.x), dy: toSharedFloat32(args.dy), dw, rows, inDim, outDim },
    evenRanges(inDim, Math.min(inDim, threads())),
    rows * inDim * outDim,
  );
  return dw;
}

// ---------- pair losses (sampled softmax, BPR) over final embeddings ----------

export interface PairBatch {
  users: Int32Array;
  positives: Int32Array;
  /** k per triple, row-major. */
  negatives: Int32Array;
  k: number;
}

export interface PairLossResult {
  /** Mean loss over the batch. */
  loss: number;
  /** d loss / d score per (triple, slot), slot 0 = positive; valid until the next call with this workspace. */
  coef: Float64Array;
}

/**
 * Mean loss of a batch of triples scored by inner products of `emb` rows (rows x dim), split
 * over threads by triple. 'softmax': sampled softmax of the positive against its negatives at
 * `temperature`, averaged over triples; 'bpr': softplus(s_neg - s_pos) averaged over triples and
 * negatives. Per-triple losses are summed on this thread in triple order (deterministic).
 */
export function pairLossForward(emb: Float32Array, dim: number, batch: PairBatch, opts: { loss: 'softmax' | 'bpr'; temperature: number }, ws?: Workspace): PairLossResult {
  const n = batch.users.length;
  const k1 = batch.k + 1;
  const bpr = opts.loss === 'bpr';
  const coef = ws ? ws.getFloat64('pairCoef', n * k1) : new Float64Array(new SharedArrayBuffer(Math.max(1, n * k1) * 8));
  const lossPart = ws ? ws.getFloat64('pairLoss', n) : new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8));
  const denom = bpr ? n * batch.k : n;
  kernelPool().run(
    'pairLoss',
    {
      emb: toSharedFloat32(emb), users: toSharedInt32(batch.users), positives: toSharedInt32(batch.positives), negatives: toSharedInt32(batch.negatives),
      k: batch.k, dim, invT: bpr ? 1 : 1 / opts.temperature, bpr: bpr ? 1 : 0, scale: 1 / Math.max(1, denom), coef, lossPart,
    },
    evenRanges(n, threads()),
    n * k1 * (dim + 8),
  );
  let loss = 0;
  for (let b = 0; b < n; b++) loss += lossPart[b];
  return { loss: loss / Math.max(1, denom), coef };
}

/**
 * Gradient of the loss with respect to every embedding row: row u gets sum coef * e_item over its
 * triples' slots, an item row gets coef * e_user per occurrence. The (row, source, coef) entries
 * are grouped by row with a stable counting sort, so each row is summed in triple order by one
 * thread whatever the thread count. Writes all rows x dim of `out` (a shared copy of it, returned,
 * when `out` is not shared).
 */
export function pairLossBackward(emb: Float32Array, dim: number, batch: PairBatch, coef: Float64Array, gradScale: number, out: Float32Array, ws?: Workspace): Float32Array {
  const rows = out.length / dim;
  const { users, positives, negatives, k } = batch;
  const n = users.length;
  const k1 = k + 1;
  const entries = 2 * n * k1;
  const ptr = ws ? ws.getInt32('spmmPtr', rows + 1) : sharedInt32(rows + 1);
  const src = ws ? ws.getInt32('spmmSrc', entries) : sharedInt32(entries);
  const c = ws ? ws.getFloat32Grown('spmmCoef', entries) : sharedFloat32(entries);
  ptr.fill(0);
  for (let b = 0; b < n; b++) {
    ptr[users[b] + 1] += k1;
    ptr[positives[b] + 1]++;
    for (let j = 0; j < k; j++) ptr[negatives[b * k + j] + 1]++;
  }
  for (let r = 0; r < rows; r++) ptr[r + 1] += ptr[r];
  const cursor = ws ? ws.getInt32('spmmCursor', rows) : new Int32Array(rows);
  cursor.set(ptr.subarray(0, rows));
  for (let b = 0; b < n; b++) {
    const u = users[b];
    for (let j = 0; j < k1; j++) {
      const node = j === 0 ? positives[b] : negatives[b * k + j - 1];
      const g = coef[b * k1 + j] * gradScale;
      let q = cursor[u]++;
      src[q] = node;
      c[q] = g;
      q = cursor[node]++;
      src[q] = u;
      c[q] = g;
    }
  }
  const target = toSharedFloat32(out);
  kernelPool().run('coefSpmm', { ptr, src, coef: c, emb: toSharedFloat32(emb), out: target, dim }, balancedRowRanges(ptr, threads()), (entries + rows) * dim);
  return target;
}

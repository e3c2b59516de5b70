import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { clsPoolNormalize, meanPoolNormalize } from './pooling';
import type { Pooling } from './encoders';

/**
 * How the CPU cores are used:
 * - 'sessions': N worker threads, each with its own session of 1 intra-op thread, fed different
 *   batches at once. They must be threads: onnxruntime-node 1.30's `session.run` is a synchronous
 *   native call (deferred by a setImmediate), so N sessions on the JS thread ran one after another
 *   and used one core (measured: 100 % of one thread, 114 texts/s). No cross-thread sync inside an
 *   op, so it degrades gracefully when the cores are shared with other processes.
 * - 'intra-op': one session on the JS thread whose ops are split over N threads.
 * With one thread both are a single session on the JS thread.
 * bench/text-encode.ts measures both.
 */
export type Parallelism = 'sessions' | 'intra-op';

export interface OnnxEncoderOptions {
  threads: number;
  parallelism: Parallelism;
  padTokenId: number;
  /** Width of last_hidden_state and of the sentence vectors. */
  dim: number;
  pooling: Pooling;
}

/** What the output is checked against and how it is pooled. */
interface OutputShape {
  dim: number;
  pooling: Pooling;
}

/** A ready batch: unpadded token ids per row. */
export type TokenBatch = readonly (readonly number[])[];

/** Runs one batch on one session; the encoder hands batches to idle runners. */
interface BatchRunner {
  run(batch: TokenBatch): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/**
 * Token ids and attention mask of a batch padded to its longest row, from the rows' tokens laid
 * end to end. Pure, so the worker threads run this very function (see workerSource).
 */
function paddedInputs(tokens: ArrayLike<number>, lengths: readonly number[], padTokenId: number): { ids: BigInt64Array; mask: BigInt64Array; seqLen: number } {
  const rows = lengths.length;
  const seqLen = lengths.reduce((m, l) => Math.max(m, l), 0);
  const ids = new BigInt64Array(rows * seqLen).fill(BigInt(padTokenId));
  const mask = new BigInt64Array(rows * seqLen);
  let p = 0;
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < lengths[r]; t++) {
      ids[r * seqLen + t] = BigInt(tokens[p++]);
      mask[r * seqLen + t] = 1n;
    }
  }
  return { ids, mask, seqLen };
}

/** Model inputs for a batch (single segment: token_type_ids all 0). */
function batchTensors(batch: TokenBatch, padTokenId: number): { feeds: Record<string, ort.Tensor>; seqLen: number } {
  const { ids, mask, seqLen } = paddedInputs(batch.flat(), batch.map((r) => r.length), padTokenId);
  const dims = [batch.length, seqLen];
  const feeds = {
    input_ids: new ort.Tensor('int64', ids, dims),
    attention_mask: new ort.Tensor('int64', mask, dims),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(ids.length), dims),
  };
  return { feeds, seqLen };
}

function pooled(hidden: ort.Tensor | undefined, lengths: readonly number[], seqLen: number, shape: OutputShape): Float32Array[] {
  if (hidden === undefined || hidden.type !== 'float32') {
    throw new Error('text encoder: ONNX graph returned no float32 last_hidden_state');
  }
  const dim = hidden.dims[2];
  if (dim !== shape.dim) throw new Error(`text encoder: expected ${shape.dim}-d output, got ${dim}`);
  const pool = shape.pooling === 'cls' ? clsPoolNormalize : meanPoolNormalize;
  const vectors = pool(hidden.data as Float32Array, lengths, seqLen, dim);
  hidden.dispose();
  return vectors;
}

class InThreadRunner implements BatchRunner {
  constructor(
    private readonly session: ort.InferenceSession,
    private readonly padTokenId: number,
    private readonly shape: OutputShape,
  ) {}

  async run(batch: TokenBatch): Promise<Float32Array[]> {
    const { feeds, seqLen } = batchTensors(batch, this.padTokenId);
    const out = await this.session.run(feeds);
    return pooled(out['last_hidden_state'], batch.map((r) => r.length), seqLen, this.shape);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/**
 * The worker's whole program, as source: padding and pooling are the functions the JS thread uses
 * (compiled, via toString), so both paths compute identically. Tokens arrive laid end to end in an Int32Array.
 */
function workerSource(): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
const EMBEDDING_DIM = workerData.dim;
const paddedInputs = (${paddedInputs.toString()});
const meanPoolNormalize = (${meanPoolNormalize.toString()});
const clsPoolNormalize = (${clsPoolNormalize.toString()});
const pool = workerData.pooling === 'cls' ? clsPoolNormalize : meanPoolNormalize;
const session = ort.InferenceSession.create(workerData.onnx, workerData.sessionOptions);
// Terminating a worker while the native session is still being created aborts the whole process,
// so the JS thread waits for this message before it terminates the worker.
session.then(() => parentPort.postMessage({ ready: true }), (err) => parentPort.postMessage({ ready: false, error: String(err) }));
parentPort.on('message', async (m) => {
  try {
    const { ids, mask, seqLen } = paddedInputs(m.tokens, m.lengths, workerData.padTokenId);
    const dims = [m.lengths.length, seqLen];
    const out = await (await session).run({
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(ids.length), dims),
    });
    const hidden = out.last_hidden_state;
    if (!hidden || hidden.type !== 'float32' || hidden.dims[2] !== EMBEDDING_DIM) throw new Error('text encoder: unexpected last_hidden_state');
    const vectors = pool(hidden.data, m.lengths, seqLen, EMBEDDING_DIM);
    const packed = new Float32Array(vectors.length * EMBEDDING_DIM);
    vectors.forEach((v, i) => packed.set(v, i * EMBEDDING_DIM));
    parentPort.postMessage({ id: m.id, packed }, [packed.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String((err && err.stack) || err) });
  }
});
`;
}

/** A worker with its own session, started on its first batch (a run served from the cache needs none). */
class WorkerRunner implements BatchRunner {
  private worker: Worker | null = null;
  private ready: Promise<void> = Promise.resolve();
  private readonly pending = new Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(
    private readonly onnx: Uint8Array,
    private readonly sessionOptions: ort.InferenceSession.SessionOptions,
    private readonly padTokenId: number,
    private readonly shape: OutputShape,
  ) {}

  run(batch: TokenBatch): Promise<Float32Array[]> {
    const worker = this.worker ?? this.start();
    const lengths = batch.map((r) => r.length);
    const tokens = Int32Array.from(batch.flat());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, lengths, tokens }, [tokens.buffer]);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    await this.ready.catch(() => undefined);
    await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(workerSource(), {
      eval: true,
      workerData: {
        ortPath: require.resolve('onnxruntime-node'),
        onnx: this.onnx,
        sessionOptions: this.sessionOptions,
        padTokenId: this.padTokenId,
        dim: this.shape.dim,
        pooling: this.shape.pooling,
      },
    });
    this.worker = worker;
    // An idle worker must not keep a finished process (or a jest run) alive; a busy one does.
    worker.unref();
    let readyNow: () => void = () => undefined;
    this.ready = new Promise((resolve) => (readyNow = resolve));
    worker.on('message', (m: { ready?: boolean; id?: number; packed?: Float32Array; error?: string }) => {
      if (m.ready !== undefined) {
        readyNow();
        if (!m.ready) this.failAll(new Error(`text encoder worker: ${m.error ?? 'session failed'}`));
        return;
      }
      const p = this.pending.get(m.id as number);
      if (!p) return;
      this.pending.delete(m.id as number);
      if (this.pending.size === 0) worker.unref();
      if (m.error !== undefined || !m.packed) p.reject(new Error(m.error ?? 'text encoder worker: no output'));
      else {
        const packed = m.packed;
        const dim = this.shape.dim;
        p.resolve(Array.from({ length: packed.length / dim }, (_, i) => packed.subarray(i * dim, (i + 1) * dim)));
      }
    });
    worker.on('error', (err) => {
      readyNow();
      this.failAll(err);
    });
    worker.on('exit', (code) => {
      readyNow();
      this.failAll(new Error(`text encoder worker exited (code ${code})`));
    });
    return worker;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

export class OnnxEncoder {
  private readonly idle: BatchRunner[];
  private readonly waiting: ((r: BatchRunner) => void)[] = [];

  private constructor(private readonly runners: BatchRunner[]) {
    this.idle = [...runners];
  }

  static async create(onnx: Uint8Array, options: OnnxEncoderOptions): Promise<OnnxEncoder> {
    const threads = Math.max(1, Math.floor(options.threads));
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.parallelism === 'sessions' ? 1 : threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    };
    const shape: OutputShape = { dim: options.dim, pooling: options.pooling };
    if (options.parallelism === 'sessions' && threads > 1) {
      return new OnnxEncoder(Array.from({ length: threads }, () => new WorkerRunner(onnx, sessionOptions, options.padTokenId, shape)));
    }
    return new OnnxEncoder([new InThreadRunner(await ort.InferenceSession.create(onnx, sessionOptions), options.padTokenId, shape)]);
  }

  /** How many batches can run at the same time; callers keep this many in flight. */
  get concurrency(): number {
    return this.runners.length;
  }

  /** Encodes one batch into L2-normalised sentence vectors, in row order. */
  async encode(batch: TokenBatch): Promise<Float32Array[]> {
    const runner = await this.acquire();
    try {
      return await runner.run(batch);
    } finally {
      this.release(runner);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.close()));
  }

  private acquire(): Promise<BatchRunner> {
    const r = this.idle.pop();
    if (r !== undefined) return Promise.resolve(r);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(r: BatchRunner): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(r);
    else this.idle.push(r);
  }
}

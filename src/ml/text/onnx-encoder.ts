import * as ort from 'onnxruntime-node';
import { meanPoolNormalize } from './pooling';

/**
 * How the CPU cores are used:
 * - 'sessions': N independent sessions with 1 intra-op thread each, fed different batches at once.
 *   onnxruntime-node runs `session.run` off the JS thread, so this is the same as N worker_threads
 *   with one thread each, minus copying tensors between threads. No cross-thread sync inside an op,
 *   so it degrades gracefully when the cores are shared with other processes.
 * - 'intra-op': one session whose ops are split over N threads (better latency for a single batch).
 * bench/text-encode.ts measures both; 'sessions' was faster here (see DEFAULT_PARALLELISM).
 */
export type Parallelism = 'sessions' | 'intra-op';

export interface OnnxEncoderOptions {
  threads: number;
  parallelism: Parallelism;
  padTokenId: number;
}

export const EMBEDDING_DIM = 384;

/** A ready batch: unpadded token ids per row. */
export type TokenBatch = readonly (readonly number[])[];

export class OnnxEncoder {
  private readonly idle: ort.InferenceSession[];
  private readonly waiting: ((s: ort.InferenceSession) => void)[] = [];

  private constructor(
    private readonly sessions: ort.InferenceSession[],
    private readonly padTokenId: number,
  ) {
    this.idle = [...sessions];
  }

  static async create(onnx: Uint8Array, options: OnnxEncoderOptions): Promise<OnnxEncoder> {
    const threads = Math.max(1, Math.floor(options.threads));
    const count = options.parallelism === 'sessions' ? threads : 1;
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.parallelism === 'sessions' ? 1 : threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    };
    const sessions: ort.InferenceSession[] = [];
    for (let i = 0; i < count; i++) sessions.push(await ort.InferenceSession.create(onnx, sessionOptions));
    return new OnnxEncoder(sessions, options.padTokenId);
  }

  /** How many batches can run at the same time; callers keep this many in flight. */
  get concurrency(): number {
    return this.sessions.length;
  }

  /** Encodes one batch into L2-normalised sentence vectors, in row order. */
  async encode(batch: TokenBatch): Promise<Float32Array[]> {
    const session = await this.acquire();
    try {
      return await this.run(session, batch);
    } finally {
      this.releaseSession(session);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.release()));
  }

  private async run(session: ort.InferenceSession, batch: TokenBatch): Promise<Float32Array[]> {
    const rows = batch.length;
    const seqLen = batch.reduce((m, r) => Math.max(m, r.length), 0);
    const ids = new BigInt64Array(rows * seqLen).fill(BigInt(this.padTokenId));
    const mask = new BigInt64Array(rows * seqLen);
    // Single-segment input: token_type_ids are all 0.
    const types = new BigInt64Array(rows * seqLen);
    batch.forEach((row, r) => {
      const off = r * seqLen;
      for (let t = 0; t < row.length; t++) {
        ids[off + t] = BigInt(row[t]);
        mask[off + t] = 1n;
      }
    });
    const dims = [rows, seqLen];
    const out = await session.run({
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
      token_type_ids: new ort.Tensor('int64', types, dims),
    });
    const hidden = out['last_hidden_state'];
    if (hidden === undefined || hidden.type !== 'float32') {
      throw new Error('text encoder: ONNX graph returned no float32 last_hidden_state');
    }
    const dim = hidden.dims[2];
    if (dim !== EMBEDDING_DIM) throw new Error(`text encoder: expected ${EMBEDDING_DIM}-d output, got ${dim}`);
    const vectors = meanPoolNormalize(
      hidden.data as Float32Array,
      batch.map((r) => r.length),
      seqLen,
      dim,
    );
    hidden.dispose();
    return vectors;
  }

  private acquire(): Promise<ort.InferenceSession> {
    const s = this.idle.pop();
    if (s !== undefined) return Promise.resolve(s);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseSession(s: ort.InferenceSession): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(s);
    else this.idle.push(s);
  }
}

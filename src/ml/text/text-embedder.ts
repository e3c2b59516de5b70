import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { lengthSortedBatches } from './batching';
import { EmbeddingCache } from './embedding-cache';
import { loadModelFiles } from './model-files';
import { TEXT_ENCODERS, type TextEncoderName, type TextEncoderSpec } from './encoders';
import { OnnxEncoder, type Parallelism } from './onnx-encoder';
import { WordPieceTokenizer } from './wordpiece-tokenizer';

export interface TextEmbedderOptions {
  /** Which model (src/ml/text/encoders.ts): its width, pooling, token limit and default batch. Default all-minilm-l6-v2. */
  encoder?: TextEncoderName;
  /** Folder with model.onnx + tokenizer.json (scripts/fetch-model.sh). Default `.models/<encoder>`. */
  modelDir?: string;
  /** Texts per ONNX run. Default 16 (8..32 measured within noise; 4 and 64 slower): amortises per-run overhead while
   *  length-sorted batches stay nearly padding-free. */
  batchSize?: number;
  /** CPU threads to use. Default: all cores (os.availableParallelism()). */
  threads?: number;
  /** How threads are used; see {@link Parallelism}. Default 'sessions' (measured faster here). */
  parallelism?: Parallelism;
  /** Token limit per text. Default 256 = all-MiniLM-L6-v2's max_seq_length in sentence-transformers,
   *  so vectors match the reference implementation; product text rarely gets there, and
   *  length-sorted batching means long outliers do not slow down the short ones. */
  maxLength?: number;
  /** Persistent content-hash cache folder; `null` turns it off. Default `.cache/text-embeddings`. */
  cacheDir?: string | null;
}

export interface EmbedProgress {
  total: number;
  /** Texts whose vector is known (from cache or encoded) so far. */
  done: number;
  /** Of `done`, how many came from the cache (or were duplicates in the same call). */
  cached: number;
}

export interface EmbedManyOptions {
  /** Called after the cache lookup and after every encoded batch. */
  onProgress?: (progress: EmbedProgress) => void;
}

export interface TextEmbedderStats {
  /** Texts actually run through the model since creation. */
  encodedTexts: number;
  /** ONNX runs since creation. */
  batches: number;
  /** Texts answered from the cache since creation. */
  cacheHits: number;
}

interface Loaded {
  modelId: string;
  tokenizer: WordPieceTokenizer;
  encoder: OnnxEncoder;
  cache: EmbeddingCache | null;
}

/** Texts tokenised and held at once: bounds memory for catalogue-sized inputs. */
const CHUNK_BATCHES = 64;
/** Texts tokenised between two event-loop turns (~5 ms), so a finished ONNX run gets its next batch quickly. */
const TOKENIZE_SLICE = 32;

/**
 * Sentence embeddings (L2-normalised) for product text, all-MiniLM-L6-v2 (384-d, English) by
 * default or bge-small-zh-v1.5 (512-d, Chinese), run locally by onnxruntime-node, with a persistent cache keyed by model id + sha256(text) so an unchanged product
 * is never encoded twice.
 */
export class TextEmbedder {
  readonly dimension: number;
  readonly spec: TextEncoderSpec;
  private readonly modelDir: string;
  private readonly batchSize: number;
  private readonly threads: number;
  private readonly parallelism: Parallelism;
  private readonly maxLength: number;
  private readonly cacheDir: string | null;
  private loading: Promise<Loaded> | null = null;
  private readonly counters: TextEmbedderStats = { encodedTexts: 0, batches: 0, cacheHits: 0 };

  constructor(options: TextEmbedderOptions = {}) {
    this.spec = TEXT_ENCODERS[options.encoder ?? 'all-minilm-l6-v2'];
    this.dimension = this.spec.dim;
    this.modelDir = resolve(options.modelDir ?? `.models/${this.spec.name}`);
    this.batchSize = positiveInt(options.batchSize ?? this.spec.batchSize, 'batchSize');
    this.threads = positiveInt(options.threads ?? availableParallelism(), 'threads');
    this.parallelism = options.parallelism ?? 'sessions';
    this.maxLength = positiveInt(options.maxLength ?? this.spec.maxLength, 'maxLength');
    if (this.maxLength < 2 || this.maxLength > 512) throw new RangeError('maxLength must be in 2..512 (BERT positions)');
    this.cacheDir = options.cacheDir === null ? null : resolve(options.cacheDir ?? '.cache/text-embeddings');
  }

  /** Creates and loads at once, so a missing model fails here rather than at the first text. */
  static async create(options: TextEmbedderOptions = {}): Promise<TextEmbedder> {
    const embedder = new TextEmbedder(options);
    await embedder.load();
    return embedder;
  }

  /** Identifies model graph + token limit; cache files and stored vectors are tied to it. */
  async modelId(): Promise<string> {
    return (await this.load()).modelId;
  }

  get stats(): Readonly<TextEmbedderStats> {
    return { ...this.counters };
  }

  get config(): Readonly<{ batchSize: number; threads: number; parallelism: Parallelism; maxLength: number }> {
    return { batchSize: this.batchSize, threads: this.threads, parallelism: this.parallelism, maxLength: this.maxLength };
  }

  async embed(text: string): Promise<Float32Array> {
    const [v] = await this.embedMany([text]);
    return v;
  }

  /** Vectors in input order. Each is a fresh copy the caller may keep or change. */
  async embedMany(texts: readonly string[], options: EmbedManyOptions = {}): Promise<Float32Array[]> {
    const { tokenizer, encoder, cache } = await this.load();
    const results: (Float32Array | undefined)[] = new Array(texts.length);

    // Unique texts still to encode, by hash; duplicates inside one call are encoded once.
    const pending = new Map<string, { text: string; indices: number[] }>();
    for (let i = 0; i < texts.length; i++) {
      const hash = EmbeddingCache.hash(texts[i]);
      const hit = cache?.get(hash);
      if (hit !== undefined) {
        results[i] = hit.slice();
        this.counters.cacheHits++;
        continue;
      }
      const p = pending.get(hash);
      if (p !== undefined) p.indices.push(i);
      else pending.set(hash, { text: texts[i], indices: [i] });
    }

    const progress: EmbedProgress = { total: texts.length, done: 0, cached: 0 };
    progress.cached = progress.done = texts.length - [...pending.values()].reduce((n, p) => n + p.indices.length, 0);
    options.onProgress?.({ ...progress });

    const work = [...pending.entries()];
    const chunkSize = this.batchSize * CHUNK_BATCHES;
    const chunks: (typeof work)[] = [];
    for (let start = 0; start < work.length; start += chunkSize) chunks.push(work.slice(start, start + chunkSize));
    // The next chunk is tokenised while this one runs: ONNX runs off the JS thread, and tokenising in
    // slices between event-loop turns keeps the sessions fed instead of idle while the chunk is tokenised.
    const tokenize = async (chunk: typeof work): Promise<number[][]> => {
      const ids: number[][] = [];
      for (let i = 0; i < chunk.length; i += TOKENIZE_SLICE) {
        await yieldToEventLoop();
        for (const [, p] of chunk.slice(i, i + TOKENIZE_SLICE)) ids.push(tokenizer.encode(p.text).ids);
      }
      return ids;
    };
    let nextTokens: Promise<number[][]> | null = chunks.length > 0 ? tokenize(chunks[0]) : null;
    try {
      for (let c = 0; c < chunks.length; c++) {
        const chunk = chunks[c];
        const tokens = await (nextTokens as Promise<number[][]>);
        const batches = lengthSortedBatches(
          tokens.map((t) => t.length),
          this.batchSize,
        );
        const running = runPool(batches, encoder.concurrency, async (batch) => {
          const vectors = await encoder.encode(batch.map((k) => tokens[k]));
          this.counters.batches++;
          this.counters.encodedTexts += batch.length;
          const stored = batch.map((k, j) => ({ hash: chunk[k][0], vector: vectors[j] }));
          for (const { hash, vector } of stored) {
            const p = pending.get(hash);
            if (p === undefined) continue;
            for (const i of p.indices) results[i] = vector.slice();
            progress.done += p.indices.length;
            progress.cached += p.indices.length - 1;
          }
          if (cache !== null) await cache.put(stored);
          options.onProgress?.({ ...progress });
        });
        nextTokens = c + 1 < chunks.length ? tokenize(chunks[c + 1]) : null;
        await running;
      }
    } finally {
      // A failed run leaves the look-ahead tokenisation behind; it cannot fail on its own, but never unhandled.
      nextTokens?.catch(() => undefined);
    }
    return results.map((v, i) => {
      if (v === undefined) throw new Error(`text embedder: no vector for text #${i}`);
      return v;
    });
  }

  /** Releases ONNX sessions and flushes the cache file. The embedder can be reloaded afterwards. */
  async close(): Promise<void> {
    if (this.loading === null) return;
    const loaded = await this.loading;
    this.loading = null;
    await Promise.all([loaded.encoder.close(), loaded.cache?.close()]);
  }

  private load(): Promise<Loaded> {
    this.loading ??= this.doLoad().catch((err: unknown) => {
      this.loading = null; // let a later call retry, e.g. after fetch-model.sh ran
      throw err;
    });
    return this.loading;
  }

  private async doLoad(): Promise<Loaded> {
    const files = loadModelFiles(this.modelDir);
    const tokenizer = new WordPieceTokenizer(files.tokenizerJson, this.maxLength, this.spec.lowercase);
    const modelId = `${basename(this.modelDir)}-${files.onnxHash}-L${this.maxLength}`;
    const encoder = await OnnxEncoder.create(files.onnx, {
      threads: this.threads,
      parallelism: this.parallelism,
      padTokenId: tokenizer.padTokenId,
      dim: this.spec.dim,
      pooling: this.spec.pooling,
    });
    const cache =
      this.cacheDir === null ? null : await EmbeddingCache.open({ cacheDir: this.cacheDir, modelId, dim: this.spec.dim });
    return { modelId, tokenizer, encoder, cache };
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs `fn` over items with at most `concurrency` in flight, so every ONNX session stays busy. */
async function runPool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
}

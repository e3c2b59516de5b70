/**
 * Text encoder throughput on realistic product texts: the exact strings `affinity embed-text` encodes
 * (src/domain/product-text.ts: title, "Categories: …", description, up to 3 review snippets), built from
 * the synthetic catalogue generator (with its reviews) or from MovieLens when it is fetched.
 * Prints texts/s per setup and model, with load average and CPU seconds. Not part of `npm test`.
 *
 *   bash scripts/fetch-model.sh && npm run build && node dist/bench/text-encode.js \
 *     [--count 2000] [--texts synthetic|movielens|both] [--model DIR]... [--rounds 1] [--setups default|all]
 *     [--agreement REF_DIR]
 *
 * --agreement also prints, per --model, the cosine of each text's vector to REF_DIR's (e.g. the
 * float graph from `MINILM_VARIANT=float MODEL_DIR=/tmp/minilm-float bash scripts/fetch-model.sh`):
 * median, 1st percentile and worst.
 *
 * Several --model dirs (e.g. the float and the int8 variant of scripts/fetch-model.sh) are run
 * interleaved, round after round, so they see the same machine load.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { generateSynthetic } from '../seeds/synthetic/generate-synthetic';
import { readGroupLens } from '../seeds/readers/grouplens.reader';
import type { Dataset } from '../src/domain/records';
import { productText } from '../src/domain/product-text';
import { cosine } from '../src/ml/vector';
import { TextEmbedder, type Parallelism } from '../src/ml/text';
import { lengthSortedBatches } from '../src/ml/text/batching';
import { WordPieceTokenizer } from '../src/ml/text/wordpiece-tokenizer';

interface Setup {
  parallelism: Parallelism;
  threads: number;
  batchSize: number;
}

/** Product texts as the embed-text service builds them (reviews: the first 3 per product). */
function datasetTexts(ds: Dataset): string[] {
  const categoryName = new Map(ds.categories.map((c) => [c.id, c.name]));
  const reviews = new Map<string, string[]>();
  for (const e of ds.interactions) {
    if (e.reviewText === undefined || e.reviewText === null) continue;
    const list = reviews.get(e.productId) ?? [];
    if (list.length < 3) list.push(e.reviewText);
    reviews.set(e.productId, list);
  }
  return ds.products.map((p) =>
    productText({
      title: p.title,
      categories: p.categoryIds.map((id) => categoryName.get(id) ?? id),
      description: p.description,
      reviews: reviews.get(p.id) ?? [],
    }),
  );
}

async function loadTexts(kind: string, count: number): Promise<string[]> {
  if (kind === 'synthetic') {
    // Same shape as `affinity seed --synthetic`: ~20 events per product, a few of them reviews.
    return datasetTexts(generateSynthetic({ users: Math.max(100, count), products: count, events: count * 20, seed: 7 }));
  }
  if (kind === 'both') {
    const half = Math.ceil(count / 2);
    return [...(await loadTexts('synthetic', half)), ...(await loadTexts('movielens', count - half))];
  }
  if (kind === 'movielens') {
    const dir = resolve('.data/movielens/ml-latest-small');
    const texts = datasetTexts(await readGroupLens(dir));
    return texts.slice(0, count);
  }
  throw new Error(`--texts must be synthetic or movielens, got ${kind}`);
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function args(name: string): string[] {
  return process.argv.flatMap((a, i) => (a === `--${name}` && i + 1 < process.argv.length ? [process.argv[i + 1]] : []));
}

interface Measured {
  coldMs: number;
  /** Process CPU seconds (all threads) for the cold pass. */
  cpuSeconds: number;
  cachedMs: number;
  loadBefore: number;
  loadAfter: number;
}

async function measure(texts: string[], setup: Setup, modelDir: string): Promise<Measured> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'bench-embcache-'));
  const embedder = await TextEmbedder.create({ ...setup, modelDir, cacheDir });
  try {
    await embedder.embedMany(texts.slice(0, setup.batchSize * 4).map((t) => `warm-up ${t}`));
    const loadBefore = loadavg()[0];
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await embedder.embedMany(texts);
    const cpu = process.cpuUsage(cpu0);
    const coldMs = performance.now() - t0;
    const loadAfter = loadavg()[0];
    const t1 = performance.now();
    await embedder.embedMany(texts); // every text is in the cache now
    const cachedMs = performance.now() - t1;
    return { coldMs, cachedMs, cpuSeconds: (cpu.user + cpu.system) / 1e6, loadBefore, loadAfter };
  } finally {
    await embedder.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function tokenStats(texts: string[], modelDir: string, batchSize: number): string {
  const json: unknown = JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8'));
  const tokenizer = new WordPieceTokenizer(json, 256);
  const t0 = performance.now();
  const lengths = texts.map((t) => tokenizer.encode(t).ids.length);
  const tokenizeMs = (performance.now() - t0) / texts.length;
  const sorted = [...lengths].sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.floor(p * (sorted.length - 1))];
  const real = lengths.reduce((a, b) => a + b, 0);
  const padded = lengthSortedBatches(lengths, batchSize).reduce(
    (n, b) => n + b.length * Math.max(...b.map((k) => lengths[k])),
    0,
  );
  return (
    `tokens/text p10 ${q(0.1)}, median ${q(0.5)}, p90 ${q(0.9)}, max ${q(1)}, mean ${(real / texts.length).toFixed(1)}; ` +
    `${lengths.filter((l) => l > 128).length} over 128; padding at batch ${batchSize}: ${((padded / real - 1) * 100).toFixed(1)}%; ` +
    `tokenizer ${tokenizeMs.toFixed(2)} ms/text`
  );
}

async function main(): Promise<void> {
  const count = Number(arg('count') ?? 2000);
  const kind = arg('texts') ?? 'synthetic';
  const rounds = Number(arg('rounds') ?? 1);
  const models = args('model').map((m) => resolve(m));
  if (models.length === 0) models.push(resolve('.models/all-minilm-l6-v2'));
  const cores = availableParallelism();
  const texts = await loadTexts(kind, count);
  const words = texts.reduce((n, t) => n + t.split(' ').length, 0) / texts.length;
  const setups: Setup[] =
    arg('setups') === 'all'
      ? [
          { parallelism: 'sessions', threads: cores, batchSize: 16 },
          { parallelism: 'intra-op', threads: cores, batchSize: 16 },
          { parallelism: 'sessions', threads: 1, batchSize: 16 },
          { parallelism: 'sessions', threads: cores, batchSize: 32 },
        ]
      : [{ parallelism: 'sessions', threads: cores, batchSize: 16 }];
  console.log(`text-encode: ${texts.length} ${kind} product texts, ${words.toFixed(1)} words avg, ${cores} cores`);
  console.log(`  e.g. "${texts[0]}"`);
  console.log(`  ${tokenStats(texts, models[0], 16)}`);
  for (const m of models) console.log(`  model ${basename(m)}: ${readSource(m)}`);
  // "if idle": texts/s the same CPU work would give with `threads` cores to itself (CPU time / threads);
  // on a shared machine wall-clock texts/s understates what the encoder does.
  console.log('| model | parallelism | threads | batch | texts/s | CPU s | CPU ms/text | texts/s if idle | cached texts/s | load 1m before→after |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (let round = 0; round < rounds; round++) {
    for (const s of setups) {
      for (const model of models) {
        const m = await measure(texts, s, model);
        const cpuMsPerText = (m.cpuSeconds * 1000) / texts.length;
        const ifIdle = (1000 / cpuMsPerText) * s.threads;
        console.log(
          `| ${basename(model)} | ${s.parallelism} | ${s.threads} | ${s.batchSize} | ${((texts.length / m.coldMs) * 1000).toFixed(0)} | ` +
            `${m.cpuSeconds.toFixed(1)} | ${cpuMsPerText.toFixed(2)} | ${ifIdle.toFixed(0)} | ` +
            `${((texts.length / m.cachedMs) * 1000).toFixed(0)} | ${m.loadBefore.toFixed(1)}→${m.loadAfter.toFixed(1)} |`,
        );
      }
    }
  }
  const reference = arg('agreement');
  if (reference) await printAgreement(texts, models, resolve(reference));
}

/** Cosine of every text's vector under each model to its vector under the reference model. */
async function printAgreement(texts: string[], models: string[], reference: string): Promise<void> {
  const embed = async (modelDir: string): Promise<Float32Array[]> => {
    const embedder = await TextEmbedder.create({ modelDir, cacheDir: null });
    try {
      return await embedder.embedMany(texts);
    } finally {
      await embedder.close();
    }
  };
  const ref = await embed(reference);
  console.log(`\nagreement with ${basename(reference)} (${readSource(reference)}), cosine over ${texts.length} texts`);
  console.log('| model | median | 1st percentile | worst |');
  console.log('|---|---|---|---|');
  for (const model of models) {
    const vectors = await embed(model);
    const cos = vectors.map((v, i) => cosine(v, ref[i])).sort((a, b) => a - b);
    const at = (q: number): string => cos[Math.min(cos.length - 1, Math.floor(q * cos.length))].toFixed(4);
    console.log(`| ${basename(model)} | ${at(0.5)} | ${at(0.01)} | ${cos[0].toFixed(4)} |`);
  }
}

function readSource(modelDir: string): string {
  try {
    return readFileSync(join(modelDir, 'SOURCE'), 'utf8').trim();
  } catch {
    return '(no SOURCE marker)';
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

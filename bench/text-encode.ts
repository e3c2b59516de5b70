/**
 * Text encoder throughput: encodes N product-like texts (30–60 words) with each threading setup
 * and prints texts/s. Not part of `npm test`.
 *
 *   bash scripts/fetch-model.sh && npm run build && node dist/bench/text-encode.js [--count 2000] [--model DIR]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextEmbedder, type Parallelism } from '../src/ml/text';

interface Setup {
  parallelism: Parallelism;
  threads: number;
  batchSize: number;
}

const BRANDS = ['Nordvik', 'Acme', 'Lumen', 'Terra', 'Vanta', 'Kestrel', 'Oakridge', 'Pulse'];
const PRODUCTS = [
  'wireless headphones', 'running shoes', 'espresso machine', 'yoga mat', 'leather wallet', 'desk lamp',
  'hiking backpack', 'chef knife', 'smart watch', 'cotton t-shirt', 'air fryer', 'office chair',
];
const CATEGORIES = ['Electronics', 'Sports', 'Kitchen', 'Fashion', 'Home', 'Outdoors', 'Office'];
const WORDS = (
  'lightweight durable premium breathable waterproof ergonomic compact portable rechargeable organic ' +
  'stainless adjustable comfortable handmade modern classic quiet powerful soft sturdy elegant versatile ' +
  'battery life design fabric steel leather mesh grip charge fit colour size warranty delivery everyday ' +
  'travel gift quality customers love easy clean store perfect for with and the a of to in on daily use'
).split(' ');

/** Deterministic LCG so every run encodes the same texts. */
function productTexts(count: number): string[] {
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * n);
  };
  return Array.from({ length: count }, (_, i) => {
    const title = `${BRANDS[rnd(BRANDS.length)]} ${PRODUCTS[rnd(PRODUCTS.length)]} ${i}`;
    const words = Array.from({ length: 24 + rnd(31) }, () => WORDS[rnd(WORDS.length)]);
    return `${title}. ${CATEGORIES[rnd(CATEGORIES.length)]}. ${words.join(' ')}.`;
  });
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Measured {
  coldMs: number;
  /** Process CPU time (all threads) per encoded text: unlike wall time, not inflated by other load. */
  cpuMsPerText: number;
  cachedMs: number;
}

async function measure(texts: string[], setup: Setup, modelDir: string | undefined): Promise<Measured> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'bench-embcache-'));
  const embedder = await TextEmbedder.create({ ...setup, modelDir, cacheDir });
  try {
    await embedder.embedMany(texts.slice(0, setup.batchSize * 4).map((t) => `warm-up ${t}`));
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await embedder.embedMany(texts);
    const cpu = process.cpuUsage(cpu0);
    const coldMs = performance.now() - t0;
    const t1 = performance.now();
    await embedder.embedMany(texts); // every text is in the cache now
    const cachedMs = performance.now() - t1;
    return { coldMs, cachedMs, cpuMsPerText: (cpu.user + cpu.system) / 1000 / texts.length };
  } finally {
    await embedder.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const count = Number(arg('count') ?? 2000);
  const modelDir = arg('model');
  const cores = availableParallelism();
  const texts = productTexts(count);
  const words = texts.reduce((n, t) => n + t.split(' ').length, 0) / count;
  const setups: Setup[] = [
    { parallelism: 'sessions', threads: cores, batchSize: 16 },
    { parallelism: 'intra-op', threads: cores, batchSize: 16 },
    { parallelism: 'sessions', threads: 1, batchSize: 16 },
    { parallelism: 'sessions', threads: cores, batchSize: 32 },
  ];
  console.log(`text-encode: ${count} texts, ${words.toFixed(1)} words avg, ${cores} cores, load ${loadavg()[0].toFixed(1)}`);
  // "if idle": texts/s the same CPU work would give with `threads` cores to itself (CPU time / threads);
  // on a shared machine wall-clock texts/s understates what the encoder does.
  console.log('| parallelism | threads | batch | texts/s | ms/text | CPU ms/text | texts/s if idle | cached texts/s |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const s of setups) {
    const m = await measure(texts, s, modelDir);
    const ifIdle = (1000 / m.cpuMsPerText) * s.threads;
    console.log(
      `| ${s.parallelism} | ${s.threads} | ${s.batchSize} | ${((count / m.coldMs) * 1000).toFixed(0)} | ` +
        `${(m.coldMs / count).toFixed(2)} | ${m.cpuMsPerText.toFixed(2)} | ${ifIdle.toFixed(0)} | ` +
        `${((count / m.cachedMs) * 1000).toFixed(0)} |`,
    );
  }
  console.log(`load after: ${loadavg()[0].toFixed(1)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

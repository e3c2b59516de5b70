import { readdirSync, rmSync } from 'node:fs';
import { TextEmbedder, type EmbedProgress } from '../../../src/ml/text';
import { MODEL_DIR, tempCacheDir } from './helpers';

const PRODUCTS = [
  'Acme trail running shoes, breathable mesh, size 42',
  'Lumen LED desk lamp with wireless charging pad',
  'Terra organic green tea, 100 bags',
];

describe('TextEmbedder content-hash cache', () => {
  let cacheDir: string;
  beforeEach(() => {
    cacheDir = tempCacheDir();
  });
  afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('runs no inference for texts it has already encoded, even in a new process', async () => {
    const first = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir });
    const v1 = await first.embedMany(PRODUCTS);
    expect(first.stats.encodedTexts).toBe(3);
    const again = await first.embedMany(PRODUCTS);
    expect(first.stats.encodedTexts).toBe(3);
    expect(first.stats.cacheHits).toBe(3);
    expect(again).toEqual(v1);
    await first.close();

    // A fresh embedder reads the cache file: what a second `affinity train` run sees.
    const second = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir });
    const v2 = await second.embedMany(PRODUCTS);
    expect(second.stats).toEqual({ encodedTexts: 0, batches: 0, cacheHits: 3 });
    expect(v2).toEqual(v1);
    await second.close();
    expect(readdirSync(cacheDir)).toEqual([expect.stringMatching(/^[\w.-]+-[0-9a-f]{16}-L256\.f32$/)]);
  });

  it('re-encodes only the text that changed', async () => {
    const embedder = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir });
    const before = await embedder.embedMany(PRODUCTS);
    const changed = [...PRODUCTS];
    changed[1] = 'Lumen LED desk lamp with wireless charging pad and USB-C port';
    const after = await embedder.embedMany(changed);
    expect(embedder.stats.encodedTexts).toBe(4);
    expect(after[0]).toEqual(before[0]);
    expect(after[2]).toEqual(before[2]);
    expect(after[1]).not.toEqual(before[1]);
    await embedder.close();
  });

  it('encodes a text repeated within one call once', async () => {
    const embedder = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir });
    const [a, b, c] = await embedder.embedMany([PRODUCTS[0], PRODUCTS[1], PRODUCTS[0]]);
    expect(embedder.stats.encodedTexts).toBe(2);
    expect(c).toEqual(a);
    expect(b).not.toEqual(a);
    await embedder.close();
  });

  it('returns copies, so a caller changing a vector cannot corrupt the cache', async () => {
    const embedder = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir });
    const [v] = await embedder.embedMany([PRODUCTS[0]]);
    const kept = v.slice();
    v.fill(0);
    expect(await embedder.embed(PRODUCTS[0])).toEqual(kept);
    await embedder.close();
  });

  it('reports progress up to the total, counting cached texts', async () => {
    const embedder = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir, batchSize: 2 });
    await embedder.embedMany([PRODUCTS[0]]);
    const seen: EmbedProgress[] = [];
    await embedder.embedMany(PRODUCTS, { onProgress: (p) => seen.push(p) });
    expect(seen[0]).toEqual({ total: 3, done: 1, cached: 1 });
    expect(seen[seen.length - 1]).toEqual({ total: 3, done: 3, cached: 1 });
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((x, y) => x - y));
    await embedder.close();
  });
});

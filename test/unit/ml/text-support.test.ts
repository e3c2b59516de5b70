import { readFileSync, rmSync, statSync, appendFileSync } from 'node:fs';
import { lengthSortedBatches } from '../../../src/ml/text/batching';
import { EmbeddingCache } from '../../../src/ml/text/embedding-cache';
import { meanPoolNormalize } from '../../../src/ml/text/pooling';
import { tempCacheDir } from './helpers';

describe('meanPoolNormalize', () => {
  it('averages only the unmasked tokens and returns unit vectors', () => {
    // batch 2, seqLen 3, dim 2; row 1 has one real token, the rest is padding noise.
    const hidden = Float32Array.from([1, 0, 3, 0, 99, 99, 0, 2, 50, 50, 50, 50]);
    const [a, b] = meanPoolNormalize(hidden, [2, 1], 3, 2);
    expect(Array.from(a)).toEqual([1, 0]);
    expect(Array.from(b)).toEqual([0, 1]);
  });
});

describe('lengthSortedBatches', () => {
  it('groups similar lengths and keeps every index once', () => {
    const batches = lengthSortedBatches([5, 1, 9, 2, 8, 1], 2);
    expect(batches).toEqual([
      [1, 5],
      [3, 0],
      [4, 2],
    ]);
  });
});

describe('EmbeddingCache', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempCacheDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('persists vectors by sha256 of the text and drops a torn last record', async () => {
    const cache = await EmbeddingCache.open({ cacheDir: dir, modelId: 'm', dim: 3 });
    const h = EmbeddingCache.hash('hello');
    expect(h).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    await cache.put([{ hash: h, vector: Float32Array.from([0.5, -1, 2]) }]);
    await cache.close();
    appendFileSync(cache.path, Buffer.alloc(10)); // a write cut short by a crash
    const reopened = await EmbeddingCache.open({ cacheDir: dir, modelId: 'm', dim: 3 });
    expect(Array.from(reopened.get(h) ?? [])).toEqual([0.5, -1, 2]);
    expect(reopened.size).toBe(1);
    expect(statSync(cache.path).size).toBe(32 + 3 * 4);
    await reopened.close();
    expect(readFileSync(cache.path).subarray(0, 32).toString('hex')).toBe(h);
  });

  it('keeps caches of different models apart', async () => {
    const a = await EmbeddingCache.open({ cacheDir: dir, modelId: 'a', dim: 1 });
    await a.put([{ hash: EmbeddingCache.hash('x'), vector: Float32Array.from([1]) }]);
    await a.close();
    const b = await EmbeddingCache.open({ cacheDir: dir, modelId: 'b', dim: 1 });
    expect(b.get(EmbeddingCache.hash('x'))).toBeUndefined();
    await b.close();
  });
});

import { TextEmbedder } from '../../../src/ml/text';
import { cosine, MODEL_DIR } from './helpers';

/** Lengths vary a lot on purpose, so batches carry padding. */
const TEXTS = [
  'Mug',
  'Kestrel ceramic coffee mug, 350 ml, dishwasher safe',
  'Oakridge solid oak dining table for six people with a natural oil finish, made to order in our workshop; ' +
    'delivery in four weeks, assembly included, ten-year warranty on the frame.',
  'USB-C cable',
  'Pulse fitness tracker with heart-rate monitor, sleep tracking and seven-day battery life',
  'Vanta matte black water bottle',
  'Soft cotton baby blanket',
];

describe('TextEmbedder batching', () => {
  it.each([
    ['sessions', 2],
    ['intra-op', 2],
  ] as const)('gives the same vectors batched as one by one (%s, %i threads)', async (parallelism, threads) => {
    const embedder = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir: null, parallelism, threads, batchSize: 3 });
    const batched = await embedder.embedMany(TEXTS);
    const single: Float32Array[] = [];
    for (const t of TEXTS) single.push(await embedder.embed(t));
    batched.forEach((v, i) => {
      expect(cosine(v, single[i])).toBeGreaterThan(0.99999);
      for (let d = 0; d < v.length; d++) expect(Math.abs(v[d] - single[i][d])).toBeLessThan(1e-4);
    });
    expect(embedder.stats.batches).toBe(Math.ceil(TEXTS.length / 3) + TEXTS.length);
    await embedder.close();
  });

  it('gives the same vectors from the worker-thread sessions as from one session on the JS thread', async () => {
    const workers = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir: null, parallelism: 'sessions', threads: 2, batchSize: 2 });
    const inThread = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir: null, parallelism: 'sessions', threads: 1, batchSize: 2 });
    const [a, b] = [await workers.embedMany(TEXTS), await inThread.embedMany(TEXTS)];
    a.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(b[i])));
    await Promise.all([workers.close(), inThread.close()]);
  });

  it('closes while a worker is still creating its session without taking the process down', async () => {
    // Terminating a worker mid InferenceSession.create aborted the process ("Napi::Error").
    const embedder = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir: null, parallelism: 'sessions', threads: 2, batchSize: 1 });
    const running = embedder.embedMany(TEXTS.slice(0, 2));
    await embedder.close();
    await running.catch(() => undefined);
    const again = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir: null, parallelism: 'sessions', threads: 2 });
    expect((await again.embed('Mug')).length).toBe(384);
    await again.close();
  });

  it("gives a text the same vector whatever it is batched and padded with", async () => {
    // A per-batch activation scale (the published int8 graph) moves vectors by ~3e-2 here; the float and the
    // per-token int8 graph gave bit-identical vectors.
    const long = 'Ergonomic office chair with adjustable lumbar support, breathable mesh back. '.repeat(20);
    const embedder = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir: null, batchSize: 8 });
    for (const text of [TEXTS[1], TEXTS[4]]) {
      const alone = await embedder.embed(text);
      const [withLong] = await embedder.embedMany([text, long]);
      const [withShort] = await embedder.embedMany([text, 'Mug', TEXTS[5]]);
      for (const other of [withLong, withShort]) {
        for (let d = 0; d < alone.length; d++) expect(Math.abs(other[d] - alone[d])).toBeLessThan(1e-5);
      }
    }
    await embedder.close();
  });

  it('returns vectors in input order although batches are sorted by length', async () => {
    const embedder = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir: null, batchSize: 2 });
    const vectors = await embedder.embedMany(TEXTS);
    const reversed = await embedder.embedMany([...TEXTS].reverse());
    vectors.forEach((v, i) => expect(cosine(v, reversed[TEXTS.length - 1 - i])).toBeGreaterThan(0.99999));
    await embedder.close();
  });

  it('keeps input order across tokenisation chunks (the next chunk is tokenised while one runs)', async () => {
    // batchSize 2 -> 128 texts per chunk, so 300 texts take three chunks.
    const texts = Array.from({ length: 300 }, (_, i) => `${TEXTS[i % TEXTS.length]} (item ${i})`);
    const small = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir: null, batchSize: 2 });
    const chunked = await small.embedMany(texts);
    expect(small.stats.batches).toBe(150);
    await small.close();
    const single = await TextEmbedder.create({ modelDir: MODEL_DIR, cacheDir: null, batchSize: 64 });
    const picks = [0, 1, 127, 128, 129, 255, 256, 298, 299];
    const reference = await single.embedMany(picks.map((i) => texts[i]));
    await single.close();
    reference.forEach((v, j) => expect(cosine(v, chunked[picks[j]])).toBeGreaterThan(0.99999));
  });

  it('fails with a pointer to fetch-model.sh when the model is missing', async () => {
    await expect(TextEmbedder.create({ modelDir: '/nonexistent/model', cacheDir: null })).rejects.toThrow(
      /scripts\/fetch-model\.sh/,
    );
  });
});

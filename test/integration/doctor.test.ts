import type { Services } from '../../src/app';
import { runDoctor } from '../../src/cli/doctor';
import { testServices } from '../support/runtime';

describe('affinity doctor against the test Neo4j', () => {
  let services: Services;
  beforeAll(() => {
    services = testServices({ ADMIN_PORT: '1' });
  });
  afterAll(async () => {
    await services.close();
  });

  it('finds Neo4j, its version, the applied migrations and the vector indexes with their dimensions', async () => {
    const lines = await runDoctor(services.config, services);
    const line = (check: string) => lines.find((l) => l.check === check);
    expect(line('neo4j')).toMatchObject({ ok: true, detail: expect.stringMatching(/answers: Neo4j Kernel 5\.26\.\d+ community/) });
    expect(line('migrations')).toMatchObject({ ok: true, detail: expect.stringMatching(/^\d+ applied, none pending$/) });
    expect(line('indexes')).toMatchObject({ ok: true, detail: expect.stringContaining(`product_text_embedding ${services.config.embeddings.textDim}-d`) });
    expect(line('serving cache')?.detail).toMatch(/^no server answers on http:\/\/127\.0\.0\.1:1\/readyz/);
    // 'text encoder' only when the active version (whichever suite trained it last) took the other encoder's vectors.
    const encoderMismatch = line('text encoder') ? ['text encoder'] : [];
    expect(lines.map((l) => l.check)).toEqual(['node', 'java', 'neo4j', 'migrations', 'indexes', 'model version', ...encoderMismatch, 'text model', ...(line('encoder') ? ['encoder'] : []), 'serving cache', 'disk']);
  });

  it('says what to do when the text index was built for another encoder', async () => {
    const other = testServices({ TEXT_ENCODER: 'bge-small-zh-v1.5', ADMIN_PORT: '1' });
    try {
      const lines = await runDoctor(other.config, other);
      expect(lines.find((l) => l.check === 'indexes')).toMatchObject({
        ok: false,
        detail: expect.stringContaining(`product_text_embedding is ${services.config.embeddings.textDim}-d, expected 512`),
      });
      // The encoder check runs the configured encoder (it ran MiniLM's spec on bge's files and failed).
      expect(lines.find((l) => l.check === 'encoder')).toMatchObject({ ok: true, detail: 'encodes 512-d vectors (TEXT_EMBEDDING_DIM 512)' });
    } finally {
      await other.close();
    }
  });
});

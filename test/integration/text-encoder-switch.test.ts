/**
 * TEXT_ENCODER switched under an active model trained on the other encoder's vectors (MiniLM's
 * 384-d here, bge-small-zh's 512-d now): a product write still succeeds with the new text vectors
 * stored, the newcomer is not projected into the model's space (its text vector has the wrong
 * width), one warning says so and what to do, and the admin /readyz details name the mismatch.
 *
 * The shared text index stays 384-d: this suite writes 512-d text vectors only on its own products
 * (not indexed, nobody else's search sees them) and never resizes the index.
 */
import type { Services } from '../../src/app';
import { SLOTS } from '../../src/repositories/model-version.repository';
import { createLogger } from '../../src/observability/logger';
import { RunningServer, startServer } from '../../src/server';
import { ns, testServices } from '../support/runtime';
import { trainedShop } from '../support/trained-model';

describe('product writes after TEXT_ENCODER was switched', () => {
  /** Services on the encoder the model is trained on, and on the switched one. */
  let minilm: Services;
  let bge: Services;
  let server: RunningServer;
  let prefix: string;
  let versionId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    minilm = testServices();
    prefix = ns('encsw');
    ({ result: { versionId } } = await trainedShop(minilm, prefix, { train: { gat: { maxEpochs: 2, evalEvery: 1, patience: 1 } } }));
    bge = testServices({ TEXT_ENCODER: 'bge-small-zh-v1.5' });
    server = await startServer(bge, createLogger('warn', { write: (line: string) => void logLines.push(line) }), { port: 0, host: '127.0.0.1', adminPort: 0 });
  }, 600000);

  afterAll(async () => {
    await server?.close();
    await bge?.close();
    await minilm?.close();
  });

  async function stored(id: string): Promise<{ title: string | null; text: number[] | null; placed: number[] | null }> {
    const active = await minilm.activeModel.current();
    const [row] = await minilm.db.readOne<{ title: string | null; text: number[] | null; placed: number[] | null }>(
      { name: 'test.storedProduct', cypher: 'MATCH (p:Product {id: $id}) RETURN p.title AS title, p.textEmbedding AS text, p[$property] AS placed' },
      { id, property: SLOTS[active!.slot].property },
    );
    return row ?? { title: null, text: null, placed: null };
  }

  function encoderWarnings(): { level: number; msg: string; modelVersion: string }[] {
    return logLines.map((l) => JSON.parse(l) as { level: number; msg: string; modelVersion: string }).filter((l) => l.msg.includes('TEXT_ENCODER'));
  }

  it('is trained on 384-d MiniLM vectors, and places a newcomer written under that encoder', async () => {
    const active = await minilm.activeModel.current();
    expect(active?.id).toBe(versionId);
    expect(minilm.activeModel.textDim(active!)).toBe(384);
    const id = `${prefix}same-encoder`;
    await minilm.catalog.upsertProducts([{ id, title: 'Travel kettle', description: 'Folding silicone kettle for trips', price: 19, inStock: true, categoryIds: [] }]);
    const row = await stored(id);
    expect(row.text).toHaveLength(384);
    expect(row.placed).toHaveLength(active!.dim);
  });

  it('stores products written under the switched encoder with their 512-d text vectors, places none, and warns once', async () => {
    const first = `${prefix}switched-1`;
    const second = `${prefix}switched-2`;
    await expect(
      bge.catalog.upsertProducts([{ id: first, title: '降噪蓝牙耳机', description: '通勤路上安静听歌，续航三十小时', price: 299, inStock: true, categoryIds: [] }]),
    ).resolves.toBe(1);
    await expect(bge.catalog.upsertProducts([{ id: second, title: '保温杯', description: '不锈钢真空保温，十二小时', price: 59, inStock: true, categoryIds: [] }])).resolves.toBe(1);

    for (const id of [first, second]) {
      const row = await stored(id);
      expect(row.title).not.toBeNull();
      expect(row.text).toHaveLength(512);
      // The model cannot read a 512-d text vector: no vector in its space rather than a wrong one.
      expect(row.placed).toBeNull();
    }

    const warnings = encoderWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0].level).toBe(40);
    expect(warnings[0].modelVersion).toBe(versionId);
    expect(warnings[0].msg).toContain('384-d text vectors (all-minilm-l6-v2)');
    expect(warnings[0].msg).toContain('TEXT_ENCODER=bge-small-zh-v1.5 makes 512-d');
    expect(warnings[0].msg).toContain('affinity train');
    expect(warnings[0].msg).toContain('set TEXT_ENCODER back to all-minilm-l6-v2');
  });

  it("says in the admin /readyz details that the active model's encoder is not the configured one", async () => {
    const response = await fetch(`${server.adminUrl}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; textEncoder: Record<string, unknown> };
    expect(body.status).toBe('ready');
    expect(body.textEncoder).toMatchObject({
      configured: 'bge-small-zh-v1.5',
      configuredDim: 512,
      modelVersion: versionId,
      modelTextDim: 384,
      modelEncoder: 'all-minilm-l6-v2',
      matches: false,
    });
    expect(String(body.textEncoder.message)).toContain('affinity train');
  });
});

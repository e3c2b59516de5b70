import type { Services } from '../../src/app';
import { DatasetLoader } from '../../src/pipeline/load-dataset';
import type { EmbedTextReport } from '../../src/pipeline/embed-text';
import { trainingSnapshot } from '../../src/pipeline/training-snapshot';
import { generateSynthetic } from '../../seeds/synthetic/generate-synthetic';
import { prefixDataset } from '../support/fixtures';
import { ns, testServices } from '../support/runtime';

// What `affinity evaluate` and `affinity train` read (src/cli/commands/train.command.ts).
describe('the training snapshot of a freshly seeded database', () => {
  let services: Services;
  beforeAll(() => {
    services = testServices();
  });
  afterAll(async () => {
    await services.close();
  });

  it('encodes the missing product text first, and only once', async () => {
    const prefix = ns('fresh');
    const dataset = prefixDataset(generateSynthetic({ users: 12, products: 9, events: 120, seed: 3 }), prefix);
    await new DatasetLoader(services.repositories, 100).load(dataset);

    const reports: EmbedTextReport[] = [];
    const snapshot = await trainingSnapshot(services, { idPrefix: prefix, onEncoded: (r) => reports.push(r) });
    expect(reports[0]).toMatchObject({ products: 9, encoded: 9 });
    expect(snapshot.textDim).toBe(services.config.embeddings.textDim);
    const vectors = snapshot.itemTextEmbedding!;
    expect(vectors).toHaveLength(9 * snapshot.textDim!);
    for (let i = 0; i < 9; i++) expect(vectors.subarray(i * snapshot.textDim!, (i + 1) * snapshot.textDim!).some((v) => v !== 0)).toBe(true);

    await trainingSnapshot(services, { idPrefix: prefix, onEncoded: (r) => reports.push(r) });
    expect(reports[1]).toMatchObject({ products: 9, encoded: 0, unchanged: 9 });
  });
});

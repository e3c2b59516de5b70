/**
 * Text topics from MovieLens tags: tags.csv read as REVIEW events (`seed movielens --tags review`,
 * the same records as a generic texts.csv), loaded, clustered by `affinity topics`' service with the
 * configured English encoder, and shown as the taggers' textInterests.
 */
import * as path from 'node:path';
import type { Services } from '../../src/app';
import { DatasetLoader } from '../../src/pipeline/load-dataset';
import { TextEmbedder } from '../../src/ml/text';
import { TextTopicRepository } from '../../src/repositories/text-topic.repository';
import { TextTopicsService } from '../../src/pipeline/text-topics';
import { readGroupLens } from '../../seeds/readers/grouplens.reader';
import { prefixDataset } from '../support/fixtures';
import { ns, testServices } from '../support/runtime';

describe('text topics of MovieLens tags', () => {
  let services: Services;
  beforeAll(() => {
    services = testServices();
  });
  afterAll(async () => {
    await services.close();
  });

  it('clusters the tags into labelled topics and gives each tagger textInterests', async () => {
    const prefix = ns('tags');
    const dataset = prefixDataset(await readGroupLens(path.join(__dirname, '../fixtures/movielens-tiny'), { tags: 'review' }), prefix);
    await new DatasetLoader(services.repositories, 100).load(dataset);
    const embedder = new TextEmbedder({ encoder: services.config.models.textEncoder, modelDir: services.config.models.textModelDir, cacheDir: services.config.models.textCacheDir });
    try {
      const repo = new TextTopicRepository(services.db);
      const run = await new TextTopicsService(repo, embedder).run({ idPrefix: prefix, maxK: 3 });
      expect(run.texts).toBe(4);
      expect(run.users).toBe(3);
      expect(run.topics.length).toBeGreaterThanOrEqual(2);
      // "pixar" and "Pixar" embed alike (the encoder is uncased): one topic, named by it.
      const [u1, u2] = [await repo.interests(`${prefix}ml-u1`), await repo.interests(`${prefix}ml-u2`)];
      expect(u2).toHaveLength(1);
      expect(u2[0].label).toContain('pixar');
      expect(u1.map((i) => i.topic)).toContain(u2[0].topic);
      expect(u1.reduce((s, i) => s + i.weight, 0)).toBeCloseTo(1, 9);
    } finally {
      await embedder.close();
    }
  }, 120000);
});

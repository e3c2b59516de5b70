/**
 * The pipeline end to end in Chinese: a `--locale zh` synthetic shop encoded by bge-small-zh-v1.5
 * (TEXT_ENCODER), the text vector index resized to 512, the GAT trained and published on it, then
 * search in Chinese, recommendations with reasons, Chinese segment labels and review topics.
 *
 * The test database's text index is shared: this suite resizes it to 512 and back to the default
 * encoder's width when done (suites after it embed their own products again).
 */
import type { Services } from '../../src/app';
import type { Dataset } from '../../src/domain/records';
import { TEXT_ENCODERS, TextEmbedder } from '../../src/ml/text';
import { TextTopicRepository } from '../../src/repositories/text-topic.repository';
import { TextTopicsService } from '../../src/pipeline/text-topics';
import { ns, testServices } from '../support/runtime';
import { trainedShop } from '../support/trained-model';

describe('a Chinese shop end to end', () => {
  let services: Services;
  let prefix: string;
  let dataset: Dataset;
  const han = /\p{Script=Han}/u;

  beforeAll(async () => {
    services = testServices({ TEXT_ENCODER: 'bge-small-zh-v1.5' });
    prefix = ns('zh');
    ({ dataset } = await trainedShop(services, prefix, { locale: 'zh' }));
  }, 600000);

  afterAll(async () => {
    await services?.repositories.products.resizeTextIndex(TEXT_ENCODERS['all-minilm-l6-v2'].dim);
    await services?.close();
  });

  it('encodes product text with the 512-d Chinese encoder into an index as wide', async () => {
    expect(services.config.embeddings.textDim).toBe(512);
    expect(await services.repositories.products.textIndexDimension()).toBe(512);
  });

  it('finds Chinese products for a Chinese query', async () => {
    const headphones = new Set(dataset.products.filter((p) => p.categoryIds.includes(`${prefix}cat:electronics/headphones`)).map((p) => p.id));
    expect(headphones.size).toBeGreaterThan(0);
    const hits = await services.discovery.search('降噪蓝牙耳机', 5);
    const inCategory = hits.filter((h) => headphones.has(h.id)).length;
    expect(inCategory).toBeGreaterThanOrEqual(Math.min(3, headphones.size));
  });

  it('recommends with reasons that name the user\'s Chinese products', async () => {
    const counts = new Map<string, number>();
    for (const e of dataset.interactions) counts.set(e.userId, (counts.get(e.userId) ?? 0) + 1);
    const userId = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const page = await services.recommendations.recommend({ userId, first: 10 });
    expect(page.items.length).toBe(10);
    const similar = page.items.flatMap((i) => i.reasons).filter((r) => r.kind === 'SIMILAR_TO_INTERACTED');
    expect(similar.length).toBeGreaterThan(0);
    expect(similar.every((r) => han.test(r.text))).toBe(true);
  });

  it('labels segments in Chinese', async () => {
    // Segmenting also fits the profile model: minutes on a loaded 2-core machine.
    const run = await services.segmentation.run({ userIdPrefix: prefix, minK: 2, maxK: 3 });
    expect(run.segments.length).toBeGreaterThanOrEqual(2);
    for (const s of run.segments) expect(s.label).toMatch(han);
  }, 600000);

  it('finds the topics of the Chinese reviews and gives reviewers textInterests with Chinese labels', async () => {
    const embedder = new TextEmbedder({ encoder: 'bge-small-zh-v1.5', modelDir: services.config.models.textModelDir, cacheDir: services.config.models.textCacheDir });
    try {
      const run = await new TextTopicsService(new TextTopicRepository(services.db), embedder).run({ idPrefix: prefix, maxK: 6 });
      expect(run.topics.length).toBeGreaterThanOrEqual(2);
      for (const t of run.topics) expect(t.label).toMatch(han);
      const reviewer = dataset.interactions.find((e) => e.reviewText)?.userId ?? '';
      const interests = await services.textTopics.interests(reviewer);
      expect(interests.length).toBeGreaterThan(0);
      expect(interests.reduce((s, i) => s + i.weight, 0)).toBeCloseTo(1, 6);
      expect(interests[0].label).toMatch(han);
      expect(run.topics.map((t) => t.id)).toContain(interests[0].topic);
    } finally {
      await embedder.close();
    }
  }, 300000);
});

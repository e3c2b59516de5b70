import * as tf from '@tensorflow/tfjs';
import type { Services } from '../../src/app';
import type { Dataset } from '../../src/domain/records';
import { DatasetLoader } from '../../src/pipeline/load-dataset';
import { SnapshotService } from '../../src/pipeline/snapshot';
import { generateSynthetic } from '../../seeds/synthetic/generate-synthetic';
import type { GraphSnapshot } from '../../graph-models';
import { snapshotFromDataset } from '../../graph-models/data/from-dataset';
import { hashedTfidfEmbedding } from '../../graph-models/data/hashed-text-embedding';
import { createFitContext, prepareData } from '../../graph-models/eval/harness';
import { GatRecommender } from '../../graph-models/models/gat';
import { prefixDataset } from '../support/fixtures';
import { ns, testServices } from '../support/runtime';

/** The same records in other orders: users, products, each product's categories and the events reversed. */
function reordered(dataset: Dataset): Dataset {
  return {
    ...dataset,
    users: [...dataset.users].reverse(),
    categories: [...dataset.categories].reverse(),
    products: [...dataset.products].reverse().map((p) => ({ ...p, categoryIds: [...p.categoryIds].reverse() })),
    interactions: [...dataset.interactions].reverse(),
  };
}

/** The snapshot without text embeddings, as plain arrays, for toEqual. */
function plain(s: GraphSnapshot): Record<string, unknown> {
  return {
    userIds: s.userIds,
    itemIds: s.itemIds,
    eventUser: Array.from(s.eventUser),
    eventItem: Array.from(s.eventItem),
    eventTime: Array.from(s.eventTime),
    eventType: Array.from(s.eventType),
    eventRating: Array.from(s.eventRating),
    itemText: s.itemText,
    itemCategories: s.itemCategories,
  };
}

async function gatEmbeddings(snapshot: GraphSnapshot): Promise<{ users: Float32Array; items: Float32Array }> {
  const withText = { ...snapshot, textDim: 16, itemTextEmbedding: hashedTfidfEmbedding(snapshot.itemText, 16) };
  const data = prepareData(withText);
  const gat = new GatRecommender({ dim: 8, heads: 2, textRank: 4, maxEpochs: 2, evalEvery: 1, batchSize: 256, patience: 10 });
  await gat.fit(createFitContext(data, gat, { seed: 5 }));
  return gat.embeddings();
}

describe('files and Neo4j give the same snapshot', () => {
  let services: Services;
  let dataset: Dataset;
  let fromNeo4j: GraphSnapshot;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    services = testServices();
    const prefix = ns('determinism');
    const base = generateSynthetic({ users: 30, products: 20, events: 400, seed: 11 });
    // A product in several categories, and more reviews at one instant than its text takes.
    const product = base.products[0];
    product.categoryIds = [...new Set([...base.categories.slice(0, 3).map((c) => c.id).reverse(), ...product.categoryIds])];
    const at = base.interactions[0].at;
    for (const [i, k] of ['d', 'b', 'c', 'a'].entries()) {
      base.interactions.push({ eventId: `rev-${k}`, userId: base.users[i].id, productId: product.id, type: 'REVIEW', at, rating: 4, reviewText: `Review text ${k}` });
    }
    dataset = prefixDataset(base, prefix);
    // Stored in another order than the files list them, so storage order cannot line up by chance.
    await new DatasetLoader(services.repositories, 50).load(reordered(dataset));
    fromNeo4j = await new SnapshotService(services.repositories).build({ textDim: services.config.embeddings.textDim, idPrefix: prefix });
  });
  afterAll(async () => {
    await services.close();
  });

  it('has identical ids, events, categories and product texts', () => {
    const fromFiles = snapshotFromDataset(dataset);
    const text = fromFiles.itemText[fromFiles.itemIds.indexOf(dataset.products[0].id)];
    expect(text).toMatch(/Categories: [^.]+, [^.]+/);
    expect(text).toContain('Review: Review text a Review: Review text b Review: Review text c');
    expect(plain(fromNeo4j)).toEqual(plain(fromFiles));
    // Reading the files in another order changes nothing either.
    expect(plain(snapshotFromDataset(reordered(dataset)))).toEqual(plain(fromFiles));
  });

  it('trains the same GAT under one seed', async () => {
    const a = await gatEmbeddings(snapshotFromDataset(dataset));
    const b = await gatEmbeddings(fromNeo4j);
    expect(Buffer.from(b.users.buffer).equals(Buffer.from(a.users.buffer))).toBe(true);
    expect(Buffer.from(b.items.buffer).equals(Buffer.from(a.items.buffer))).toBe(true);
  });
});

/**
 * A small segmented world inside a test's namespace: a catalogue, three groups of users with
 * distinct behaviour and fake GAT embeddings (written into slot "a" of a model version of the
 * test's own), ready for SegmentationService.run scoped to the namespace.
 */
import type { Services } from '../../src/app';
import { ModelVersionRepository } from '../../src/repositories/model-version.repository';
import type { IncomingEvent } from '../../src/services/interaction.service';
import { Catalogue, makeCatalogue } from './fixtures';

export interface SegmentWorld {
  prefix: string;
  catalogue: Catalogue;
  versionId: string;
  /** User ids per group: recent category-A buyers, lapsed category-B viewers, occasional mixed. */
  groups: string[][];
}

const DAY = 86_400_000;
const END = Date.UTC(2024, 5, 30);
const DIM = 64;

export async function makeSegmentWorld(services: Services, prefix: string, perGroup = 8): Promise<SegmentWorld> {
  const catalogue = await makeCatalogue(services, prefix, 30);
  const even = catalogue.productIds.filter((_, i) => i % 2 === 0); // category A
  const odd = catalogue.productIds.filter((_, i) => i % 2 === 1); // category B
  const groups = [0, 1, 2].map((g) => Array.from({ length: perGroup }, (_, i) => `${prefix}g${g}u${i}`));
  const events: IncomingEvent[] = [];
  let n = 0;
  const push = (userId: string, productId: string, type: IncomingEvent['type'], daysAgo: number): void => {
    events.push({ eventId: `${prefix}e${n++}`, userId, productId, type, at: END - daysAgo * DAY });
  };
  groups[0].forEach((u, i) => {
    for (let d = 0; d < 12; d++) push(u, even[(i + d) % even.length], d % 3 === 0 ? 'PURCHASE' : 'VIEW', d * 5 + (i % 3));
  });
  groups[1].forEach((u, i) => {
    for (let d = 0; d < 4; d++) push(u, odd[(i + d) % odd.length], 'VIEW', 300 + d * 10 + i);
  });
  groups[2].forEach((u, i) => {
    for (let d = 0; d < 5; d++) push(u, d % 2 ? odd[(i + d) % odd.length] : even[(i + d) % even.length], d === 0 ? 'PURCHASE' : 'CLICK', 40 + d * 20 + i);
  });
  await services.catalog.upsertUsers(groups.flat().map((id) => ({ id })));
  for (let start = 0; start < events.length; start += 500) await services.interactions.record(events.slice(start, start + 500), END);

  const versions = new ModelVersionRepository(services.db);
  const versionId = `${prefix}model`;
  await versions.create({ id: versionId, dim: DIM, artifactDir: '/nonexistent', params: '{}', metrics: '{}' });
  await versions.setStatus(versionId, 'trained', 'a');
  const center = (g: number, d: number): number => Math.sin((g + 1) * 1.7 * (d + 1));
  await versions.writeVectors(
    'User',
    'a',
    groups.flatMap((ids, g) => ids.map((id, i) => ({ id, vector: Array.from({ length: DIM }, (_, d) => center(g, d) + 0.05 * Math.cos(i * 13 + d)) }))),
  );
  return { prefix, catalogue, versionId, groups };
}

export async function segmentWorld(services: Services, world: SegmentWorld, seed = 1) {
  return services.segmentation.run({ versionId: world.versionId, userIdPrefix: world.prefix, minK: 2, maxK: 4, seed, windowDays: 30 });
}

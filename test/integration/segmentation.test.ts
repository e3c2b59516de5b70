import type { Services } from '../../src/app';
import { TextTopicRepository } from '../../src/repositories/text-topic.repository';
import { makeSegmentWorld, segmentWorld, SegmentWorld } from '../support/segments';
import { ns, testServices } from '../support/runtime';

describe('segmentation (affinity segment)', () => {
  let services: Services;
  let world: SegmentWorld;

  beforeAll(async () => {
    services = testServices();
    world = await makeSegmentWorld(services, ns('seg'));
  });
  afterAll(async () => {
    await services.close();
  });

  async function assignments(): Promise<{ userId: string; segmentId: string; current: boolean; runId: string }[]> {
    return services.db.readOne(
      {
        name: 'test.assignments',
        cypher: `MATCH (u:User)-[:IN_SEGMENT]->(s:Segment) WHERE u.id STARTS WITH $prefix
                 RETURN u.id AS userId, s.id AS segmentId, s.current AS current, s.runId AS runId`,
      },
      { prefix: world.prefix },
    );
  }

  async function segmentsOfVersion(): Promise<{ id: string; runId: string; current: boolean }[]> {
    return services.db.readOne(
      { name: 'test.segments', cypher: 'MATCH (s:Segment {modelVersion: $v}) RETURN s.id AS id, s.runId AS runId, s.current AS current' },
      { v: world.versionId },
    );
  }

  it('finds the three behaviour groups, labels them and links every user once', async () => {
    const result = await segmentWorld(services, world);
    expect(result.k).toBe(3);
    expect(result.silhouette).toBeGreaterThan(0.5);
    expect(result.segments.map((s) => s.size)).toEqual([8, 8, 8]);
    expect(new Set(result.segments.map((s) => s.label)).size).toBe(3);
    expect(result.segments.map((s) => s.label).join('|')).toMatch(/lapsed b fans/);

    const rows = await assignments();
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.current && r.runId === result.runId)).toBe(true);
    for (const group of world.groups) {
      const segmentIds = new Set(rows.filter((r) => group.includes(r.userId)).map((r) => r.segmentId));
      expect(segmentIds.size).toBe(1);
    }
    const [row] = await services.db.readOne<{ size: number; top: string[] }>(
      { name: 'test.segment', cypher: 'MATCH (s:Segment {id: $id}) RETURN s.size AS size, s.topCategoryIds AS top' },
      { id: result.segments[0].id },
    );
    expect(row.size).toBe(8);
    expect(world.catalogue.categoryIds).toEqual(expect.arrayContaining(row.top));
  });

  it('replaces the previous assignment on a re-run: old segments gone, no user in two segments', async () => {
    const first = await segmentWorld(services, world, 1);
    const second = await segmentWorld(services, world, 2);
    expect(second.runId).not.toBe(first.runId);
    expect(second.removed).toBe(first.segments.length);

    const segments = await segmentsOfVersion();
    expect(segments.map((s) => s.id).sort()).toEqual(second.segments.map((s) => s.id).sort());
    expect(segments.every((s) => s.current && s.runId === second.runId)).toBe(true);
    const rows = await assignments();
    expect(rows).toHaveLength(24);
    expect(new Set(rows.map((r) => r.userId)).size).toBe(24);
  });

  it('stores a profile model with RFM breakpoints and an evaluation', async () => {
    const result = await segmentWorld(services, world);
    const model = await services.repositories.profileModels.current();
    expect(model?.id).toBe(result.profileModelId);
    expect(JSON.parse(model?.breakpoints ?? '{}')).toEqual({ recency: expect.any(Array), frequency: expect.any(Array), monetary: expect.any(Array) });
    expect(result.evaluation.rows.map((r) => `${r.task}: ${r.kind}`)).toEqual(['purchase propensity: model', 'purchase propensity: baseline', 'next category: model', 'next category: baseline']);
    expect(result.evaluation.rows.filter((r) => r.served).map((r) => r.task)).toEqual(['purchase propensity', 'next category']);
    const stored = JSON.parse(model?.model ?? '{}');
    expect(stored.propensity.served).toBe(result.evaluation.served.propensity);
    expect(stored.nextCategory.served).toBe(result.evaluation.served.nextCategory);
  });

  it('refuses a model version without published embeddings', async () => {
    await expect(services.segmentation.run({ versionId: `${world.prefix}missing`, minK: 2, maxK: 3 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('segment labels from what members write', () => {
  let services: Services;
  let world: SegmentWorld;
  beforeAll(async () => {
    services = testServices();
    world = await makeSegmentWorld(services, ns('segtopic'));
  });
  afterAll(async () => {
    await services.close();
  });

  it('names the mixed group by the topic only it writes about; the category groups keep their labels', async () => {
    // Group 2 buys both categories (category lift near 1); only its members write about the topic
    // (topic lift 24 / 8 = 3): the topic says more. Groups 0 and 1 wrote nothing.
    const topicId = `${world.prefix}topic0`;
    await new TextTopicRepository(services.db).replace({
      scope: world.prefix,
      runId: `${world.prefix}run`,
      topics: [{ id: topicId, label: 'twist · ending · surprise', terms: ['twist', 'ending', 'surprise'], size: 8 }],
      interests: world.groups[2].map((userId) => ({ userId, topicId, weight: 1 })),
    });
    const result = await segmentWorld(services, world);
    const rows = await services.db.readOne<{ userId: string; label: string }>(
      { name: 'test.labels', cypher: 'MATCH (u:User)-[:IN_SEGMENT]->(s:Segment {current: true}) WHERE u.id STARTS WITH $prefix RETURN u.id AS userId, s.label AS label' },
      { prefix: world.prefix },
    );
    const labelOf = (userId: string): string | undefined => rows.find((r) => r.userId === userId)?.label;
    expect(result.k).toBe(3);
    expect(labelOf(world.groups[2][0])).toMatch(/ fans of twist & ending$/);
    expect(labelOf(world.groups[0][0])).not.toMatch(/twist/);
    expect(labelOf(world.groups[1][0])).toMatch(/lapsed b fans/);
  });
});

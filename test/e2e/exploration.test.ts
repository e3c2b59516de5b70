import type { Services } from '../../src/app';
import { ModelVersionRepository } from '../../src/repositories/model-version.repository';
import type { RunningServer } from '../../src/server';
import { gql, keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';

interface Catalogue {
  categoryIds: string[];
  productIds: string[];
}

/**
 * Products 0..n-1 (even ones in cat-a, odd ones in cat-b, both under cat-root), written through the
 * repositories: the graph is what these tests look at, not the text index the catalogue service feeds.
 */
async function makeCatalogue(services: Services, prefix: string, products: number): Promise<Catalogue> {
  const categoryIds = [`${prefix}cat-root`, `${prefix}cat-a`, `${prefix}cat-b`];
  await services.repositories.categories.upsert([
    { id: categoryIds[0], name: 'Root' },
    { id: categoryIds[1], name: 'A', parentId: categoryIds[0] },
    { id: categoryIds[2], name: 'B', parentId: categoryIds[0] },
  ]);
  const productIds = Array.from({ length: products }, (_, i) => `${prefix}p${String(i).padStart(3, '0')}`);
  await services.repositories.products.upsert(
    productIds.map((id, i) => ({
      id,
      title: `${prefix} product ${i}`,
      price: 10 + i,
      currency: 'EUR',
      brand: i % 2 === 0 ? 'Acme' : 'Globex',
      inStock: i % 5 !== 0,
      categoryIds: [categoryIds[i % 2 === 0 ? 1 : 2]],
    })),
  );
  return { categoryIds, productIds };
}

/** Segments belong to the segmentation job; tests write the documented shape directly. */
const MAKE_SEGMENT = {
  name: 'test.makeSegment',
  cypher: `MERGE (s:Segment {id: $id}) SET s.modelVersion = $modelVersion, s.label = $label, s.size = size($userIds)
           WITH s UNWIND $userIds AS uid MATCH (u:User {id: uid}) MERGE (u)-[:IN_SEGMENT]->(s)`,
};

/** A hub product with many users, each of whom also viewed one of 30 side products. */
const MAKE_HUB = {
  name: 'test.makeHub',
  cypher: `MATCH (hub:Product {id: $hubId})
           UNWIND range(1, $users) AS i
           WITH hub, i, $prefix + 'side' + (i % 30) AS sideId
           MERGE (side:Product {id: sideId}) ON CREATE SET side.title = 'side ' + (i % 30), side.inStock = true
           CREATE (u:User {id: $prefix + 'hu' + i})
           CREATE (u)-[:INTERACTED {eventId: $prefix + 'he' + i, type: 'VIEW', at: datetime(), weight: 1.0}]->(hub)
           CREATE (u)-[:INTERACTED {eventId: $prefix + 'hs' + i, type: 'VIEW', at: datetime(), weight: 1.0}]->(side)`,
};

const DELETE_VERSION = { name: 'test.deleteVersion', cypher: 'MATCH (m:ModelVersion {id: $id}) DETACH DELETE m' };

const NODE = 'id domainId label title properties';
const NEIGHBORHOOD = `query($nodeId: ID!, $depth: Int, $limit: Int) {
  neighborhood(nodeId: $nodeId, depth: $depth, limit: $limit) { center { ${NODE} } nodes { ${NODE} } edges { source target type weight count } truncated depth }
}`;

interface Node {
  id: string;
  domainId: string;
  label: string;
  title: string | null;
  properties: Record<string, unknown>;
}
interface Edge {
  source: string;
  target: string;
  type: string;
  weight: number;
  count: number;
}
interface NeighborhoodData {
  neighborhood: { center: Node; nodes: Node[]; edges: Edge[]; truncated: boolean; depth: number };
}

describe('analyst exploration over HTTP', () => {
  let services: Services;
  let server: RunningServer;
  let analyst: string;
  let admin: string;
  let frontend: string;
  let partner: string;
  let prefix: string;
  let catalogue: Catalogue;
  const versionIds: string[] = [];
  const p = (i: number): string => catalogue.productIds[i];
  const u = (i: number): string => `${prefix}u${i}`;

  beforeAll(async () => {
    services = testServices();
    server = await startTestServer(services);
    [analyst, admin, frontend] = await Promise.all([keyFor(services, 'analyst'), keyFor(services, 'admin'), keyFor(services, 'frontend')]);
    partner = await keyFor(services, 'partner', ns('partner'));
    prefix = ns('an');
    catalogue = await makeCatalogue(services, prefix, 10);
    // Even products are in cat-a, odd ones in cat-b; both under cat-root.
    const events: [number, number, 'VIEW' | 'PURCHASE'][] = [
      [1, 0, 'PURCHASE'],
      [1, 0, 'VIEW'],
      [1, 1, 'VIEW'],
      [2, 0, 'PURCHASE'],
      [2, 2, 'PURCHASE'],
      [3, 1, 'VIEW'],
      [3, 2, 'PURCHASE'],
      [4, 2, 'VIEW'],
      [5, 0, 'VIEW'],
      [5, 2, 'VIEW'],
    ];
    const outcome = await services.interactions.record(
      events.map(([user, product, type], n) => ({ eventId: `${prefix}e${n}`, userId: u(user), productId: p(product), type, at: 1700000000000 + n * 1000 })),
    );
    expect(outcome.accepted).toBe(events.length);
  });

  afterAll(async () => {
    for (const id of versionIds) await services.db.writeOne(DELETE_VERSION, { id });
    await server.close();
    await services.close();
  });

  describe('neighborhood', () => {
    it('returns a product with its users (one edge per pair, weights summed) and its category', async () => {
      const res = await gql<NeighborhoodData>(server.url, NEIGHBORHOOD, { nodeId: `product:${p(0)}` }, analyst);
      expect(res.errors).toBeUndefined();
      const n = res.data!.neighborhood;
      expect(n.center).toMatchObject({ id: `product:${p(0)}`, domainId: p(0), label: 'Product', title: `${prefix} product 0` });
      expect(n.center.properties).toMatchObject({ price: 10, brand: 'Acme', inStock: false });
      expect(n.nodes.map((x) => x.id).sort()).toEqual([`category:${catalogue.categoryIds[1]}`, `product:${p(0)}`, `user:${u(1)}`, `user:${u(2)}`, `user:${u(5)}`].sort());
      const edge = (source: string): Edge | undefined => n.edges.find((e) => e.source === source && e.target === `product:${p(0)}`);
      expect(edge(`user:${u(1)}`)).toEqual({ source: `user:${u(1)}`, target: `product:${p(0)}`, type: 'INTERACTED', weight: 6, count: 2 });
      expect(edge(`user:${u(2)}`)).toMatchObject({ weight: 5, count: 1 });
      expect(n.edges).toContainEqual({ source: `product:${p(0)}`, target: `category:${catalogue.categoryIds[1]}`, type: 'IN_CATEGORY', weight: 1, count: 1 });
      expect(n.truncated).toBe(false);
    });

    it('walks two hops and stops at the node limit with truncated set', async () => {
      const two = await gql<NeighborhoodData>(server.url, NEIGHBORHOOD, { nodeId: `product:${p(0)}`, depth: 2 }, analyst);
      const ids = two.data!.neighborhood.nodes.map((x) => x.id);
      expect(ids).toEqual(expect.arrayContaining([`product:${p(1)}`, `product:${p(2)}`, `product:${p(4)}`, `category:${catalogue.categoryIds[0]}`]));
      expect(ids).not.toContain(`product:${p(3)}`);
      expect(ids).not.toContain(`category:${catalogue.categoryIds[2]}`);

      const small = await gql<NeighborhoodData>(server.url, NEIGHBORHOOD, { nodeId: `product:${p(0)}`, depth: 2, limit: 3 }, analyst);
      expect(small.data!.neighborhood.nodes).toHaveLength(3);
      expect(small.data!.neighborhood.truncated).toBe(true);
    });

    it('addresses categories whose ids contain colons and users by their id', async () => {
      const res = await gql<NeighborhoodData>(server.url, NEIGHBORHOOD, { nodeId: `user:${u(3)}` }, analyst);
      expect(res.data!.neighborhood.nodes.map((x) => x.id).sort()).toEqual([`product:${p(1)}`, `product:${p(2)}`, `user:${u(3)}`].sort());
    });

    it('refuses depth 4, a malformed address and an oversized limit with BAD_USER_INPUT, an unknown node with NOT_FOUND', async () => {
      const deep = await gql(server.url, NEIGHBORHOOD, { nodeId: `product:${p(0)}`, depth: 4 }, analyst);
      expect(deep.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(deep.errors?.[0].message).toMatch(/depth must be an integer from 1 to 3/);
      const bad = await gql(server.url, NEIGHBORHOOD, { nodeId: p(0) }, analyst);
      expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0].message).toMatch(/"product:<id>"/);
      const big = await gql(server.url, NEIGHBORHOOD, { nodeId: `product:${p(0)}`, limit: 100000 }, analyst);
      expect(big.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const missing = await gql(server.url, NEIGHBORHOOD, { nodeId: `user:${prefix}nobody` }, analyst);
      expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });

    it('lets admin in and refuses frontend and partner keys with FORBIDDEN', async () => {
      expect((await gql(server.url, NEIGHBORHOOD, { nodeId: `product:${p(0)}` }, admin)).errors).toBeUndefined();
      for (const key of [frontend, partner]) {
        const res = await gql(server.url, NEIGHBORHOOD, { nodeId: `product:${p(0)}` }, key);
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect(res.data).toBeNull();
      }
    });

    it('answers depth 3 around a hub with thousands of users quickly, bounded and flagged truncated', async () => {
      const hubPrefix = ns('hub');
      const hubId = `${hubPrefix}hub`;
      await services.repositories.products.upsert([{ id: hubId, title: 'Blockbuster', inStock: true, categoryIds: [] }]);
      await services.db.writeOne(MAKE_HUB, { hubId, prefix: hubPrefix, users: 3000 });
      const started = Date.now();
      const res = await gql<NeighborhoodData>(server.url, NEIGHBORHOOD, { nodeId: `product:${hubId}`, depth: 3, limit: 500 }, analyst);
      const ms = Date.now() - started;
      expect(res.errors).toBeUndefined();
      const n = res.data!.neighborhood;
      expect(n.truncated).toBe(true);
      expect(n.nodes.length).toBeLessThanOrEqual(500);
      expect(n.nodes.length).toBeGreaterThan(50);
      expect(ms).toBeLessThan(5000);

      const co = await gql<{ coPurchase: { usersSampled: number; truncated: boolean; items: { users: number }[] } }>(
        server.url,
        `{ coPurchase(productId: "${hubId}", first: 5) { usersSampled truncated items { users } } }`,
        {},
        analyst,
      );
      expect(co.data!.coPurchase.usersSampled).toBe(2000);
      expect(co.data!.coPurchase.truncated).toBe(true);
      expect(co.data!.coPurchase.items).toHaveLength(5);
    });
  });

  describe('paths', () => {
    const PATHS = `query($from: ID!, $to: ID!, $maxHops: Int, $limit: Int) {
      paths(from: $from, to: $to, maxHops: $maxHops, limit: $limit) { truncated paths { length nodes { id } edges { source target type } } }
    }`;
    type PathsData = { paths: { truncated: boolean; paths: { length: number; nodes: { id: string }[]; edges: Edge[] }[] } };

    it('finds the shortest path between two users through a shared product', async () => {
      const res = await gql<PathsData>(server.url, PATHS, { from: `user:${u(1)}`, to: `user:${u(3)}`, maxHops: 2 }, analyst);
      expect(res.errors).toBeUndefined();
      expect(res.data!.paths.paths).toEqual([
        {
          length: 2,
          nodes: [{ id: `user:${u(1)}` }, { id: `product:${p(1)}` }, { id: `user:${u(3)}` }],
          edges: [
            { source: `user:${u(1)}`, target: `product:${p(1)}`, type: 'INTERACTED' },
            { source: `user:${u(3)}`, target: `product:${p(1)}`, type: 'INTERACTED' },
          ],
        },
      ]);
      const none = await gql<PathsData>(server.url, PATHS, { from: `user:${u(1)}`, to: `user:${u(3)}`, maxHops: 1 }, analyst);
      expect(none.data!.paths.paths).toEqual([]);
    });

    it('returns distinct node sequences of all shortest paths, up to the limit', async () => {
      const all = await gql<PathsData>(server.url, PATHS, { from: `user:${u(1)}`, to: `user:${u(4)}`, maxHops: 4 }, analyst);
      const sequences = all.data!.paths.paths.map((x) => x.nodes.map((n) => n.id).join(' '));
      // u1-p0-u2-p2-u4, u1-p0-u5-p2-u4, u1-p1-u3-p2-u4 and u1-p0-cat-a-p2-u4; u1's two events on p0 count once.
      expect(sequences.sort()).toEqual(
        [
          `user:${u(1)} product:${p(0)} user:${u(2)} product:${p(2)} user:${u(4)}`,
          `user:${u(1)} product:${p(0)} user:${u(5)} product:${p(2)} user:${u(4)}`,
          `user:${u(1)} product:${p(1)} user:${u(3)} product:${p(2)} user:${u(4)}`,
          `user:${u(1)} product:${p(0)} category:${catalogue.categoryIds[1]} product:${p(2)} user:${u(4)}`,
        ].sort(),
      );
      expect(all.data!.paths.paths.every((x) => x.length === 4)).toBe(true);
      const two = await gql<PathsData>(server.url, PATHS, { from: `user:${u(1)}`, to: `user:${u(4)}`, maxHops: 4, limit: 2 }, analyst);
      expect(two.data!.paths.paths).toHaveLength(2);
      expect(two.data!.paths.truncated).toBe(true);
    });

    it('refuses maxHops 5 with BAD_USER_INPUT', async () => {
      const res = await gql(server.url, PATHS, { from: `user:${u(1)}`, to: `user:${u(4)}`, maxHops: 5 }, analyst);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(/maxHops must be an integer from 1 to 4/);
    });
  });

  describe('coPurchase', () => {
    const CO = `query($id: ID!, $types: [InteractionType!]) {
      coPurchase(productId: $id, types: $types) { productId usersSampled truncated items { productId users events share product { title } } }
    }`;

    it('ranks products by how many of the product’s users also interacted with them', async () => {
      const res = await gql<{ coPurchase: unknown }>(server.url, CO, { id: p(0) }, analyst);
      expect(res.data!.coPurchase).toEqual({
        productId: p(0),
        usersSampled: 3,
        truncated: false,
        items: [
          { productId: p(2), users: 2, events: 2, share: 2 / 3, product: { title: `${prefix} product 2` } },
          { productId: p(1), users: 1, events: 1, share: 1 / 3, product: { title: `${prefix} product 1` } },
        ],
      });
    });

    it('counts only the given event types, e.g. bought together', async () => {
      const res = await gql<{ coPurchase: { usersSampled: number; items: { productId: string; users: number }[] } }>(server.url, CO, { id: p(0), types: ['PURCHASE'] }, analyst);
      expect(res.data!.coPurchase.usersSampled).toBe(2);
      expect(res.data!.coPurchase.items.map((i) => [i.productId, i.users])).toEqual([[p(2), 1]]);
    });

    it('answers NOT_FOUND for an unknown product', async () => {
      const res = await gql(server.url, CO, { id: `${prefix}nothing` }, analyst);
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('segmentOverlap', () => {
    it('counts members in both segments and the Jaccard index for every pair', async () => {
      const [a, b, c] = [`${prefix}segA`, `${prefix}segB`, `${prefix}segC`];
      await services.db.writeOne(MAKE_SEGMENT, { id: a, modelVersion: `${prefix}v`, label: 'A fans', userIds: [u(1), u(2), u(3)] });
      await services.db.writeOne(MAKE_SEGMENT, { id: b, modelVersion: `${prefix}v`, label: 'B fans', userIds: [u(2), u(3), u(4)] });
      await services.db.writeOne(MAKE_SEGMENT, { id: c, modelVersion: `${prefix}v`, label: 'C fans', userIds: [u(5)] });
      const res = await gql<{ segmentOverlap: unknown }>(
        server.url,
        `query($ids: [ID!]!) { segmentOverlap(segmentIds: $ids) { segments { id label members } pairs { a b both union jaccard } } }`,
        { ids: [a, b, c] },
        analyst,
      );
      expect(res.data!.segmentOverlap).toEqual({
        segments: [
          { id: a, label: 'A fans', members: 3 },
          { id: b, label: 'B fans', members: 3 },
          { id: c, label: 'C fans', members: 1 },
        ],
        pairs: expect.arrayContaining([
          { a, b, both: 2, union: 4, jaccard: 0.5 },
          { a, b: c, both: 0, union: 4, jaccard: 0 },
          { a: b, b: c, both: 0, union: 4, jaccard: 0 },
        ]),
      });
      const one = await gql(server.url, `{ segmentOverlap(segmentIds: ["${a}"]) { pairs { jaccard } } }`, {}, analyst);
      expect(one.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const unknown = await gql(server.url, `{ segmentOverlap(segmentIds: ["${a}", "${prefix}none"]) { pairs { jaccard } } }`, {}, analyst);
      expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('graphStats', () => {
    it('counts nodes, relationships and events consistently with the data', async () => {
      type Count = { name: string; count: number };
      const res = await gql<{ graphStats: { labels: Count[]; relationships: Count[]; events: Count[]; density: number } }>(
        server.url,
        '{ graphStats { labels { name count } relationships { name count } events { name count } density } }',
        {},
        analyst,
      );
      const stats = res.data!.graphStats;
      const get = (rows: Count[], name: string): number => rows.find((r) => r.name === name)?.count ?? -1;
      expect(get(stats.labels, 'User')).toBeGreaterThanOrEqual(5);
      expect(get(stats.labels, 'Product')).toBeGreaterThanOrEqual(10);
      expect(get(stats.labels, 'Category')).toBeGreaterThanOrEqual(3);
      expect(get(stats.events, 'PURCHASE')).toBeGreaterThanOrEqual(4);
      expect(stats.events.map((e) => e.name)).toEqual(['VIEW', 'CLICK', 'CART', 'PURCHASE', 'RATE', 'REVIEW']);
      // Every INTERACTED relationship has exactly one event type.
      expect(stats.events.reduce((s, e) => s + e.count, 0)).toBe(get(stats.relationships, 'INTERACTED'));
      expect(stats.density).toBeCloseTo(get(stats.relationships, 'INTERACTED') / (get(stats.labels, 'User') * get(stats.labels, 'Product')), 12);
    });
  });

  describe('modelVersions and segmentScatter', () => {
    const versions = (): ModelVersionRepository => new ModelVersionRepository(services.db);
    const split = (users: number, base: number) => ({
      on: 'test',
      users,
      ks: [10, 20],
      recall: { 10: base, 20: base * 2 },
      ndcg: { 10: base / 2, 20: base },
      hitRate: { 10: base * 3, 20: base * 4 },
      coverage: { 10: 0.1, 20: 0.2 },
      seconds: 1,
    });

    it('lists versions with the stored evaluation as rows per model and split', async () => {
      const id = `${prefix}mv-metrics`;
      versionIds.push(id);
      const runs = [{ name: 'gat', fitSeconds: 3, fit: { epochs: 5 }, validation: split(40, 0.1), test: split(50, 0.2) }, { name: 'popularity', fitSeconds: 0, fit: { epochs: 0 }, validation: split(40, 0.05), test: split(50, 0.06) }];
      await versions().create({ id, dim: 64, artifactDir: '/tmp/none', params: JSON.stringify({ layers: 2 }), metrics: JSON.stringify(runs) });
      const res = await gql<{ modelVersions: { id: string; active: boolean; status: string; params: unknown; evaluation: Record<string, unknown>[]; metrics: unknown }[] }>(
        server.url,
        '{ modelVersions(limit: 100) { id active status params metrics evaluation { model split users recallAt10 recallAt20 ndcgAt10 ndcgAt20 hitRateAt20 coverageAt20 } } }',
        {},
        analyst,
      );
      expect(res.errors).toBeUndefined();
      const mine = res.data!.modelVersions.find((v) => v.id === id)!;
      expect(mine).toMatchObject({ active: false, status: 'trained', params: { layers: 2 } });
      expect(mine.metrics).toEqual(JSON.parse(JSON.stringify(runs)));
      expect(mine.evaluation).toHaveLength(4);
      expect(mine.evaluation[1]).toEqual({ model: 'gat', split: 'test', users: 50, recallAt10: 0.2, recallAt20: 0.4, ndcgAt10: 0.1, ndcgAt20: 0.2, hitRateAt20: 0.8, coverageAt20: 0.2 });
      expect(mine.evaluation.map((r) => `${r.model}/${r.split}`)).toEqual(['gat/validation', 'gat/test', 'popularity/validation', 'popularity/test']);
    });

    it('projects the users of chosen segments to 2-D so that separated clusters stay apart', async () => {
      const id = `${prefix}mv-scatter`;
      versionIds.push(id);
      const dim = services.config.embeddings.graphDim;
      await versions().create({ id, dim, artifactDir: '/tmp/none', params: '{}', metrics: '[]' });
      await versions().setStatus(id, 'published', 'b');
      const users = Array.from({ length: 12 }, (_, i) => `${prefix}su${i}`);
      await services.catalog.upsertUsers(users.map((uid) => ({ id: uid })));
      // Two clusters along the first axis with a little spread along the others.
      const vector = (i: number): number[] => Array.from({ length: dim }, (_, d) => (d === 0 ? (i < 6 ? 5 : -5) : Math.sin(i * 7 + d) * 0.3));
      await versions().writeVectors('User', 'b', users.map((uid, i) => ({ id: uid, vector: vector(i) })));
      const [near, far] = [`${prefix}near`, `${prefix}far`];
      await services.db.writeOne(MAKE_SEGMENT, { id: near, modelVersion: id, label: 'near', userIds: users.slice(0, 6) });
      await services.db.writeOne(MAKE_SEGMENT, { id: far, modelVersion: id, label: 'far', userIds: users.slice(6) });
      const res = await gql<{ segmentScatter: { modelVersion: string; explainedVariance: number[]; points: { userId: string; x: number; y: number; segmentId: string; segmentLabel: string }[] } }>(
        server.url,
        `query($v: ID, $s: [ID!]) { segmentScatter(modelVersion: $v, segmentIds: $s) { modelVersion explainedVariance points { userId x y segmentId segmentLabel } } }`,
        { v: id, s: [near, far] },
        analyst,
      );
      expect(res.errors).toBeUndefined();
      const scatter = res.data!.segmentScatter;
      expect(scatter.modelVersion).toBe(id);
      expect(scatter.points).toHaveLength(12);
      expect(scatter.explainedVariance[0]).toBeGreaterThan(0.9);
      const xs = (segment: string): number[] => scatter.points.filter((pt) => pt.segmentId === segment).map((pt) => pt.x);
      expect(xs(near)).toHaveLength(6);
      const [nearSign, farSign] = [Math.sign(xs(near)[0]), Math.sign(xs(far)[0])];
      expect(nearSign).toBe(-farSign);
      expect(xs(near).every((x) => Math.sign(x) === nearSign && Math.abs(x) > 4)).toBe(true);
      expect(xs(far).every((x) => Math.sign(x) === farSign)).toBe(true);
      expect(scatter.points.find((pt) => pt.userId === users[0])?.segmentLabel).toBe('near');
    });

    it('refuses the frontend role', async () => {
      const res = await gql(server.url, '{ modelVersions { id } }', {}, frontend);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    });
  });
});

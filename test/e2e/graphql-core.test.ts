import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { Catalogue, event, makeCatalogue } from '../support/fixtures';
import { ProductPageDocument, ProductPageQuery, RecordInteractionsDocument, UserHistoryDocument } from '../generated/graphql';
import { GraphQLResponse, gql, gqlOp, keyFor, startTestServer } from '../support/http';
import { ns, testServices } from '../support/runtime';

const RECORD = `mutation Record($events: [InteractionInput!]!) {
  recordInteractions(events: $events) { accepted duplicates rejected results { eventId status reason } }
}`;

describe('GraphQL core over HTTP', () => {
  let services: Services;
  let server: RunningServer;
  let admin: string;
  let frontend: string;
  let analyst: string;
  let partner: string;
  let catalogue: Catalogue;

  beforeAll(async () => {
    services = testServices();
    // Apollo drops stack traces by itself only under NODE_ENV test or production (read when the
    // server is built): build it as `npm start` runs it, so the stack-trace test means something.
    const nodeEnv = process.env.NODE_ENV;
    delete process.env.NODE_ENV;
    server = await startTestServer(services);
    if (nodeEnv !== undefined) process.env.NODE_ENV = nodeEnv;
    [admin, frontend, analyst] = await Promise.all([keyFor(services, 'admin'), keyFor(services, 'frontend'), keyFor(services, 'analyst')]);
    partner = await keyFor(services, 'partner', ns('partner'));
    catalogue = await makeCatalogue(services, ns('core'));
  });
  afterAll(async () => {
    await server.close();
    await services.close();
  });

  describe('authentication and roles', () => {
    it('gives no data without a key', async () => {
      const res = await gql(server.url, `{ product(id: "${catalogue.productIds[0]}") { id } }`);
      expect(res.data).toBeNull();
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('answers 401 UNAUTHENTICATED for an unknown key', async () => {
      const res = await gql(server.url, '{ categories { id } }', {}, 'aff_not-a-real-key');
      expect(res.status).toBe(401);
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('accepts the key in x-api-key as well as Authorization: Bearer', async () => {
      const res = await gql(server.url, `{ product(id: "${catalogue.productIds[1]}") { id } }`, {}, frontend, 'x-api-key');
      expect(res.data).toEqual({ product: { id: catalogue.productIds[1] } });
    });

    it.each([
      ['partner', 'recordInteractions', () => partner, RECORD, { events: [] }],
      ['analyst', 'recordInteractions', () => analyst, RECORD, { events: [] }],
      ['frontend', 'upsertProducts', () => frontend, 'mutation { upsertProducts(products: []) }', {}],
      ['frontend', 'upsertUsers', () => frontend, 'mutation { upsertUsers(users: []) }', {}],
      ['partner', 'user', () => partner, '{ user(id: "x") { id } }', {}],
    ])('refuses the %s role on %s with FORBIDDEN', async (_role, field, key, query, variables) => {
      const res = await gql(server.url, query, variables, key());
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(res.errors?.[0].message).toContain(field);
    });

    it('lets admin upsert products and users', async () => {
      const prefix = ns('adm');
      const res = await gql(
        server.url,
        `mutation($p: [ProductInput!]!, $u: [UserInput!]!) { upsertProducts(products: $p) upsertUsers(users: $u) }`,
        { p: [{ id: `${prefix}p`, title: 'Lamp', price: 12.5, categoryIds: [catalogue.categoryIds[1]] }], u: [{ id: `${prefix}u`, country: 'DE' }] },
        admin,
      );
      expect(res.data).toEqual({ upsertProducts: 1, upsertUsers: 1 });
      const read = await gql(server.url, `{ product(id: "${prefix}p") { title price inStock categories { id } } user(id: "${prefix}u") { country } }`, {}, admin);
      expect(read.data).toEqual({
        product: { title: 'Lamp', price: 12.5, inStock: true, categories: [{ id: catalogue.categoryIds[1] }] },
        user: { country: 'DE' },
      });
    });
  });

  describe('catalogue queries', () => {
    it('returns NOT_FOUND with a readable message for an unknown product', async () => {
      const res = await gql(server.url, '{ product(id: "does-not-exist") { id } }', {}, frontend);
      expect(res.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(res.errors?.[0].message).toBe('Product "does-not-exist" does not exist');
    });

    it('pages through filtered products with cursors and a total count', async () => {
      const filter = { categoryIds: [catalogue.categoryIds[0]], brand: 'Acme', inStock: true, minPrice: 12 };
      const expected = catalogue.productIds.filter((_, i) => i % 2 === 0 && i % 5 !== 0 && 10 + i >= 12);
      const seen: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 10; guard++) {
        const res: GraphQLResponse<ProductPageQuery> = await gqlOp(server.url, ProductPageDocument, { filter, first: 4, after }, frontend);
        const page = res.data!.products;
        expect(page.totalCount).toBe(expected.length);
        expect(page.edges.every((e) => e.node.brand === 'Acme' && e.node.inStock && e.node.categories[0].name === 'A')).toBe(true);
        seen.push(...page.edges.map((e) => e.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor ?? null;
      }
      expect(seen).toEqual(expected);
    });

    it('rejects a foreign cursor and an oversized page with BAD_USER_INPUT', async () => {
      const bad = await gql(server.url, '{ products(first: 2, after: "garbage") { totalCount } }', {}, frontend);
      expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const big = await gql(server.url, '{ products(first: 5000) { totalCount } }', {}, frontend);
      expect(big.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(big.errors?.[0].message).toMatch(/first must be between 0 and 100/);
    });

    it('returns the category tree', async () => {
      const res = await gql(server.url, `{ category(id: "${catalogue.categoryIds[1]}") { name parentId } }`, {}, analyst);
      expect(res.data).toEqual({ category: { name: 'A', parentId: catalogue.categoryIds[0] } });
    });
  });

  describe('recordInteractions', () => {
    it('reports each event of a mixed batch as accepted, duplicate or rejected with a reason', async () => {
      const p = ns('mix');
      const user = `${p}user`;
      const [p0, p1] = catalogue.productIds;
      const events = [
        event(p, 1, user, p0),
        event(p, 2, user, p1, { type: 'RATE', rating: 4.5 }),
        event(p, 1, user, p0),
        event(p, 3, user, 'no-such-product'),
        event(p, 4, user, p0, { type: 'RATE' }),
        event(p, 5, user, p0, { type: 'VIEW', rating: 3 }),
        event(p, 6, user, p0, { at: new Date(Date.now() + 3 * 86400000).toISOString() }),
      ];
      const counted = async (): Promise<number[]> => {
        const metrics = await (await fetch(`${server.adminUrl}/metrics`)).text();
        return ['accepted', 'duplicate', 'rejected'].map((status) => Number(new RegExp(`^affinity_ingested_events_total\\{status="${status}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0));
      };
      const before = await counted();
      const res = await gqlOp(server.url, RecordInteractionsDocument, { events: events as never }, frontend);
      const out = res.data!.recordInteractions;
      expect(out.results.map((r) => r.status)).toEqual(['ACCEPTED', 'ACCEPTED', 'DUPLICATE', 'REJECTED', 'REJECTED', 'REJECTED', 'REJECTED']);
      expect([out.accepted, out.duplicates, out.rejected]).toEqual([2, 1, 4]);
      // /metrics counts them by status.
      expect((await counted()).map((n, i) => n - before[i])).toEqual([2, 1, 4]);
      expect(out.results[3].reason).toMatch(/unknown product "no-such-product"/);
      expect(out.results[4].reason).toMatch(/RATE event needs a rating/);
      expect(out.results[5].reason).toMatch(/only allowed on RATE and REVIEW/);
      expect(out.results[6].reason).toMatch(/future/);

      const again = await gql<{ recordInteractions: { accepted: number; duplicates: number } }>(server.url, RECORD, { events: events.slice(0, 2) }, frontend);
      expect(again.data!.recordInteractions).toMatchObject({ accepted: 0, duplicates: 2 });
    });

    it('names an unknown field without exposing server internals (no stack trace)', async () => {
      const res = await gql(server.url, '{ products(first: 1) { edges { node { noSuchField } } } }', {}, frontend);
      expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.errors?.[0].message).toContain('noSuchField');
      expect(res.errors?.[0].extensions).not.toHaveProperty('stacktrace');
    });

    it('rejects an event of an unknown type at the schema level', async () => {
      const res = await gql(server.url, RECORD, { events: [{ eventId: 'x', userId: 'u', productId: 'p', type: 'LIKE' }] }, frontend);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('refuses a batch larger than the configured maximum', async () => {
      const p = ns('big');
      const events = Array.from({ length: services.config.graphql.maxEventBatch + 1 }, (_, i) => event(p, i, `${p}u`, catalogue.productIds[0]));
      const res = await gql(server.url, RECORD, { events }, frontend);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(/at most 1000 events/);
    });

    it('stores the same 10,000 events once when they are sent twice', async () => {
      const p = ns('twice');
      const events = Array.from({ length: 10000 }, (_, i) =>
        event(p, i, `${p}u${i % 250}`, catalogue.productIds[i % catalogue.productIds.length], { type: i % 3 === 0 ? 'PURCHASE' : 'VIEW' }),
      );
      let accepted = 0;
      let duplicates = 0;
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < events.length; i += 1000) {
          const res = await gql<{ recordInteractions: { accepted: number; duplicates: number; rejected: number } }>(
            server.url,
            RECORD,
            { events: events.slice(i, i + 1000) },
            frontend,
          );
          accepted += res.data!.recordInteractions.accepted;
          duplicates += res.data!.recordInteractions.duplicates;
        }
      }
      expect(accepted).toBe(10000);
      expect(duplicates).toBe(10000);
      expect(await storedEvents(p)).toBe(10000);
    });

    it('loses nothing and duplicates nothing with 8 concurrent clients sending overlapping batches', async () => {
      const p = ns('conc');
      const shared = Array.from({ length: 2000 }, (_, i) => event(p, i, `${p}u${i % 40}`, catalogue.productIds[i % 30]));
      const clients = Array.from({ length: 8 }, (_, c) => {
        const own = Array.from({ length: 500 }, (_, i) => event(p, 100000 + c * 1000 + i, `${p}u${i % 40}`, catalogue.productIds[(i + c) % 30]));
        // Every client sends all shared events (in its own order) plus its own.
        const mine = [...shared.slice((c * 250) % 2000), ...shared.slice(0, (c * 250) % 2000), ...own];
        return async (): Promise<number> => {
          let accepted = 0;
          for (let i = 0; i < mine.length; i += 500) {
            const res = await gql<{ recordInteractions: { accepted: number; rejected: number } }>(server.url, RECORD, { events: mine.slice(i, i + 500) }, frontend);
            expect(res.errors).toBeUndefined();
            expect(res.data!.recordInteractions.rejected).toBe(0);
            accepted += res.data!.recordInteractions.accepted;
          }
          return accepted;
        };
      });
      const accepted = await Promise.all(clients.map((run) => run()));
      expect(accepted.reduce((a, b) => a + b, 0)).toBe(2000 + 8 * 500);
      expect(await storedEvents(p)).toBe(2000 + 8 * 500);
    });
  });

  describe('user interactions', () => {
    it('pages a user history newest first, filtered by type', async () => {
      const p = ns('hist');
      const user = `${p}u`;
      const events = Array.from({ length: 9 }, (_, i) => event(p, i, user, catalogue.productIds[i], { type: i % 3 === 0 ? 'PURCHASE' : 'VIEW' }));
      await gql(server.url, RECORD, { events }, frontend);
      const first = await gqlOp(server.url, UserHistoryDocument, { id: user, first: 2, types: ['PURCHASE'] }, frontend);
      const page1 = first.data!.user.interactions;
      expect(page1.totalCount).toBe(3);
      expect(page1.edges.map((e) => e.node.eventId)).toEqual([`${p}e6`, `${p}e3`]);
      expect(page1.edges[0].node.product.id).toBe(catalogue.productIds[6]);
      expect(page1.edges[0].node.at).toBe(new Date(1700000000000 + 6000).toISOString());
      const second = await gqlOp(server.url, UserHistoryDocument, { id: user, first: 2, types: ['PURCHASE'], after: page1.pageInfo.endCursor }, frontend);
      expect(second.data!.user.interactions.edges.map((e) => e.node.eventId)).toEqual([`${p}e0`]);
      expect(second.data!.user.interactions.pageInfo.hasNextPage).toBe(false);
    });

    const FIFTY_USERS = `query($ids: [ID!]!) { users(ids: $ids) { id interactions(first: 5) { totalCount edges { node { type product { title categories { name } } } } } } }`;
    type FiftyUsers = { users: { interactions: { totalCount: number; edges: { node: { product: { title: string; categories: { name: string }[] } } }[] } }[] };

    /** 50 users with 6 events each, asked for with their interactions, products and categories: the Neo4j statements it ran. */
    async function fiftyUsers(on: { services: Services; url: string; key: string }, p: string): Promise<number> {
      const users = Array.from({ length: 50 }, (_, i) => `${p}u${i}`);
      const events = users.flatMap((u, i) => Array.from({ length: 6 }, (_, j) => event(p, i * 10 + j, u, catalogue.productIds[(i + j) % 30])));
      await gql(on.url, RECORD, { events }, on.key);
      // The event journal's background flush of these events would count as statements of the read.
      for (let waited = 0; on.services.interactions.backlog > 0; waited += 20) {
        if (waited > 20000) throw new Error('the event journal did not flush');
        await new Promise((r) => setTimeout(r, 20));
      }
      await gql(on.url, '{ categories { id } }', {}, on.key); // warms the key cache
      const before = on.services.db.roundTrips;
      const res = await gql<FiftyUsers>(on.url, FIFTY_USERS, { ids: users }, on.key);
      const trips = on.services.db.roundTrips - before;
      expect(res.errors).toBeUndefined();
      expect(res.data!.users).toHaveLength(50);
      expect(res.data!.users.every((u) => u.interactions.edges.length === 5 && u.interactions.totalCount === 6)).toBe(true);
      expect(res.data!.users[0].interactions.edges[0].node.product.categories[0].name).toMatch(/^[AB]$/);
      return trips;
    }

    it('answers 50 users with their interactions, products and categories in one statement from the serving cache\'s catalogue', async () => {
      for (let waited = 0; services.servingCache.catalogue() === null; waited += 50) {
        if (waited > 20000) throw new Error('the serving cache did not read the catalogue');
        await new Promise((r) => setTimeout(r, 50));
      }
      // Users with their interaction page and its count: one statement; products and categories from memory.
      expect(await fiftyUsers({ services, url: server.url, key: frontend }, ns('dl'))).toBe(1);
    });

    it('answers the same in two statements from Neo4j alone (serving cache off)', async () => {
      const neo4jOnly = testServices({ SERVING_CACHE_USERS: '0' });
      const neo4jServer = await startTestServer(neo4jOnly);
      try {
        const key = await keyFor(neo4jOnly, 'frontend');
        // Users with their page and count; then the products with their categories.
        expect(await fiftyUsers({ services: neo4jOnly, url: neo4jServer.url, key }, ns('dl0'))).toBe(2);
      } finally {
        await neo4jServer.close();
        await neo4jOnly.close();
      }
    });

    it('reads only the product properties a query selects, and parents only when asked for', async () => {
      const neo4jOnly = testServices({ SERVING_CACHE_USERS: '0' });
      const neo4jServer = await startTestServer(neo4jOnly);
      try {
        const key = await keyFor(neo4jOnly, 'frontend');
        const id = catalogue.productIds[0];
        neo4jOnly.db.captured = new Map();
        const res = await gql<{ product: { title: string; categories: { id: string }[] } }>(neo4jServer.url, `{ product(id: "${id}") { title categories { id } } }`, {}, key);
        const ran = [...neo4jOnly.db.captured.entries()].filter(([name]) => /^(product|category)\./.test(name)).map(([, c]) => c.query.cypher);
        neo4jOnly.db.captured = null;
        expect(res.data!.product.title).toBeTruthy();
        expect(ran).toHaveLength(1);
        expect(ran[0]).toContain('p.title AS title');
        expect(ran[0]).not.toMatch(/p\.description|p\.price|SUBCATEGORY_OF|ORDER BY|OPTIONAL MATCH/);
        const withParent = await gql<{ product: { categories: { parentId: string | null }[] } }>(neo4jServer.url, `{ product(id: "${id}") { categories { parentId } } }`, {}, key);
        expect(withParent.errors).toBeUndefined();
      } finally {
        await neo4jServer.close();
        await neo4jOnly.close();
      }
    });
  });

  describe('protection and operations', () => {
    it('refuses queries over the depth or complexity limit with QUERY_TOO_COMPLEX', async () => {
      const strict = testServices({ GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_COMPLEXITY: '300' });
      const strictServer = await startTestServer(strict);
      const key = await keyFor(strict, 'frontend');
      try {
        const shallow = await gql(strictServer.url, '{ products(first: 5) { edges { node { id } } } }', {}, key);
        expect(shallow.errors).toBeUndefined();
        const deep = await gql(strictServer.url, '{ products(first: 5) { edges { node { categories { id } } } } }', {}, key);
        expect(deep.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
        expect(deep.errors?.[0].message).toMatch(/5 levels deep; the limit is 4/);
        // A refused query is the client's error: 400, which clients and load balancers do not retry.
        expect(deep.status).toBe(400);
        const wide = await gql(strictServer.url, '{ products(first: 100) { edges { node { id title price } } } }', {}, key);
        expect(wide.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
        expect(wide.errors?.[0].message).toMatch(/complexity is \d+; the limit is 300/);
        expect(wide.status).toBe(400);
        expect(wide.errors?.[0].extensions).not.toHaveProperty('http');
        // Complexities are remembered per query text and variables' numbers: the same text with a
        // larger page is still refused after a small one passed, and a small one passes again.
        const paged = 'query P($n: Int!, $t: String) { products(first: $n, filter: { titleContains: $t }) { edges { node { id title price } } } }';
        expect((await gql(strictServer.url, paged, { n: 5 }, key)).errors).toBeUndefined();
        expect((await gql(strictServer.url, paged, { n: 100 }, key)).errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
        expect((await gql(strictServer.url, paged, { n: 5, t: 'no such title' }, key)).errors).toBeUndefined();
      } finally {
        await strictServer.close();
        await strict.close();
      }
    });

    describe('page sizes below their minimum', () => {
      const userId = ns('num-u');
      beforeAll(async () => {
        await services.catalog.upsertUsers([{ id: userId }]);
      });

      it.each([
        ['search', () => '{ search(text: "lamp", first: 0) { score } }', 'first must be at least 1; got 0'],
        ['product.similar', () => `{ product(id: "${catalogue.productIds[0]}") { similar(first: 0) { score } } }`, 'first must be at least 1; got 0'],
        ['product.alsoBought', () => `{ product(id: "${catalogue.productIds[0]}") { alsoBought(first: -2) { score } } }`, 'first must be at least 1; got -2'],
        ['products', () => '{ products(first: -1) { totalCount } }', 'first must be at least 0; got -1'],
        ['user.interactions', () => `{ user(id: "${userId}") { interactions(first: -1) { totalCount } } }`, 'first must be at least 0; got -1'],
        ['profile.interests', () => `{ user(id: "${userId}") { profile { interests(first: 0) { affinity } } } }`, 'first must be at least 1; got 0'],
        ['profile.predictedNextCategories', () => `{ user(id: "${userId}") { profile { predictedNextCategories(first: -1) { probability } } } }`, 'first must be at least 1; got -1'],
      ])('answers BAD_USER_INPUT, not an internal error, for %s with a page size below its minimum', async (_field, query, message) => {
        const res = await gql(server.url, query(), {}, admin);
        const codes = (res.errors ?? []).map((e) => e.extensions?.code);
        expect(codes).toContain('BAD_USER_INPUT');
        expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
        expect(res.errors?.map((e) => e.message)).toContain(message);
      });
    });

    it('refuses a request body over the size limit with 413', async () => {
      const big = 'x'.repeat(services.config.http.maxBodyBytes + 10);
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${frontend}` },
        body: JSON.stringify({ query: `{ categories { id } } # ${big}` }),
      });
      expect(response.status).toBe(413);
    });

    it('answers /healthz and /readyz with status codes on the public port, without the details', async () => {
      const base = server.url.replace('/graphql', '');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
      // Metrics are for operators: not on the port the public reaches.
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
    });

    it('serves readiness details and Prometheus /metrics on the admin listener, on loopback', async () => {
      expect(new URL(server.adminUrl).hostname).toBe('127.0.0.1');
      expect(services.config.admin.host).toBe('127.0.0.1');
      expect((await fetch(`${server.adminUrl}/healthz`)).status).toBe(200);
      const ready = await fetch(`${server.adminUrl}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { status: string; servingCache: { state: string; users: number }; worker: number | null };
      expect(body.status).toBe('ready');
      expect(body.worker).toBeNull();
      // The server started its serving cache (without an active version yet it idles).
      expect(['idle', 'loading', 'ready']).toContain(body.servingCache.state);
      // Categories come from the serving cache's catalogue once it is read; users from Neo4j.
      await gql(server.url, 'query UsersForMetrics { users(ids: ["nobody"]) { id } }', {}, frontend);
      const metrics = await (await fetch(`${server.adminUrl}/metrics`)).text();
      expect(metrics).toMatch(/affinity_graphql_request_seconds_bucket\{[^}]*operation="UsersForMetrics"/);
      expect(metrics).toMatch(/affinity_neo4j_query_seconds_count\{query="user.byIds"\}/);
      expect((await fetch(`${server.adminUrl}/graphql`)).status).toBe(404);
    });
  });

  async function storedEvents(prefix: string): Promise<number> {
    const rows = await services.db.readOne<{ n: number }>(
      { name: 't', cypher: 'MATCH ()-[r:INTERACTED]->() WHERE r.eventId STARTS WITH $prefix RETURN count(r) AS n' },
      { prefix },
    );
    return rows[0].n;
  }
});

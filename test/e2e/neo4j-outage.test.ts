/**
 * Neo4j goes away under a running server: requests that need it fail fast with SERVICE_UNAVAILABLE,
 * readiness says degraded (the serving cache holds the catalogue), and when Neo4j is back the same server process answers again. Uses a Neo4j of its own,
 * started through scripts/neo4j/neo4j.sh, so other suites are not disturbed.
 */
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { makeCatalogue } from '../support/fixtures';
import { gql, keyFor, startTestServer } from '../support/http';
import { neo4jInstance, passwordOf } from '../support/neo4j-instance';
import { migrate, ns, testServices } from '../support/runtime';

const external = Boolean(process.env.NEO4J_URI);
const describeLocal = external ? describe.skip : describe;

describeLocal('when Neo4j goes down and comes back', () => {
  const instance = neo4jInstance('outage', Number(process.env.NEO4J_OUTAGE_BOLT_PORT ?? 7689), 'NEO4J_OUTAGE_BOLT_PORT');
  let services: Services;
  let server: RunningServer;
  let key: string;
  let productId: string;
  const query = (id: string): string => `{ product(id: "${id}") { id title } }`;
  // Product reads may be answered from the serving cache's catalogue while Neo4j is down; users may not.
  const neo4jOnly = '{ users(ids: ["outage-nobody"]) { id } }';

  beforeAll(async () => {
    instance.start();
    services = testServices({ ...instance.env, NEO4J_PASSWORD: passwordOf(instance), API_KEY_CACHE_MS: '600000' });
    await migrate(services);
    server = await startTestServer(services);
    key = await keyFor(services, 'frontend');
    productId = (await makeCatalogue(services, ns('outage'), 2)).productIds[0];
  }, 300000);

  afterAll(async () => {
    await server?.close();
    await services?.close();
    instance.stop();
  }, 120000);

  it('fails fast with SERVICE_UNAVAILABLE, reports not ready, and recovers without a restart', async () => {
    const base = server.url.replace('/graphql', '');
    expect((await gql(server.url, query(productId), {}, key)).data).toEqual({ product: { id: productId, title: expect.any(String) } });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    instance.stop();
    const started = Date.now();
    const down = await gql(server.url, neo4jOnly, {}, key);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(down.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(down.errors?.[0].message).toMatch(/unavailable/);
    // The serving cache holds the catalogue: degraded, still 200 so load balancers keep routing.
    const degraded = await fetch(`${base}/readyz`);
    expect(degraded.status).toBe(200);
    expect(await degraded.json()).toEqual({ status: 'degraded' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    instance.start();
    let recovered = false;
    for (let i = 0; i < 30 && !recovered; i++) {
      const res = await gql(server.url, neo4jOnly, {}, key);
      recovered = Array.isArray(res.data?.users);
      if (!recovered) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(recovered).toBe(true);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  }, 300000);
});

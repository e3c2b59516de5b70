/**
 * Neo4j killed with SIGKILL and restarted under mixed load (recommendations, events, profiles)
 * against one running server: the server recovers without a restart, every request after the
 * recovery succeeds, and once the clients have retried what got no answer (idempotent by eventId)
 * the events acknowledged equal the events in the graph. Uses a Neo4j of its own.
 */
import type { Services } from '../../src/app';
import type { RunningServer } from '../../src/server';
import { event, makeCatalogue } from '../support/fixtures';
import { gql, keyFor, startTestServer } from '../support/http';
import { neo4jInstance, passwordOf } from '../support/neo4j-instance';
import { migrate, ns, testServices } from '../support/runtime';

const external = Boolean(process.env.NEO4J_URI);
const describeLocal = external ? describe.skip : describe;

const RECOMMEND = 'query($u: ID!) { recommendations(userId: $u, first: 5) { edges { node { id } } } }';
const PROFILE = 'query($u: ID!) { user(id: $u) { id profile { referenceTime rfm { frequency } } } }';
const RECORD = 'mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { results { status } } }';

describeLocal('Neo4j killed and restarted under mixed load', () => {
  const instance = neo4jInstance('faults', Number(process.env.NEO4J_OUTAGE_BOLT_PORT ?? 7689), 'NEO4J_OUTAGE_BOLT_PORT');
  let services: Services;
  let server: RunningServer;
  let key: string;

  beforeAll(async () => {
    instance.start();
    services = testServices({ ...instance.env, NEO4J_PASSWORD: passwordOf(instance), API_KEY_CACHE_MS: '600000' });
    await migrate(services);
    server = await startTestServer(services);
    key = await keyFor(services, 'frontend');
  }, 300000);

  afterAll(async () => {
    await server?.close();
    await services?.close();
    instance.stop();
  }, 120000);

  it('recovers without a restart, and the events acknowledged are the events in the graph', async () => {
    const prefix = ns('n4kill');
    const { productIds } = await makeCatalogue(services, prefix, 30);
    const userIds = Array.from({ length: 8 }, (_, i) => `${prefix}u${i}`);
    await services.catalog.upsertUsers(userIds.map((id) => ({ id })));

    const acked = new Set<string>();
    const unacked = new Map<string, Record<string, unknown>>();
    const failureCodes = new Map<string, number>();
    let recoveredAt = Number.POSITIVE_INFINITY;
    const failuresAfterRecovery: string[] = [];
    let sent = 0;
    let stop = false;

    const record = async (e: Record<string, unknown>): Promise<boolean> => {
      const res = await gql<{ recordInteractions: { results: { status: string }[] } }>(server.url, RECORD, { e: [e] }, key).catch(() => undefined);
      const status = res?.data?.recordInteractions.results[0]?.status;
      const ok = status === 'ACCEPTED' || status === 'DUPLICATE';
      if (ok) {
        acked.add(String(e.eventId));
        unacked.delete(String(e.eventId));
      } else unacked.set(String(e.eventId), e);
      return ok;
    };
    const client = async (c: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const startedAt = Date.now();
        const userId = userIds[(c + i) % userIds.length];
        let failure: string | undefined;
        if (i % 3 === 0) {
          const n = sent++;
          if (!(await record(event(prefix, n, userId, productIds[n % productIds.length])))) failure = 'event not acknowledged';
        } else {
          const res = await gql(server.url, i % 3 === 1 ? RECOMMEND : PROFILE, { u: userId }, key).catch((e: unknown) => ({ errors: [{ message: String(e), extensions: { code: 'NETWORK' } }] }));
          if (res.errors) failure = String(res.errors[0].extensions?.code ?? res.errors[0].message);
        }
        if (failure) {
          failureCodes.set(failure, (failureCodes.get(failure) ?? 0) + 1);
          if (startedAt > recoveredAt) failuresAfterRecovery.push(failure);
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    const clients = Array.from({ length: 4 }, (_, c) => client(c));
    const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

    await pause(3000);
    const ackedBeforeKill = acked.size;
    instance.kill();
    await pause(2000);
    await instance.startInBackground();
    // Recovered: a read that needs Neo4j succeeds through the same server.
    const deadline = Date.now() + 60000;
    while (!Array.isArray((await gql<{ users: unknown[] }>(server.url, '{ users(ids: ["nobody"]) { id } }', {}, key)).data?.users)) {
      if (Date.now() > deadline) throw new Error('the server did not recover within 60 s of Neo4j being back');
      await pause(250);
    }
    recoveredAt = Date.now();
    await pause(4000);
    stop = true;
    await Promise.all(clients);

    // Clients retry what got no answer, with the same eventId.
    for (const e of [...unacked.values()]) {
      for (let attempt = 0; attempt < 5 && !(await record(e)); attempt++) await pause(500);
    }
    const inGraph = [...(await services.repositories.interactions.countByUsers(userIds, null)).values()].reduce((a, b) => a + b, 0);
    console.log(
      `Neo4j killed after ${ackedBeforeKill} events; failures by code: ${JSON.stringify(Object.fromEntries(failureCodes))}; ` +
        `after recovery: ${failuresAfterRecovery.length} failed; events sent ${sent}, acknowledged ${acked.size}, in the graph ${inGraph}`,
    );
    expect(ackedBeforeKill).toBeGreaterThan(0);
    expect(failuresAfterRecovery).toEqual([]);
    expect(unacked.size).toBe(0);
    expect(acked.size).toBe(sent);
    expect(inGraph).toBe(acked.size);
  }, 300000);
});

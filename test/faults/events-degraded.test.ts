/**
 * Degraded mode over HTTP with the real Neo4j taken down: a user whose list the serving cache holds
 * keeps getting it (marked `extensions.degraded`), /readyz says degraded with 200, operations that
 * need Neo4j fail fast with SERVICE_UNAVAILABLE (/healthz stays 200), events are acknowledged from
 * the journal up to its bound (then SERVICE_UNAVAILABLE), and once Neo4j is back the same process
 * answers again without a restart and the graph holds exactly one relationship
 * per acknowledged eventId; one acknowledged for a product that does not exist is dropped at flush,
 * counted in /metrics and the admin /readyz and logged once. Uses the outage suite's Neo4j of its
 * own (NEO4J_OUTAGE_BOLT_PORT).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import type { Services } from '../../src/app';
import { createLogger } from '../../src/observability/logger';
import { RunningServer, startServer } from '../../src/server';
import { QUEUED_REASON } from '../../src/services/interaction.service';
import { gql, keyFor } from '../support/http';
import { neo4jInstance, passwordOf } from '../support/neo4j-instance';
import { migrate, ns, testServices } from '../support/runtime';
import { trainedShop } from '../support/trained-model';

const external = Boolean(process.env.NEO4J_URI);
const describeLocal = external ? describe.skip : describe;

const RECS = 'query($u: ID!) { recommendations(userId: $u, first: 5) { strategy edges { node { id } } } }';
const RECORD = 'mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { accepted duplicates rejected results { eventId status reason } } }';
const JOURNAL_BOUND = 300;

interface RecordResult {
  recordInteractions: { accepted: number; duplicates: number; rejected: number; results: { eventId: string; status: string; reason: string | null }[] };
}

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeLocal('events and reads while Neo4j is down (degraded mode)', () => {
  const instance = neo4jInstance('outage', Number(process.env.NEO4J_OUTAGE_BOLT_PORT ?? 7689), 'NEO4J_OUTAGE_BOLT_PORT');
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-degraded-'));
  let services: Services;
  let server: RunningServer;
  let key: string;
  let prefix: string;
  let productIds: string[];
  let userIds: string[];
  const logLines: string[] = [];

  beforeAll(async () => {
    instance.start();
    services = testServices({
      ...instance.env,
      NEO4J_PASSWORD: passwordOf(instance),
      API_KEY_CACHE_MS: '600000',
      EVENT_JOURNAL_DIR: journalDir,
      EVENT_JOURNAL_MAX_EVENTS: String(JOURNAL_BOUND),
    });
    // On a loaded machine the launcher's "ready" can precede the default database's.
    await until(() => migrate(services).then(() => true, () => false), 120000, 'Neo4j to accept the migrations');
    prefix = ns('evdeg');
    const { dataset } = await trainedShop(services, prefix);
    productIds = dataset.products.map((p) => p.id);
    userIds = [...new Set(dataset.interactions.map((e) => e.userId))];
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    server = await startServer(services, createLogger('warn', capture), { port: 0, host: '127.0.0.1', adminPort: 0 });
    key = await keyFor(services, 'frontend');
    await until(() => services.servingCache.status().state === 'ready', 120000, 'the serving cache to load');
  }, 600000);

  afterAll(async () => {
    await server?.close();
    await services?.close();
    instance.stop();
    fs.rmSync(journalDir, { recursive: true, force: true });
  }, 120000);

  it('answers cached reads marked degraded, journals events to its bound, and stores each once when Neo4j is back', async () => {
    const base = server.url.replace('/graphql', '');
    const user = userIds[0];
    const before = await gql<{ recommendations: { strategy: string; edges: { node: { id: string } }[] } }>(server.url, RECS, { u: user }, key);
    expect(before.errors).toBeUndefined();
    expect(before.extensions?.degraded).toBeUndefined();

    instance.stop();
    await until(() => services.servingCache.status().stale, 30000, 'the serving cache to notice');

    // A list the cache holds: the same answer, marked.
    const cached = await gql<{ recommendations: { strategy: string; edges: { node: { id: string } }[] } }>(server.url, RECS, { u: user }, key);
    expect(cached.errors).toBeUndefined();
    expect(cached.data).toEqual(before.data);
    expect(cached.extensions?.degraded).toBe(true);
    const product = await gql<{ product: { id: string } }>(server.url, `{ product(id: "${productIds[0]}") { id } }`, {}, key);
    expect(product.data?.product?.id).toBe(productIds[0]);
    expect(product.extensions?.degraded).toBe(true);

    // Load balancers keep routing: 200 with a degraded body.
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'degraded' });
    const details = (await (await fetch(`${server.adminUrl}/readyz`)).json()) as { status: string; servingCache: { stale: boolean } };
    expect(details.status).toBe('degraded');
    expect(details.servingCache.stale).toBe(true);

    // What needs Neo4j fails fast, as before.
    const started = Date.now();
    const neo4jOnly = await gql(server.url, '{ users(ids: ["evdeg-nobody"]) { id } }', {}, key);
    expect(neo4jOnly.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(neo4jOnly.errors?.[0].message).toMatch(/unavailable/);
    expect(Date.now() - started).toBeLessThan(8000);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    // Events: acknowledged from the journal; a batch resent (a client retry) and a duplicate inside a batch.
    const acknowledged = new Set<string>();
    const batch = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({ eventId: `${prefix}down${from + i}`, userId: userIds[(from + i) % userIds.length], productId: productIds[(from + i) % productIds.length], type: 'VIEW' }));
    for (let b = 0; b < 4; b++) {
      const events = batch(50, b * 50);
      const res = await gql<RecordResult>(server.url, RECORD, { e: b === 1 ? [...events, events[0]] : events }, key);
      expect(res.errors).toBeUndefined();
      expect(res.extensions?.degraded).toBe(true);
      const out = res.data!.recordInteractions;
      expect(out.accepted).toBe(50);
      expect(out.results.filter((r) => r.status === 'ACCEPTED').every((r) => r.reason === QUEUED_REASON)).toBe(true);
      for (const r of out.results) if (r.status === 'ACCEPTED') acknowledged.add(r.eventId);
    }
    // Whether a product exists cannot be checked now: acknowledged, and dropped (counted) at flush.
    const orphanId = `${prefix}orphan`;
    const orphan = await gql<RecordResult>(server.url, RECORD, { e: [{ eventId: orphanId, userId: user, productId: `${prefix}no-such-product`, type: 'VIEW' }] }, key);
    expect(orphan.data?.recordInteractions.results).toEqual([{ eventId: orphanId, status: 'ACCEPTED', reason: QUEUED_REASON }]);
    const retried = await gql<RecordResult>(server.url, RECORD, { e: batch(50, 0) }, key);
    expect(retried.data!.recordInteractions.accepted).toBe(50);
    // 251 journaled of 300: a batch of 100 does not fit, and is refused whole.
    const full = await gql<RecordResult>(server.url, RECORD, { e: batch(100, 1000) }, key);
    expect(full.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(full.errors?.[0].message).toMatch(/journal is full/);
    expect(acknowledged.size).toBe(200);

    instance.start();
    const answers = (): Promise<boolean> => gql(server.url, '{ users(ids: ["evdeg-nobody"]) { id } }', {}, key).then((r) => r.errors === undefined, () => false);
    await until(answers, 120000, 'Neo4j to answer again');
    await until(() => services.interactions.backlog === 0, 60000, 'the journal to drain');
    const [row] = await services.db.readOne<{ relationships: number; distinct: number }>(
      {
        name: 't',
        cypher: 'MATCH ()-[r:INTERACTED]->() WHERE r.eventId STARTS WITH $p RETURN count(r) AS relationships, count(DISTINCT r.eventId) AS distinct',
      },
      { p: `${prefix}down` },
    );
    console.log(`degraded mode: events acknowledged ${acknowledged.size}, relationships in the graph ${row.relationships}`);
    expect(row).toEqual({ relationships: acknowledged.size, distinct: acknowledged.size });
    // The orphan: not in the graph, counted once in /metrics and the admin /readyz, one log line.
    const [orphanRow] = await services.db.readOne<{ n: number }>({ name: 't', cypher: 'MATCH ()-[r:INTERACTED {eventId: $id}]->() RETURN count(r) AS n' }, { id: orphanId });
    expect(orphanRow.n).toBe(0);
    const metrics = await (await fetch(`${server.adminUrl}/metrics`)).text();
    expect(metrics).toMatch(/^affinity_event_journal_dropped_total\{reason="unknown_product"\} 1$/m);
    const readyDetails = (await (await fetch(`${server.adminUrl}/readyz`)).json()) as { eventJournalDropped: number };
    expect(readyDetails.eventJournalDropped).toBe(1);
    const dropLogs = logLines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; dropped?: number }).filter((l) => /dropped at flush/.test(l.msg));
    expect(dropLogs.map((l) => l.dropped)).toEqual([1]);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    // The cache's polls back off while Neo4j is down (up to 5 s): until one succeeds its answers stay marked.
    await until(() => !services.servingCache.status().stale, 30000, 'the serving cache to poll Neo4j again');
    const fresh = await gql(server.url, RECS, { u: user }, key);
    expect(fresh.errors).toBeUndefined();
    expect(fresh.extensions?.degraded).toBeUndefined();
  }, 300000);
});

/**
 * Idempotent ingestion against the real Neo4j: one statement per batch, and exactly one relationship
 * per eventId however a batch is retried, duplicated or raced by another server (a second Services,
 * i.e. its own driver and connection pool, as another replica would have).
 */
import type { Services } from '../../src/app';
import type { IncomingEvent } from '../../src/services/interaction.service';
import { ns, testServices } from '../support/runtime';

describe('ingestion', () => {
  let one: Services;
  let two: Services;
  let productIds: string[];

  beforeAll(async () => {
    one = testServices();
    two = testServices();
    const p = ns('ingest-cat');
    productIds = Array.from({ length: 10 }, (_, i) => `${p}p${i}`);
    await one.repositories.products.upsert(productIds.map((id) => ({ id, title: `product ${id}`, categoryIds: [] })));
  });
  afterAll(async () => {
    await one.close();
    await two.close();
  });

  const events = (p: string, n: number, users = 5): IncomingEvent[] =>
    Array.from({ length: n }, (_, i) => ({
      eventId: `${p}e${i}`,
      userId: `${p}u${i % users}`,
      productId: productIds[i % productIds.length],
      type: 'VIEW',
      at: 1700000000000 + i * 1000,
    }));

  /** Relationships stored per eventId under the prefix: every value must be 1. */
  async function copies(prefix: string): Promise<Map<string, number>> {
    const rows = await one.db.readOne<{ eventId: string; n: number }>(
      { name: 't.copies', cypher: 'MATCH ()-[r:INTERACTED]->() WHERE r.eventId STARTS WITH $prefix RETURN r.eventId AS eventId, count(r) AS n' },
      { prefix },
    );
    return new Map(rows.map((r) => [r.eventId, r.n]));
  }

  it('records a single event in one Neo4j round trip, and its resend in one more', async () => {
    const p = ns('single');
    const [e] = events(p, 1);
    const before = one.db.roundTrips;
    expect((await one.interactions.record([e])).accepted).toBe(1);
    expect(one.db.roundTrips - before).toBe(1);
    const again = await one.interactions.record([e]);
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(one.db.roundTrips - before).toBe(2);
    expect(await copies(p)).toEqual(new Map([[e.eventId, 1]]));
  });

  it('reports an unknown product and a known duplicate from the same statement', async () => {
    const p = ns('mixed');
    const [a, b] = events(p, 2);
    await one.interactions.record([a]);
    const before = one.db.roundTrips;
    const out = await one.interactions.record([a, b, { ...b, eventId: `${p}x`, productId: `${p}missing` }]);
    expect(one.db.roundTrips - before).toBe(1);
    expect(out.results.map((r) => r.status)).toEqual(['DUPLICATE', 'ACCEPTED', 'REJECTED']);
    expect(out.results[2].reason).toMatch(/unknown product/);
    expect(await copies(p)).toEqual(new Map([[a.eventId, 1], [b.eventId, 1]]));
  });

  it('stores each eventId once when a batch repeats an event inside itself', async () => {
    const p = ns('inbatch');
    const batch = events(p, 50);
    const out = await one.interactions.record([...batch, ...batch.slice(0, 20), batch[3]]);
    expect([out.accepted, out.duplicates]).toEqual([50, 21]);
    const stored = await copies(p);
    expect(stored.size).toBe(50);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
  });

  it('stores each eventId once when a batch is retried after a timeout, while the first send still runs and after it', async () => {
    const p = ns('retry');
    const batch = events(p, 500, 40);
    // A client that timed out resends: the resend can overtake the original or follow it.
    const [first, overlapping] = await Promise.all([one.interactions.record(batch), one.interactions.record(batch)]);
    const late = await one.interactions.record(batch);
    expect(first.accepted + overlapping.accepted).toBe(500);
    expect(first.duplicates + overlapping.duplicates).toBe(500);
    expect(late).toMatchObject({ accepted: 0, duplicates: 500, rejected: 0 });
    const stored = await copies(p);
    expect(stored.size).toBe(500);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
  });

  it('stores each eventId once when two servers race on the same events', async () => {
    const p = ns('race');
    const all = events(p, 400, 20);
    // Each server sends every event, in its own order and batching, 8 requests in flight (as 8 clients).
    const send = async (services: Services, order: IncomingEvent[], size: number): Promise<number> => {
      const batches: IncomingEvent[][] = [];
      for (let i = 0; i < order.length; i += size) batches.push(order.slice(i, i + size));
      let accepted = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let b = batches.shift(); b; b = batches.shift()) {
            const outcome = await services.interactions.record(b);
            accepted += outcome.accepted;
          }
        }),
      );
      return accepted;
    };
    const [a, b] = await Promise.all([send(one, all, 50), send(two, [...all].reverse(), 1)]);
    expect(a + b).toBe(400);
    const stored = await copies(p);
    expect(stored.size).toBe(400);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
  });
});

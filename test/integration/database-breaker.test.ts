/**
 * The Database's circuit breaker: once a transaction failed because Neo4j is unreachable, the next
 * ones fail at once with SERVICE_UNAVAILABLE (instead of each retrying for NEO4J_MAX_RETRY_MS), one
 * is let through every NEO4J_BREAKER_RESET_MS to probe, and query errors never open it.
 */
import { Database } from '../../src/db/database';
import { ServiceUnavailableError } from '../../src/errors';
import { freePort } from '../support/cli-process';
import { testConfig } from '../support/runtime';

const PING = { name: 'test.ping', cypher: 'RETURN 1 AS ok' };

async function timed(db: Database): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  const error = await db.readOne(PING).then(
    () => null,
    (e: unknown) => e,
  );
  return { ms: Date.now() - started, error };
}

describe('Database circuit breaker', () => {
  it('keeps serving after query errors: they say nothing about Neo4j being up', async () => {
    const db = new Database(testConfig().neo4j);
    try {
      for (let i = 0; i < 3; i++) await expect(db.readOne({ name: 'test.bad', cypher: 'RETURN nosuchfunction(1)' })).rejects.toThrow();
      expect(db.circuitOpen).toBe(false);
      expect(await db.readOne<{ ok: number }>(PING)).toEqual([{ ok: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('fails at once after Neo4j was found unreachable, and probes again after the reset time', async () => {
    // A port nothing listens on: every connection attempt is refused.
    const uri = `bolt://127.0.0.1:${await freePort()}`;
    const db = new Database({ ...testConfig().neo4j, uri, maxRetryMs: 1500, breakerResetMs: 800 });
    try {
      const first = await timed(db);
      expect(first.error).toBeInstanceOf(ServiceUnavailableError);
      expect(first.ms).toBeGreaterThanOrEqual(1000);
      expect(db.circuitOpen).toBe(true);

      const next = await Promise.all([timed(db), timed(db), timed(db)]);
      for (const r of next) {
        expect(r.error).toBeInstanceOf(ServiceUnavailableError);
        expect(r.ms).toBeLessThan(200);
      }

      await new Promise((r) => setTimeout(r, 900));
      const probe = await timed(db);
      expect(probe.error).toBeInstanceOf(ServiceUnavailableError);
      expect(probe.ms).toBeGreaterThanOrEqual(1000);
      expect(db.circuitOpen).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('retries every transaction when the breaker is off (NEO4J_BREAKER_RESET_MS=0)', async () => {
    const uri = `bolt://127.0.0.1:${await freePort()}`;
    const db = new Database({ ...testConfig().neo4j, uri, maxRetryMs: 1000, breakerResetMs: 0 });
    try {
      for (let i = 0; i < 2; i++) {
        const r = await timed(db);
        expect(r.error).toBeInstanceOf(ServiceUnavailableError);
        expect(r.ms).toBeGreaterThanOrEqual(700);
      }
      expect(db.circuitOpen).toBe(false);
    } finally {
      await db.close();
    }
  });
});

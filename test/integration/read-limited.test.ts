import { QueryLimitError } from '../../src/errors';
import type { Services } from '../../src/app';
import { testServices } from '../support/runtime';

/** Long enough to run for many seconds; the transaction timeout has to stop it. */
const SLOW = { name: 'test.slow', cypher: 'UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n' };
const FAST = { name: 'test.fast', cypher: 'RETURN 41 + 1 AS n' };

describe('Database.readLimited', () => {
  let services: Services;
  beforeAll(() => {
    services = testServices();
  });
  afterAll(async () => {
    await services.db.close();
  });

  it('returns what a quick read returns', async () => {
    const n = await services.db.readLimited(async (tx) => (await tx.run(FAST)).records[0].get('n'), { timeoutMs: 2000 });
    expect(n).toBe(42);
  });

  it('lets Neo4j end a read that runs past its timeout, as a QueryLimitError', async () => {
    const started = Date.now();
    const error = await services.db.readLimited((tx) => tx.run(SLOW), { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryLimitError);
    expect((error as QueryLimitError).code).toBe('QUERY_LIMIT_EXCEEDED');
    expect((error as QueryLimitError).message).toMatch(/exceeded its limit of 300 ms/);
    // Neo4j checks timeouts periodically (every 2 s by default), never waits for the statement to finish.
    expect(Date.now() - started).toBeLessThan(10000);
  });

  it('refuses writes inside a limited read', async () => {
    const write = { name: 'test.write', cypher: "CREATE (:ReadLimitedProbe {id: 'x'})" };
    await expect(services.db.readLimited((tx) => tx.run(write), { timeoutMs: 2000 })).rejects.toThrow(/write|read/i);
  });
});

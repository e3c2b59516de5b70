/**
 * Keys and secrets never reach the logs (every line the servers wrote at trace level, captured,
 * including a server whose Neo4j password is wrong), and a revoked or rotated key is refused by every
 * replica within API_KEY_CACHE_MS (two Services with their own key caches stand in for two replicas).
 */
import { Writable } from 'node:stream';
import type { Services } from '../../src/app';
import { createLogger } from '../../src/observability/logger';
import { RunningServer, startServer } from '../../src/server';
import { encodeBookmarks } from '../../src/db/request-bookmarks';
import { gql, keyFor } from '../support/http';
import { ns, testServices } from '../support/runtime';

const CACHE_MS = 400;

describe('security', () => {
  let lines: string[];
  let one: Services;
  let two: Services;
  let broken: Services;
  let servers: RunningServer[];

  beforeAll(async () => {
    lines = [];
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger('trace', capture);
    one = testServices({ API_KEY_CACHE_MS: String(CACHE_MS), RECOMMENDATION_SECRET: 'recommendation-secret-do-not-log' });
    two = testServices({ API_KEY_CACHE_MS: String(CACHE_MS), RECOMMENDATION_SECRET: 'recommendation-secret-do-not-log' });
    // Another user name: Neo4j locks a user for 5 s after 3 failed logins, and every other suite logs in as neo4j.
    broken = testServices({ NEO4J_USER: 'security-test-nobody', NEO4J_PASSWORD: 'wrong-neo4j-password-do-not-log', NEO4J_ACQUISITION_TIMEOUT_MS: '2000' });
    servers = await Promise.all([one, two, broken].map((s) => startServer(s, logger, { port: 0, host: '127.0.0.1', adminPort: 0 })));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await Promise.all([one, two, broken].map((s) => s.close()));
  });

  const ask = (server: RunningServer, key: string): Promise<{ status: number; errors?: { extensions?: { code?: string } }[] }> =>
    gql(server.url, '{ categories { id } }', {}, key);

  it('refuses a revoked key on every replica within API_KEY_CACHE_MS', async () => {
    const key = await keyFor(one, 'frontend');
    // Both replicas have verified (and cached) the key.
    for (const server of servers.slice(0, 2)) expect((await ask(server, key)).errors).toBeUndefined();
    const revoked = await one.apiKeys.revoke(key);
    expect(revoked.role).toBe('frontend');
    // The replica that revoked forgets it at once; the other within its cache bound.
    expect((await ask(servers[0], key)).status).toBe(401);
    await new Promise((r) => setTimeout(r, CACHE_MS + 50));
    for (const server of servers.slice(0, 2)) {
      const res = await ask(server, key);
      expect(res.status).toBe(401);
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('rotates a key: the new one works at once, the old one is refused everywhere within the bound', async () => {
    const old = await keyFor(one, 'analyst');
    expect((await ask(servers[1], old)).errors).toBeUndefined();
    const rotated = await one.apiKeys.rotate(old);
    expect(rotated.role).toBe('analyst');
    for (const server of servers.slice(0, 2)) expect((await ask(server, rotated.key)).errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, CACHE_MS + 50));
    for (const server of servers.slice(0, 2)) expect((await ask(server, old)).status).toBe(401);
    await expect(one.apiKeys.rotate(old)).rejects.toThrow(/does not exist/);
  });

  it('writes no API key, password or secret into the logs', async () => {
    const keys = await Promise.all((['frontend', 'analyst', 'admin'] as const).map((role) => keyFor(one, role)));
    const partner = await keyFor(one, 'partner', ns('partner'));
    const unknown = 'aff_unknown-key-do-not-log-0123456789';
    for (const key of [...keys, partner, unknown]) {
      await ask(servers[0], key);
      await gql(servers[0].url, '{ user(id: "nobody") { id } }', {}, key, 'x-api-key');
      await gql(servers[0].url, 'mutation { upsertUsers(users: [{ id: "" }]) }', {}, key);
      await gql(servers[0].url, '{ nope }', {}, key);
      await ask(servers[2], key);
    }
    await fetch(servers[0].url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[0]}`, 'x-affinity-bookmark': encodeBookmarks(['FB:bad']) },
      body: JSON.stringify({ query: '{ categories { id } }' }),
    });
    const broken = await ask(servers[2], keys[0]);
    expect(broken.status).toBeGreaterThanOrEqual(400);
    const text = lines.join('');
    // The broken server's failures were logged (so the check below saw error paths, not silence).
    expect(text.length).toBeGreaterThan(0);
    const secrets = [...keys, partner, unknown, one.config.neo4j.password, 'wrong-neo4j-password-do-not-log', 'recommendation-secret-do-not-log'];
    for (const secret of secrets) expect(text).not.toContain(secret);
    // Nor the part after the prefix alone (a key logged truncated or re-encoded would still leak).
    for (const key of [...keys, partner]) expect(text).not.toContain(key.slice(4, 24));
  });
});

/**
 * A journal store that refuses writes surfaces as a clear error within a bound, never a hang:
 * `affinity serve` on a read-only journal directory exits non-zero naming the problem; on a full
 * disk a tracking-link click is answered 503 with Retry-After and no redirect within 10 s (and the
 * log names ENOSPC) instead of waiting for a write that cannot happen, and events that only the
 * journal could take (Neo4j unreachable) get SERVICE_UNAVAILABLE naming ENOSPC.
 */
import type { Services } from '../../src/app';
import { PartnerClickRepository } from '../../src/repositories/partner-click.repository';
import { TrackingLinks } from '../../src/services/partner/tracking-link';
import { buildCli, exited, freePort, get, runCli, waitFor } from '../support/cli-process';
import { partnerWithMembers, partnerWorld } from '../support/partners';
import { migrate, ns, testServices } from '../support/runtime';
import { fullDisk, isRoot, readOnlyDir } from '../support/store-faults';

const BOUND_MS = 30000;

describe('a store that refuses writes', () => {
  let services: Services;
  let entry: string;

  beforeAll(async () => {
    entry = buildCli();
    services = testServices();
    await migrate(services);
  }, 180000);

  afterAll(async () => services?.close());

  it('a read-only journal directory stops the server at start with a clear error', async () => {
    const store = readOnlyDir('journal');
    try {
      const started = Date.now();
      const server = runCli(entry, ['serve', '--port', String(await freePort())], { ADMIN_PORT: String(await freePort()), CLICK_JOURNAL_DIR: store.dir });
      const code = await exited(server.child, BOUND_MS).catch((error: unknown) => {
        server.child.kill('SIGKILL');
        throw error;
      });
      console.log(`read-only journal: exit ${code} after ${Date.now() - started} ms: ${server.output().match(/E(ROFS|ACCES)[^\n]*/)?.[0]}`);
      expect(code).not.toBe(0);
      expect(server.output()).toMatch(/EROFS|EACCES|read-only|permission denied/i);
    } finally {
      store.cleanup();
    }
  }, 60000);

  (isRoot() ? it : it.skip)('a full disk under the journal answers clicks 503 with Retry-After, not a redirect or a hang', async () => {
    const world = await partnerWorld(services, ns('full'), 2);
    const partnerId = `${world.prefix}P`;
    await partnerWithMembers(services, partnerId, world.userIds);
    const token = new TrackingLinks(services.config.partners.linkKey).seal({
      partnerId,
      userId: world.userIds[0],
      productId: world.catalogue.productIds[0],
      recommendationId: 'rec_full',
      expiresAt: Date.now() + 600_000,
    });
    const store = fullDisk('journal');
    const port = await freePort();
    const server = runCli(entry, ['serve', '--port', String(port)], { ADMIN_PORT: String(await freePort()), CLICK_JOURNAL_DIR: store.dir, SERVING_CACHE_USERS: '0' });
    try {
      await waitFor(async () => (await get(`http://127.0.0.1:${port}/healthz`)).status === 200, 60000, () => server.output().slice(-2000));
      const started = Date.now();
      const click = await get(`http://127.0.0.1:${port}/r/${token}`, {}, BOUND_MS);
      const took = Date.now() - started;
      console.log(`full disk: click answered ${click.status} in ${took} ms`);
      // Not recorded, so not redirected (README "Tracking links": 302 once the click is durable).
      expect(click.status).toBe(503);
      expect(click.headers['retry-after']).toMatch(/^\d+$/);
      expect(click.headers.location).toBeUndefined();
      expect(click.headers['content-type']).toMatch(/^text\/plain/);
      expect(click.body).toMatch(/could not be recorded/);
      expect(took).toBeLessThan(10000);
      await waitFor(async () => /ENOSPC/.test(server.output()), 5000, () => server.output().slice(-2000));
      // Nothing was acknowledged, so nothing may be stored.
      expect(await new PartnerClickRepository(services.db).count([partnerId])).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
      await exited(server.child, 10000).catch(() => undefined);
      store.cleanup();
    }
  }, 120000);

  (isRoot() ? it : it.skip)('a full disk under the event journal while Neo4j is unreachable answers SERVICE_UNAVAILABLE, not an internal error', async () => {
    const store = fullDisk('events');
    const prefix = ns('fullev');
    // A port nothing listens on: the driver's connection is refused, as when Neo4j is down.
    const offline = testServices({ NEO4J_URI: `bolt://127.0.0.1:${await freePort()}`, NEO4J_PASSWORD: 'unused', NEO4J_MAX_RETRY_MS: '0', EVENT_JOURNAL_DIR: store.dir });
    try {
      await offline.interactions.start();
      const recorded = offline.interactions.record([{ eventId: `${prefix}e1`, userId: `${prefix}u1`, productId: `${prefix}p1`, type: 'VIEW' }]);
      await expect(recorded).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/ENOSPC/) });
      expect(offline.interactions.backlog).toBe(0);
    } finally {
      await offline.interactions.stop();
      await offline.close();
      store.cleanup();
    }
  }, 60000);
});

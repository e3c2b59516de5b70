/**
 * A worker of `affinity serve --workers 2` killed with SIGKILL under load: the primary replaces it,
 * and the only requests that fail are ones the dead worker held (at most those in flight when it
 * died); every request after the replacement succeeds.
 */
import type { Services } from '../../src/app';
import { buildCli, childPids, CliChild, exited, freePort, get, runCli, waitFor } from '../support/cli-process';
import { migrate, testServices } from '../support/runtime';

describe('a worker killed under load', () => {
  let services: Services;
  let entry: string;
  let key: string;

  beforeAll(async () => {
    entry = buildCli();
    services = testServices();
    await migrate(services);
    key = (await services.apiKeys.create({ role: 'frontend', label: 'faults: worker killed' })).key;
  }, 180000);

  afterAll(async () => services?.close());

  it('is replaced, and no request fails beyond those it held', async () => {
    const [port, adminPort] = [await freePort(), await freePort()];
    const server: CliChild = runCli(entry, ['serve', '--port', String(port), '--workers', '2'], { ADMIN_PORT: String(adminPort), RATE_LIMIT_POINTS: '0' });
    const seen = new Set<number>();
    let stop = false;
    const workersSeen = async (): Promise<Set<number>> => {
      const body = JSON.parse((await get(`http://127.0.0.1:${adminPort}/readyz`)).body) as { worker: number | null };
      if (body.worker !== null) seen.add(body.worker);
      return seen;
    };
    try {
      await waitFor(async () => (await workersSeen()).size >= 2, 90000, () => `workers seen ${[...seen]}; log:\n${server.output().slice(-2000)}`);
      const url = `http://127.0.0.1:${port}/graphql?query=${encodeURIComponent('{ products(first: 1) { totalCount } }')}`;
      const headers = { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' };

      let inFlight = 0;
      let heldAtKill = -1;
      let killedAt = Number.POSITIVE_INFINITY;
      let replacedAt = Number.POSITIVE_INFINITY;
      // Failures by the phase the request started in: before the kill, until the replacement answers, after.
      const failures: Record<'before' | 'during' | 'after', string[]> = { before: [], during: [], after: [] };
      let okAfter = 0;
      // A generous timeout: on a loaded machine a slow answer is not a failed request.
      const client = async (): Promise<void> => {
        while (!stop) {
          const startedAt = Date.now();
          inFlight++;
          const outcome = await get(url, headers, 30000)
            .then((r) => (r.status === 200 && !JSON.parse(r.body).errors ? 'ok' : `HTTP ${r.status} ${r.body.slice(0, 200)}`))
            .catch((e: unknown) => String(e));
          inFlight--;
          const phase = startedAt > replacedAt ? 'after' : startedAt >= killedAt ? 'during' : 'before';
          if (outcome !== 'ok') failures[phase].push(outcome);
          else if (phase === 'after') okAfter++;
        }
      };
      const clients = Array.from({ length: 6 }, client);
      await new Promise((r) => setTimeout(r, 1500));

      const [victim] = childPids(server.child.pid as number);
      heldAtKill = inFlight;
      killedAt = Date.now();
      process.kill(victim, 'SIGKILL');
      await waitFor(async () => (await workersSeen()).has(3), 180000, () => `no replacement worker; log:\n${server.output().slice(-2000)}`);
      replacedAt = Date.now();
      await new Promise((r) => setTimeout(r, 2000));
      stop = true;
      await Promise.all(clients);

      const tally = (xs: string[]): string => JSON.stringify(Object.fromEntries([...new Set(xs)].map((x) => [x.slice(0, 80), xs.filter((y) => y === x).length])));
      console.log(
        `worker killed with ${heldAtKill} requests in flight; failed: ${failures.before.length} started before the kill ${tally(failures.before)}, ` +
          `${failures.during.length} started after it until the replacement ${tally(failures.during)}, ${failures.after.length} after (${okAfter} succeeded)`,
      );
      expect(childPids(server.child.pid as number)).toHaveLength(2);
      // Only requests the dead worker held may fail: at most those in flight when it died.
      expect(failures.before.length + failures.during.length).toBeLessThanOrEqual(heldAtKill);
      expect(failures.after).toEqual([]);
      expect(okAfter).toBeGreaterThan(0);

      server.child.kill('SIGTERM');
      expect(await exited(server.child, 30000)).toBe(0);
    } finally {
      stop = true;
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 360000);
});

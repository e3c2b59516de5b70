/**
 * `affinity serve --workers 2` as operators run it (the CLI built, real processes, the real Neo4j):
 * both workers answer on the one port, each with its own serving cache; a killed worker is
 * replaced; SIGTERM stops them all and the primary exits 0; workers that cannot start stop the
 * server with exit code 1 instead of being restarted for ever.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { Services } from '../../src/app';
import { buildCli, childPids, exited, freePort, get } from '../support/cli-process';
import { migrate, testServices } from '../support/runtime';

let cli = '';

interface Readyz {
  status: string;
  worker: number | null;
  servingCache: { state: string };
}

/** The server's output so far, shown when a wait fails. */
let serverLog = '';

function serve(port: number, workers: number, adminPort: number): ChildProcess {
  serverLog = '';
  const child = spawn(process.execPath, [cli, 'serve', '--port', String(port), '--workers', String(workers)], {
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ADMIN_PORT: String(adminPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // pino logs to stdout; errors before the logger exists go to stderr.
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (serverLog += chunk.toString('utf8')));
  return child;
}

/** Worker ids seen answering the admin listener's /readyz, polled until `want` says so. */
async function workersAnswering(adminPort: number, want: (ids: Set<number>) => boolean, timeoutMs = 60000): Promise<Set<number>> {
  const ids = new Set<number>();
  let lastError = '';
  const deadline = Date.now() + timeoutMs;
  while (!want(ids)) {
    if (Date.now() > deadline) throw new Error(`workers seen: ${[...ids].join(', ')}; last error: ${lastError}; server log:\n${serverLog.slice(-2000)}`);
    try {
      const body = JSON.parse((await get(`http://127.0.0.1:${adminPort}/readyz`)).body) as Readyz;
      if (body.worker !== null) ids.add(body.worker);
    } catch (error) {
      // Not listening yet.
      lastError = String(error);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return ids;
}

describe('serve --workers', () => {
  let services: Services;
  let key: string;

  beforeAll(async () => {
    cli = buildCli();
    services = testServices();
    await migrate(services);
    key = (await services.apiKeys.create({ role: 'frontend', label: 'server-workers test' })).key;
  }, 180000);

  afterAll(async () => {
    await services?.close();
  });

  it('serves from two workers on one port, replaces a killed one and stops them all on SIGTERM', async () => {
    const [port, adminPort] = [await freePort(), await freePort()];
    const primary = serve(port, 2, adminPort);
    try {
      expect([...(await workersAnswering(adminPort, (ids) => ids.size >= 2))].sort()).toEqual([1, 2]);
      const query = encodeURIComponent('{ products(first: 1) { totalCount } }');
      const answer = await get(`http://127.0.0.1:${port}/graphql?query=${query}`, { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).errors).toBeUndefined();

      const workerPids = childPids(primary.pid as number);
      expect(workerPids).toHaveLength(2);
      process.kill(workerPids[0], 'SIGKILL');
      await workersAnswering(adminPort, (ids) => ids.has(3));
      const replaced = childPids(primary.pid as number);
      expect(replaced).toHaveLength(2);

      primary.kill('SIGTERM');
      expect(await exited(primary, 30000)).toBe(0);
      for (const pid of replaced) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    } finally {
      if (primary.exitCode === null) primary.kill('SIGKILL');
    }
  }, 120000);

  it('exits 1 when the workers cannot start, instead of restarting them', async () => {
    const port = await freePort();
    const squatter = http.createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    const primary = serve(port, 2, await freePort());
    try {
      expect(await exited(primary, 60000)).toBe(1);
    } finally {
      if (primary.exitCode === null) primary.kill('SIGKILL');
      await new Promise((r) => squatter.close(r));
    }
  }, 90000);
});

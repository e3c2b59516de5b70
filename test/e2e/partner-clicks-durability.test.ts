/**
 * A redirect is answered only when its click is durable: `kill -9` of the server (the CLI built,
 * a real process) in the middle of a click load, a restart on the same journal, the clients
 * retrying what got no answer, and the clicks in the graph equal the redirects answered — none
 * lost, none doubled.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import { PartnerClickRepository } from '../../src/repositories/partner-click.repository';
import { TrackingLinks } from '../../src/services/partner/tracking-link';
import { partnerWithMembers, partnerWorld } from '../support/partners';
import { migrate, ns, testServices } from '../support/runtime';

const root = path.resolve(__dirname, '../..');
const buildDir = path.join(root, '.cache', 'partner-clicks-build');

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error('timeout'));
      })
      .on('error', reject);
  });
}

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

function serve(port: number, journalDir: string): ChildProcess {
  return spawn(process.execPath, [path.join(buildDir, 'src/cli/index.js'), 'serve', '--port', String(port)], {
    // A long flush interval keeps clicks in the journal, so the kill finds some there.
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', CLICK_JOURNAL_DIR: journalDir, CLICK_JOURNAL_FLUSH_MS: '700', SERVING_CACHE_USERS: '0' },
    stdio: 'ignore',
  });
}

async function healthy(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await get(`http://127.0.0.1:${port}/healthz`).catch(() => 0)) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not come up');
}

describe('click durability across kill -9', () => {
  let services: Services;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', buildDir, '--incremental', '--tsBuildInfoFile', path.join(buildDir, '.tsbuildinfo')], {
      cwd: root,
      stdio: 'inherit',
    });
    services = testServices();
    await migrate(services);
  }, 180000);

  afterAll(async () => services?.close());

  it('stores exactly the clicks whose redirects were answered', async () => {
    const world = await partnerWorld(services, ns('dur'), 4);
    const partnerId = `${world.prefix}P`;
    await partnerWithMembers(services, partnerId, world.userIds);
    const links = new TrackingLinks(services.config.partners.linkKey);
    const tokens = Array.from({ length: 1500 }, (_, i) =>
      links.seal({ partnerId, userId: world.userIds[i % 4], productId: world.catalogue.productIds[i % 30], recommendationId: `rec_${i}`, expiresAt: Date.now() + 600_000 }),
    );
    const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'click-journal-'));
    const port = await freePort();
    let child = serve(port, journalDir);
    await healthy(port);

    const answered = new Set<number>();
    const unanswered: number[] = [];
    let next = 0;
    let killed = false;
    const client = async (): Promise<void> => {
      while (next < tokens.length) {
        const i = next++;
        if (answered.size >= 400 && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
        const status = await get(`http://127.0.0.1:${port}/r/${tokens[i]}`).catch(() => 0);
        if (status === 302) answered.add(i);
        else unanswered.push(i);
      }
    };
    await Promise.all(Array.from({ length: 8 }, client));
    expect(killed).toBe(true);
    expect(unanswered.length).toBeGreaterThan(0);

    // Restart on the same journal; clients retry what got no answer (as a member clicks again).
    child = serve(port, journalDir);
    await healthy(port);
    for (const i of unanswered) {
      for (let attempt = 0; attempt < 5 && !answered.has(i); attempt++) {
        if ((await get(`http://127.0.0.1:${port}/r/${tokens[i]}`).catch(() => 0)) === 302) answered.add(i);
        else await new Promise((r) => setTimeout(r, 500));
      }
    }
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    expect(answered.size).toBe(tokens.length);
    expect(await new PartnerClickRepository(services.db).count([partnerId])).toBe(answered.size);
    expect(fs.readdirSync(journalDir)).toEqual([]);
  });
});

/**
 * A redirect is answered only when its click is durable: `kill -9` of the server (the CLI built,
 * a real process) in the middle of a click load, a restart on the same journal, the clients
 * retrying what got no answer, and the clicks in the graph equal the redirects answered — none
 * lost, none doubled.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import { PartnerClickRepository } from '../../src/repositories/partner-click.repository';
import { TrackingLinks } from '../../src/services/partner/tracking-link';
import { buildCli, freePort, get, runCli, waitFor } from '../support/cli-process';
import { partnerWithMembers, partnerWorld } from '../support/partners';
import { migrate, ns, testServices } from '../support/runtime';

let cli = '';

function serve(port: number, journalDir: string): ChildProcess {
  // A long flush interval keeps clicks in the journal, so the kill finds some there.
  return runCli(cli, ['serve', '--port', String(port)], { CLICK_JOURNAL_DIR: journalDir, CLICK_JOURNAL_FLUSH_MS: '700', SERVING_CACHE_USERS: '0' }).child;
}

function healthy(port: number): Promise<void> {
  return waitFor(async () => (await get(`http://127.0.0.1:${port}/healthz`)).status === 200, 60_000, () => 'the server did not come up');
}

describe('click durability across kill -9', () => {
  let services: Services;

  beforeAll(async () => {
    cli = buildCli();
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
        const status = await get(`http://127.0.0.1:${port}/r/${tokens[i]}`).then((r) => r.status).catch(() => 0);
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
        if ((await get(`http://127.0.0.1:${port}/r/${tokens[i]}`).then((r) => r.status).catch(() => 0)) === 302) answered.add(i);
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

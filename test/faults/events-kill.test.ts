/**
 * Acknowledged means durable: `kill -9` of the server (the CLI built, a real process) while clients
 * send event batches, a restart on the same journal, the clients retrying what got no answer, and
 * the relationships in the graph equal the events acknowledged — exactly one per eventId.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import { buildCli, freePort, get, runCli, waitFor } from '../support/cli-process';
import { makeCatalogue } from '../support/fixtures';
import { keyFor } from '../support/http';
import { migrate, ns, testServices } from '../support/runtime';

let cli = '';
const RECORD = 'mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { results { eventId status } } }';

function serve(port: number, journalDir: string): ChildProcess {
  // A long flush interval keeps journaled events waiting, so the kill finds some there.
  return runCli(cli, ['serve', '--port', String(port)], { EVENT_JOURNAL_DIR: journalDir, EVENT_JOURNAL_FLUSH_MS: '700', SERVING_CACHE_USERS: '0' }).child;
}

function healthy(port: number): Promise<void> {
  return waitFor(async () => (await get(`http://127.0.0.1:${port}/healthz`)).status === 200, 90_000, () => 'the server did not come up');
}

/** The eventIds the server acknowledged (ACCEPTED, or DUPLICATE: stored by an earlier try), or null without an answer. */
async function send(port: number, key: string, events: Record<string, unknown>[]): Promise<string[] | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: RECORD, variables: { e: events } }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { data?: { recordInteractions: { results: { eventId: string; status: string }[] } } };
    const results = body.data?.recordInteractions.results;
    return results ? results.filter((r) => r.status === 'ACCEPTED' || r.status === 'DUPLICATE').map((r) => r.eventId) : null;
  } catch {
    return null;
  }
}

describe('event durability across kill -9 of the server', () => {
  let services: Services;

  beforeAll(async () => {
    cli = buildCli();
    services = testServices();
    await migrate(services);
  }, 300000);

  afterAll(async () => services?.close());

  it('stores exactly the events acknowledged, once each', async () => {
    const prefix = ns('evkill');
    const { productIds } = await makeCatalogue(services, prefix, 20);
    const key = await keyFor(services, 'frontend');
    const batches = Array.from({ length: 120 }, (_, b) =>
      Array.from({ length: 10 }, (_, i) => ({ eventId: `${prefix}e${b}-${i}`, userId: `${prefix}u${(b + i) % 7}`, productId: productIds[(b * 10 + i) % 20], type: 'VIEW' })),
    );
    const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'events-journal-'));
    const port = await freePort();
    let child = serve(port, journalDir);
    await healthy(port);

    const acknowledged = new Set<string>();
    const unanswered: number[] = [];
    let next = 0;
    let killed = false;
    const client = async (): Promise<void> => {
      while (next < batches.length) {
        const b = next++;
        if (acknowledged.size >= 300 && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
        const ids = await send(port, key, batches[b]);
        if (ids) for (const id of ids) acknowledged.add(id);
        else unanswered.push(b);
      }
    };
    await Promise.all(Array.from({ length: 6 }, client));
    expect(killed).toBe(true);
    expect(unanswered.length).toBeGreaterThan(0);

    // Restart on the same journal; clients retry what got no answer.
    child = serve(port, journalDir);
    await healthy(port);
    for (const b of unanswered) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const ids = await send(port, key, batches[b]);
        if (ids) {
          for (const id of ids) acknowledged.add(id);
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    const [row] = await services.db.readOne<{ relationships: number; distinct: number }>(
      { name: 't', cypher: 'MATCH ()-[r:INTERACTED]->() WHERE r.eventId STARTS WITH $p RETURN count(r) AS relationships, count(DISTINCT r.eventId) AS distinct' },
      { p: prefix },
    );
    console.log(`kill -9 of the server: events acknowledged ${acknowledged.size}, relationships in the graph ${row.relationships}`);
    expect(acknowledged.size).toBe(batches.length * 10);
    expect(row).toEqual({ relationships: acknowledged.size, distinct: acknowledged.size });
    expect(fs.readdirSync(journalDir)).toEqual([]);
  }, 300000);
});

/**
 * The affiliate loop under load, against a server child process and the configured Neo4j:
 * partnerRecommendations (--refs memberRefs × --items items per request, --concurrency partners
 * asking at once), tracking link redirects (GET /r/<token>) with a `kill -9` + restart variant,
 * and recordConversion. Each row prints requests/s, p50/p99 and the CPU milliseconds per operation
 * of the server and of Neo4j; the click rows print the redirects answered beside the clicks that
 * reached the graph (they must be equal).
 *
 * Setup (not timed, idempotent): --partners partners `bench-partner-<i>` sharing --members users of
 * the graph (each partner a window of them, neighbours overlapping), and a partner key each.
 *
 *   npm run build && node dist/bench/partner.js [--partners 5] [--members 20000] [--refs 50] [--items 10]
 *       [--concurrency 8] [--seconds 20] [--click-clients 32] [--conversion-clients 16] [--workers 1] [--port 4115]
 *
 * Point it at a Neo4j with a shop in it (e.g. `affinity seed synthetic`; the 100k bench graph) via
 * NEO4J_HOME_DIR/NEO4J_BOLT_PORT or NEO4J_URI. Partner rate limits are off in the server it starts.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createServices, Services } from '../src/app';
import { loadConfig } from '../src/config';
import { migrate } from './support/migrate';
import { PartnerClickRepository } from '../src/repositories/partner-click.repository';
import { TrackingLinks } from '../src/services/partner/tracking-link';
import { GraphQLClient } from './support/graphql-client';
import { arg, awaitServingCache, cpuSeconds, neo4jPid, percentile, printTable, processTree, ServerProcess, startServerProcess } from './support/process';

const argv = process.argv.slice(2);
const PARTNERS = arg(argv, '--partners', 5);
const MEMBERS = arg(argv, '--members', 20000);
const REFS = arg(argv, '--refs', 50);
const ITEMS = arg(argv, '--items', 10);
const CONCURRENCY = arg(argv, '--concurrency', 8);
const SECONDS = arg(argv, '--seconds', 20);
const CLICK_CLIENTS = arg(argv, '--click-clients', 32);
const CONVERSION_CLIENTS = arg(argv, '--conversion-clients', 16);
const WORKERS = arg(argv, '--workers', 1);
const PORT = arg(argv, '--port', 4115);

const RECS = `query Recs($refs: [ID!]!) { partnerRecommendations(memberRefs: $refs, first: ${ITEMS}) { memberRef error { code } items { trackingUrl product { id title } } } }`;
const CONVERT = `mutation Convert($orderId: ID!, $userId: ID!, $items: [ConversionItemInput!]!) { recordConversion(orderId: $orderId, userId: $userId, items: $items) { partnerId } }`;
const USERS = { name: 'bench.partnerUsers', cypher: 'MATCH (u:User) WITH u ORDER BY u.id LIMIT toInteger($n) RETURN collect(u.id) AS ids' };
const PRODUCTS = { name: 'bench.products', cypher: 'MATCH (p:Product) WHERE p.inStock <> false WITH p LIMIT 2000 RETURN collect(p.id) AS ids' };

interface Partner {
  id: string;
  key: string;
  /** [memberRef, userId] */
  members: [string, string][];
}

type Row = {
  operation: string;
  requests: number;
  'per s': number;
  'p50 ms': number;
  'p99 ms': number;
  errors: number;
  'server CPU ms/op': number;
  'Neo4j CPU ms/op': number;
};

const log = (line: string): void => console.error(`[bench/partner] ${line}`);

async function setup(services: Services): Promise<{ partners: Partner[]; products: string[] }> {
  const users = (await services.db.readOne<{ ids: string[] }>(USERS, { n: MEMBERS }))[0]?.ids ?? [];
  const products = (await services.db.readOne<{ ids: string[] }>(PRODUCTS))[0]?.ids ?? [];
  if (users.length === 0 || products.length === 0) throw new Error('the database has no users or products: seed a shop first (affinity seed synthetic)');
  // Each partner shares a window of 1.5 / PARTNERS of the users: neighbours overlap, the union is every user.
  const window = Math.min(users.length, Math.ceil((users.length * 1.5) / PARTNERS));
  const partners: Partner[] = [];
  for (let i = 0; i < PARTNERS; i++) {
    const id = `bench-partner-${i + 1}`;
    const start = Math.floor((i * users.length) / PARTNERS);
    const members = Array.from({ length: window }, (_, j): [string, string] => {
      const userId = users[(start + j) % users.length];
      return [`bp${i + 1}-${userId}`, userId];
    });
    if (!(await services.partners.exists(id))) {
      await services.partners.register({ partnerId: id, name: `Bench partner ${i + 1}`, program: { defaultRate: 0.05, landingUrlTemplate: 'https://shop.example/p/{productId}' } });
      for (let k = 0; k < members.length; k += 1000) {
        await services.partners.link(id, members.slice(k, k + 1000).map(([memberRef, userId]) => ({ userId, memberRef, consentAt: new Date(), scopes: ['recommendations'] })));
      }
      log(`${id}: ${members.length} members linked`);
    }
    const key = (await services.apiKeys.create({ role: 'partner', partnerId: id, label: 'bench/partner' })).key;
    partners.push({ id, key, members });
  }
  return { partners, products };
}

/** Runs `op` from `clients` loops for `seconds` (or until `op` returns false); latencies in ms. */
async function load(clients: number, seconds: number, op: (client: number) => Promise<boolean | void>): Promise<{ latencies: number[]; errors: number; elapsed: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < until) {
        const t = process.hrtime.bigint();
        try {
          if ((await op(client)) === false) return;
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), errors, elapsed: (Date.now() - started) / 1000 };
}

/** Measures a load with the server's and Neo4j's CPU over it. */
async function measured(operation: string, server: ServerProcess, run: () => Promise<{ latencies: number[]; errors: number; elapsed: number }>): Promise<Row> {
  const neo = neo4jPid();
  const [s0, n0] = [cpuSeconds(server.pid), neo ? cpuSeconds(neo) : NaN];
  const { latencies, errors, elapsed } = await run();
  const [s1, n1] = [cpuSeconds(server.pid), neo ? cpuSeconds(neo) : NaN];
  const n = Math.max(1, latencies.length);
  return {
    operation,
    requests: latencies.length,
    'per s': latencies.length / elapsed,
    'p50 ms': percentile(latencies, 50),
    'p99 ms': percentile(latencies, 99),
    errors,
    'server CPU ms/op': ((s1 - s0) * 1000) / n,
    'Neo4j CPU ms/op': ((n1 - n0) * 1000) / n,
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function redirect(port: number, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: `/r/${token}`, agent, timeout: 10000 }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject)
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error('timeout'));
      });
  });
}

/** Polls the graph until it holds `want` clicks of the partners (the server flushes its journal in the background) or 60 s pass. */
async function clicksInGraph(clicks: PartnerClickRepository, partnerIds: string[], before: number, want: number): Promise<number> {
  const deadline = Date.now() + 60000;
  let now = (await clicks.count(partnerIds)) - before;
  while (now < want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    now = (await clicks.count(partnerIds)) - before;
  }
  return now;
}

function killTree(server: ServerProcess): void {
  for (const pid of processTree(server.pid).reverse()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const services = createServices(config);
  await migrate(services);
  const { partners, products } = await setup(services);
  const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-partner-journal-'));
  // The kill -9 variant's clients retry after a restart that reloads the serving cache (minutes on the
  // bench graph): the de-dup window must outlast it for a retry to merge into the click it repeats.
  const env = {
    CLICK_JOURNAL_DIR: journalDir,
    CLICK_DEDUP_WINDOW_S: process.env.CLICK_DEDUP_WINDOW_S ?? '1800',
    RATE_LIMIT_PARTNER_POINTS: '0',
    RATE_LIMIT_POINTS: '0',
    PUBLIC_BASE_URL: `http://127.0.0.1:${PORT}`,
  };
  // Measured as a deployment takes traffic: every worker's serving cache loaded first.
  const start = async (): Promise<ServerProcess> => {
    const started = await startServerProcess(PORT, env, WORKERS);
    await awaitServingCache(started, (line) => console.error(`[bench/partner] ${line}`), WORKERS);
    return started;
  };
  let server = await start();
  const admin = (await services.apiKeys.create({ role: 'admin', label: 'bench/partner' })).key;
  const rows: Row[] = [];
  const rand = (n: number): number => Math.floor(Math.random() * n);

  // partnerRecommendations: each of CONCURRENCY clients is one partner asking for REFS random members.
  const recClients = partners.map((p) => new GraphQLClient(`http://127.0.0.1:${PORT}/graphql`, p.key));
  const ask = async (client: number): Promise<void> => {
    const p = partners[client % partners.length];
    const refs = Array.from({ length: REFS }, () => p.members[rand(p.members.length)][0]);
    const res = await recClients[client % partners.length].post<{ partnerRecommendations: { error: unknown }[] }>(RECS, { refs });
    if (res.errors) throw new Error(res.errors[0].message);
  };
  await load(CONCURRENCY, Math.min(5, SECONDS), ask); // warm-up
  rows.push(await measured(`partnerRecommendations ${REFS} refs x ${ITEMS}`, server, () => load(CONCURRENCY, SECONDS, ask)));

  // Redirects: distinct tokens, sealed here with the deployment's key as the server would.
  const links = new TrackingLinks(config.partners.linkKey);
  const clicks = new PartnerClickRepository(services.db);
  const partnerIds = partners.map((p) => p.id);
  const token = (): { token: string; userId: string } => {
    const p = partners[rand(partners.length)];
    const [, userId] = p.members[rand(p.members.length)];
    return { userId, token: links.seal({ partnerId: p.id, userId, productId: products[rand(products.length)], recommendationId: 'rec_bench', expiresAt: Date.now() + 3_600_000 }) };
  };
  const clickers: string[] = [];
  const clickRow = async (label: string, killAfterS: number | null): Promise<{ answered: number; inGraph: number }> => {
    const before = await clicks.count(partnerIds);
    let answered = 0;
    const unanswered: string[] = [];
    let killed = false;
    const started = Date.now();
    const row = await measured(label, server, () =>
      load(CLICK_CLIENTS, SECONDS, async () => {
        if (killAfterS !== null && !killed && Date.now() - started > killAfterS * 1000) {
          killed = true;
          killTree(server);
        }
        if (killed) return false;
        const t = token();
        const status = await redirect(PORT, t.token).catch(() => 0);
        if (status === 302) {
          answered += 1;
          clickers.push(t.userId);
        } else {
          unanswered.push(t.token);
          throw new Error(`HTTP ${status}`);
        }
      }),
    );
    rows.push(row);
    if (killed) {
      // Restart on the same journal; clients retry what got no answer (a member clicking again).
      server = await start();
      for (const t of unanswered) if ((await redirect(PORT, t).catch(() => 0)) === 302) answered += 1;
    }
    return { answered, inGraph: await clicksInGraph(clicks, partnerIds, before, answered) };
  };
  const plain = await clickRow('GET /r/<token>', null);
  const crashed = await clickRow('GET /r/<token>, kill -9 mid-run', SECONDS / 2);

  // Conversions by members who clicked: each attributed to a bench partner.
  const convClient = new GraphQLClient(`http://127.0.0.1:${PORT}/graphql`, admin);
  let attributed = 0;
  rows.push(
    await measured('recordConversion', server, () =>
      load(CONVERSION_CLIENTS, SECONDS, async () => {
        const userId = clickers[rand(clickers.length)];
        const items = [{ productId: products[rand(products.length)], quantity: 1 + rand(3), unitPrice: 5 + rand(50) }];
        const res = await convClient.post<{ recordConversion: { partnerId: string | null } }>(CONVERT, { orderId: `bench-${randomUUID()}`, userId, items });
        if (res.errors) throw new Error(res.errors[0].message);
        if (res.data?.recordConversion.partnerId) attributed += 1;
      }),
    ),
  );

  printTable(`bench/partner: ${PARTNERS} partners, ${partners.reduce((s, p) => s + p.members.length, 0)} member links, ${WORKERS} server worker(s), ${os.cpus().length} CPUs`, rows);
  printTable('clicks: redirects answered vs clicks in the graph', [
    { run: 'plain', 'redirects answered': plain.answered, 'clicks in graph': plain.inGraph, equal: plain.answered === plain.inGraph ? 'yes' : 'NO' },
    { run: 'kill -9 + restart', 'redirects answered': crashed.answered, 'clicks in graph': crashed.inGraph, equal: crashed.answered === crashed.inGraph ? 'yes' : 'NO' },
  ]);
  console.log(`conversions attributed to a partner: ${attributed} of ${rows[rows.length - 1].requests}`);
  for (const c of recClients) c.close();
  convClient.close();
  agent.destroy();
  await server.stop();
  await services.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

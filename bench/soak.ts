/**
 * Soak: mixed traffic at 70% of the measured capacity for --minutes (default 60) against a server
 * child process (`serve --workers`) and the configured Neo4j. The mix, by request: 70%
 * recommendations, 15% ingestion (recordInteractions, 5 new events), 10% profiles, 5% partner
 * calls (partnerRecommendations for 5 members). Capacity is measured first by a short closed-loop
 * ramp of the same mix (2..32 clients, the best throughput), unless --rate gives the offered load.
 * The load is open loop: request i is due at start + i / rate and its latency counts from then.
 *
 * Each minute it prints the server's RSS (all its processes), Neo4j's, p99 of the minute's
 * requests and its errors; at the end the RSS slope of each (least-squares over the minutes after
 * --warmup, default 5) and the errors in all, and writes an SVG plot of RSS and p99 over time.
 *
 *   npm run build && node dist/bench/soak.js [--minutes 60] [--rate <req/s>] [--warmup 5] [--workers 2]
 *       [--port 4211] [--clients 64] [--out .cache/soak.svg]
 *
 * Needs an active model in the configured Neo4j (NEO4J_HOME_DIR / NEO4J_BOLT_PORT), e.g. after
 * `affinity seed synthetic` and `affinity train`. Not part of `npm test`.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { linearRegression, quantileSorted } from 'simple-statistics';
import { createServices, Services } from '../src/app';
import { loadConfig } from '../src/config';
import { GraphQLClient } from './support/graphql-client';
import { arg, awaitServingCache, neo4jPid, printTable, projectRoot, rssMiB, startServerProcess, textArg } from './support/process';
import { SoakMinute, soakChartSvg } from './support/soak-chart';
import { migrate } from './support/migrate';

const argv = process.argv.slice(2);
const MINUTES = arg(argv, '--minutes', 60);
const WARMUP = Math.min(arg(argv, '--warmup', 5), Math.floor(MINUTES / 2));
const WORKERS = arg(argv, '--workers', 2);
const PORT = arg(argv, '--port', 4211);
const CLIENTS = arg(argv, '--clients', 64);
const OUT = path.resolve(textArg(argv, '--out', path.join(projectRoot, '.cache', 'soak.svg')));
const RAMP = [2, 4, 8, 16, 32];
const RAMP_SECONDS = 8;
const PARTNER = 'soak-partner';

const RECOMMEND = 'query($u: ID!) { recommendations(userId: $u, first: 20) { strategy edges { node { id title } } } }';
const PROFILE = 'query($u: ID!) { user(id: $u) { id profile { referenceTime rfm { recency frequency monetary } interests(first: 5) { category { id } } } } }';
const RECORD = 'mutation($e: [InteractionInput!]!) { recordInteractions(events: $e) { accepted rejected } }';
const PARTNER_RECS = 'query($refs: [ID!]!) { partnerRecommendations(memberRefs: $refs, first: 10) { memberRef items { product { id } } } }';

const log = (line: string): void => console.error(`[bench/soak] ${line}`);

interface World {
  users: string[];
  products: string[];
  memberRefs: string[];
  frontendKey: string;
  partnerKey: string;
}

async function prepare(services: Services): Promise<World> {
  if (!(await services.activeModel.current())) throw new Error('no active model: seed and train first (affinity seed synthetic ... && affinity train)');
  const users = (
    await services.db.readOne<{ id: string }>({ name: 'soak.users', cypher: 'MATCH (u:User) WHERE COUNT { (u)-[:INTERACTED]->() } >= 1 RETURN u.id AS id LIMIT 5000' })
  ).map((r) => r.id);
  const products = (await services.db.readOne<{ id: string }>({ name: 'soak.products', cypher: 'MATCH (p:Product) RETURN p.id AS id LIMIT 1000' })).map((r) => r.id);
  const members = users.slice(0, 500);
  const memberRefs = members.map((_, i) => `soak-ref-${i}`);
  if (!(await services.partners.exists(PARTNER))) {
    await services.partners.register({ partnerId: PARTNER, name: 'Soak partner', program: { defaultRate: 0.05, landingUrlTemplate: 'https://shop.example/p/{productId}' } });
    await services.partners.link(PARTNER, members.map((userId, i) => ({ userId, memberRef: memberRefs[i], consentAt: new Date(), scopes: ['recommendations'] })));
  }
  const frontendKey = (await services.apiKeys.create({ role: 'frontend', label: 'bench/soak' })).key;
  const partnerKey = (await services.apiKeys.create({ role: 'partner', partnerId: PARTNER, label: 'bench/soak' })).key;
  return { users, products, memberRefs, frontendKey, partnerKey };
}

/** One request of the mix, chosen by its number: 14 of 20 recommendations, 3 ingestion, 2 profiles, 1 partner call. */
function mixed(world: World, frontend: GraphQLClient, partner: GraphQLClient, stamp: string): (i: number) => Promise<void> {
  const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];
  return async (i) => {
    const slot = i % 20;
    const res =
      slot < 14
        ? await frontend.post(RECOMMEND, { u: pick(world.users) })
        : slot < 17
          ? await frontend.post(RECORD, {
              e: Array.from({ length: 5 }, (_, k) => ({ eventId: `soak-${stamp}-${i}-${k}`, userId: pick(world.users), productId: pick(world.products), type: 'VIEW' })),
            })
          : slot < 19
            ? await frontend.post(PROFILE, { u: pick(world.users) })
            : await partner.post(PARTNER_RECS, { refs: Array.from({ length: 5 }, () => pick(world.memberRefs)) });
    if (res.errors) throw new Error(res.errors[0].extensions?.code ?? res.errors[0].message);
  };
}

/** Closed loop at each ramp step; the best requests per second is the capacity. */
async function measureCapacity(request: (i: number) => Promise<void>): Promise<number> {
  let best = 0;
  let n = 0;
  for (const clients of RAMP) {
    let done = 0;
    const end = performance.now() + RAMP_SECONDS * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < end) {
          await request(n++).catch(() => undefined);
          done++;
        }
      }),
    );
    const rate = done / RAMP_SECONDS;
    log(`ramp: ${clients} clients, ${rate.toFixed(0)} req/s`);
    best = Math.max(best, rate);
  }
  return best;
}

interface Bucket {
  latencies: number[];
  errors: Map<string, number>;
}

async function main(): Promise<void> {
  const services = createServices(loadConfig(process.env));
  await migrate(services);
  const world = await prepare(services);
  await services.close();
  log(`${world.users.length} users, ${world.products.length} products, partner ${PARTNER} with ${world.memberRefs.length} members`);

  const server = await startServerProcess(PORT, { RATE_LIMIT_POINTS: '0', RATE_LIMIT_PARTNER_POINTS: '0' }, WORKERS);
  let stopped = false;
  try {
    // startServerProcess gives up waiting after 50 s; on a busy machine the workers take longer.
    for (let waited = 0; !(await fetch(`http://127.0.0.1:${PORT}/healthz`).then((r) => r.ok, () => false)); waited += 1000) {
      if (waited > 600000) throw new Error(`the server did not answer on :${PORT} within 10 minutes`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    await awaitServingCache(server, log, WORKERS);
    const frontend = new GraphQLClient(server.url, world.frontendKey, CLIENTS);
    const partner = new GraphQLClient(server.url, world.partnerKey, CLIENTS);
    const stamp = Date.now().toString(36);
    const request = mixed(world, frontend, partner, stamp);

    const given = arg(argv, '--rate', 0);
    const rate = given > 0 ? given : Math.max(1, Math.round(0.7 * (await measureCapacity(request))));
    log(`offered load: ${rate} req/s${given > 0 ? ' (--rate)' : ' (70% of the ramp\'s best)'} for ${MINUTES} minutes, ${WORKERS} workers`);

    const start = performance.now();
    const total = MINUTES * 60 * rate;
    const buckets: Bucket[] = Array.from({ length: MINUTES }, () => ({ latencies: [], errors: new Map() }));
    const minutes: SoakMinute[] = [];
    const neo4j = neo4jPid();
    const sample = (minute: number): void => {
      const bucket = buckets[minute - 1];
      const sorted = [...bucket.latencies].sort((a, b) => a - b);
      const row: SoakMinute = {
        minute,
        serverRssMiB: rssMiB(server.pid),
        neo4jRssMiB: neo4j ? rssMiB(neo4j) : NaN,
        p99Ms: sorted.length ? quantileSorted(sorted, 0.99) : NaN,
      };
      minutes.push(row);
      const errors = [...bucket.errors.values()].reduce((a, b) => a + b, 0);
      log(`minute ${minute}: ${sorted.length} requests, p99 ${row.p99Ms.toFixed(1)} ms, ${errors} errors, server RSS ${row.serverRssMiB.toFixed(0)} MiB, Neo4j RSS ${row.neo4jRssMiB.toFixed(0)} MiB`);
    };
    let sampled = 0;
    const sampler = setInterval(() => {
      const minute = Math.floor((performance.now() - start) / 60000);
      while (sampled < minute && sampled < MINUTES) sample(++sampled);
    }, 1000);

    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (;;) {
          const i = next++;
          if (i >= total) return;
          const due = start + (i * 1000) / rate;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const bucket = buckets[Math.min(MINUTES - 1, Math.floor((due - start) / 60000))];
          try {
            await request(i);
            bucket.latencies.push(performance.now() - due);
          } catch (error) {
            const code = error instanceof Error ? error.message : String(error);
            bucket.errors.set(code, (bucket.errors.get(code) ?? 0) + 1);
          }
        }
      }),
    );
    clearInterval(sampler);
    while (sampled < MINUTES) sample(++sampled);
    frontend.close();
    partner.close();
    await server.stop();
    stopped = true;
    const slope = (field: 'serverRssMiB' | 'neo4jRssMiB'): number => {
      const points = minutes.filter((m) => m.minute > WARMUP).map((m) => [m.minute, m[field]]);
      return points.length >= 2 ? linearRegression(points).m : NaN;
    };
    const errors = new Map<string, number>();
    for (const b of buckets) for (const [code, n] of b.errors) errors.set(code, (errors.get(code) ?? 0) + n);
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    printTable(
      `Soak: ${rate} req/s offered (70% recommendations, 15% ingestion, 10% profiles, 5% partner) for ${MINUTES} min, ${WORKERS} workers`,
      minutes.map((m, k) => ({
        minute: m.minute,
        requests: buckets[k].latencies.length,
        errors: [...buckets[k].errors.values()].reduce((a, b) => a + b, 0),
        'p99 ms': m.p99Ms,
        'server RSS MiB': m.serverRssMiB,
        'Neo4j RSS MiB': m.neo4jRssMiB,
      })),
    );
    const perMinute = (v: number): string => (Number.isNaN(v) ? 'n/a (fewer than 2 minutes after the warm-up)' : `${v.toFixed(2)} MiB/min`);
    console.log(`\nRSS slope after ${WARMUP} min of warm-up (least squares, target <= 1 MB/min): server ${perMinute(slope('serverRssMiB'))}, Neo4j ${perMinute(slope('neo4jRssMiB'))}`);
    console.log(`errors: ${errorCount}${errorCount ? ` (${[...errors].map(([c, n]) => `${c}: ${n}`).join(', ')})` : ''} (target 0)`);
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, await soakChartSvg(minutes, `Soak at ${rate} req/s, ${WORKERS} workers`));
    console.log(`plot of RSS and p99 per minute: ${OUT}`);
  } finally {
    // Also when the run fails, so no server is left behind on the port.
    if (!stopped) await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

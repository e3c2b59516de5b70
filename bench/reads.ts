/**
 * bench/reads: ordinary frontend reads, our server beside @neo4j/graphql (bench/support/peer-server.ts)
 * over the same Neo4j and data. For each query shape it first checks that both answer a sample of
 * requests with the same data (normalised: the two schemas spell the same read differently), then
 * counts the Neo4j statements a request runs and their db hits, then runs closed loops at 16 and 1
 * clients against each server in turn.
 *
 * Statements are counted by Neo4j itself: its query collector (db.stats.collect('QUERIES')) records
 * every statement any client runs while a few requests of one shape run one after the other against
 * the two servers. Background statements of ours (the serving cache's change-feed poll, the active
 * model version refresh) are left out, being per server, not per request. The collector hides list
 * and map parameters, so db hits come from the same requests run in this process (our services with
 * their serving cache loaded; the peer's schema over a driver that records what it runs): PROFILE of
 * each statement a request ran, with its parameters, averaged over the statements.
 *
 *   node dist/bench/reads.js [--seconds 20] [--warmup 5] [--clients 16,1] [--shapes 1,2,...] [--samples 20]
 *     [--cost-requests 10] [--port 4022] [--peer-port 4122]
 *
 * Needs the MovieLens demo with a published model and segments in the Neo4j of NEO4J_BOLT_PORT /
 * NEO4J_HOME_DIR, started with NEO4J_PLUGINS=apoc-core (the peer's date fields need APOC).
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { graphql } from 'graphql';
import { Neo4jGraphQL } from '@neo4j/graphql';
import neo4j, { Driver, ProfiledPlan } from 'neo4j-driver';
import { createServices } from '../src/app';
import { loadConfig } from '../src/config';
import { createContext } from '../src/context';
import { createSchema } from '../src/graphql/schema';
import { PEER_TYPE_DEFS, PeerStatement, recordingDriver } from './support/peer-server';
import { encodeCursor } from '../src/shared/cursor';
import { GraphQLClient, GraphQLResponse } from './support/graphql-client';
import { arg, awaitServingCache, cpuSeconds, neo4jPid, percentile, printTable, projectRoot, startServerProcess, textArg } from './support/process';

interface Shape {
  name: string;
  ours: string;
  peer: string;
  /** Variables of request i, for each server (the same read). */
  variables(i: number): { ours: Record<string, unknown>; peer: Record<string, unknown> };
  /** Both servers' data in one form, to compare. */
  normalise: { ours: (data: unknown) => unknown; peer: (data: unknown) => unknown };
}

interface Data {
  users: string[];
  products: string[];
  categories: string[];
}

type Json = Record<string, unknown>;
const log = (line: string): void => console.log(`[reads] ${line}`);
const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const categories = (list: Json[]): Json[] => [...list].sort((a, b) => byId(a as { id: string }, b as { id: string })).map((c) => ({ id: c.id, name: c.name }));
const event = (e: Json, product: Json): Json => ({ eventId: e.eventId, type: e.type, at: Date.parse(String(e.at)), product });

const EVENT_SORT = '[{ edge: { at: DESC } }, { edge: { eventId: DESC } }]';

/**
 * Pages start among the first this many products: the peer pages by offset over a sorted
 * collection, and past about 300 products (9,066 MovieLens products with their vectors) its page
 * query runs into Neo4j's default transaction memory limit (dbms.memory.transaction.total.max,
 * 70% of a 1 GiB heap). The bench prints that answer for a page at product 1000.
 */
const PAGE_DEPTH = 300;
const SETTLE_MS = 2000;

function shapes(data: Data): Shape[] {
  const pick = <T>(list: T[], i: number): T => list[(i * 7919) % list.length];
  return [
    {
      name: 'product by id with categories',
      ours: 'query($id: ID!) { product(id: $id) { id title price categories { id name } } }',
      peer: 'query($id: ID!) { products(where: { id: { eq: $id } }) { id title price categories { id name } } }',
      variables: (i) => ({ ours: { id: pick(data.products, i) }, peer: { id: pick(data.products, i) } }),
      normalise: {
        ours: (d) => product((d as { product: Json }).product),
        peer: (d) => product((d as { products: Json[] }).products[0]),
      },
    },
    {
      name: 'user, 10 latest interactions, product title + categories',
      ours: 'query($id: ID!) { user(id: $id) { id interactions(first: 10) { edges { node { eventId type at product { id title categories { id name } } } } } } }',
      peer: `query($id: ID!) { users(where: { id: { eq: $id } }) { id interactionsConnection(first: 10, sort: ${EVENT_SORT}) {
               edges { properties { eventId type at } node { id title categories { id name } } } } } }`,
      variables: (i) => ({ ours: { id: pick(data.users, i) }, peer: { id: pick(data.users, i) } }),
      normalise: {
        ours: (d) => oursUser((d as { user: Json }).user, true),
        peer: (d) => peerUser((d as { users: Json[] }).users[0], true),
      },
    },
    {
      name: 'page of 20 products with categories',
      ours: 'query($after: String) { products(first: 20, after: $after) { edges { node { id title categories { id name } } } } }',
      peer: 'query($after: String) { productsConnection(first: 20, after: $after, sort: [{ id: ASC }]) { edges { node { id title categories { id name } } } } }',
      // A page at a random place: ours by keyset (the id before it), the peer's by offset (its cursors).
      variables: (i) => {
        const start = (i * 7919) % Math.min(PAGE_DEPTH, data.products.length - 20);
        return {
          ours: { after: start === 0 ? null : encodeCursor([data.products[start - 1]]) },
          peer: { after: start === 0 ? null : Buffer.from(`arrayconnection:${start - 1}`).toString('base64') },
        };
      },
      normalise: {
        ours: (d) => (d as { products: { edges: { node: Json }[] } }).products.edges.map((e) => product(e.node)),
        peer: (d) => (d as { productsConnection: { edges: { node: Json }[] } }).productsConnection.edges.map((e) => product(e.node)),
      },
    },
    {
      name: "user's profile with segment",
      ours: 'query($id: ID!) { user(id: $id) { id country profile { segment { id label } } } }',
      peer: 'query($id: ID!) { users(where: { id: { eq: $id } }) { id country segments(where: { current: { eq: true } }) { id label } } }',
      variables: (i) => ({ ours: { id: pick(data.users, i) }, peer: { id: pick(data.users, i) } }),
      normalise: {
        ours: (d) => {
          const u = (d as { user: { id: string; country: string | null; profile: { segment: Json | null } } }).user;
          return { id: u.id, country: u.country, segment: u.profile.segment };
        },
        peer: (d) => {
          const u = (d as { users: { id: string; country: string | null; segments: Json[] }[] }).users[0];
          return { id: u.id, country: u.country, segment: u.segments[0] ?? null };
        },
      },
    },
    {
      name: 'category with a page of 20 of its products',
      ours: 'query($id: ID!) { category(id: $id) { id name } products(first: 20, filter: { categoryIds: [$id] }) { edges { node { id title } } } }',
      peer: `query($id: ID!) { categories(where: { id: { eq: $id } }) { id name
               productsConnection(first: 20, sort: [{ node: { id: ASC } }]) { edges { node { id title } } } } }`,
      variables: (i) => ({ ours: { id: pick(data.categories, i) }, peer: { id: pick(data.categories, i) } }),
      normalise: {
        ours: (d) => {
          const r = d as { category: Json; products: { edges: { node: Json }[] } };
          return { id: r.category.id, name: r.category.name, products: r.products.edges.map((e) => e.node) };
        },
        peer: (d) => {
          const c = (d as { categories: { id: string; name: string; productsConnection: { edges: { node: Json }[] } }[] }).categories[0];
          return { id: c.id, name: c.name, products: c.productsConnection.edges.map((e) => e.node) };
        },
      },
    },
    {
      name: '50 users, 5 latest interactions each',
      ours: 'query($ids: [ID!]!) { users(ids: $ids) { id interactions(first: 5) { edges { node { eventId type at product { id title } } } } } }',
      peer: `query($ids: [ID!]!) { users(where: { id: { in: $ids } }) { id interactionsConnection(first: 5, sort: ${EVENT_SORT}) {
               edges { properties { eventId type at } node { id title } } } } }`,
      variables: (i) => {
        const ids = Array.from({ length: 50 }, (_, k) => pick(data.users, i * 50 + k));
        return { ours: { ids }, peer: { ids } };
      },
      normalise: {
        ours: (d) => (d as { users: Json[] }).users.map((u) => oursUser(u, false)).sort(byId),
        peer: (d) => (d as { users: Json[] }).users.map((u) => peerUser(u, false)).sort(byId),
      },
    },
  ];
}

function product(p: Json): Json {
  return { ...p, ...(p.categories ? { categories: categories(p.categories as Json[]) } : {}) };
}

function oursUser(u: Json, withCategories: boolean): { id: string; events: Json[] } {
  const edges = (u.interactions as { edges: { node: Json & { product: Json } }[] }).edges;
  return { id: String(u.id), events: edges.map((e) => event(e.node, withCategories ? product(e.node.product) : e.node.product)) };
}

function peerUser(u: Json, withCategories: boolean): { id: string; events: Json[] } {
  const edges = (u.interactionsConnection as { edges: { properties: Json; node: Json }[] }).edges;
  return { id: String(u.id), events: edges.map((e) => event(e.properties, withCategories ? product(e.node) : e.node)) };
}

interface Server {
  name: 'ours' | 'peer';
  client: GraphQLClient;
  pid: number;
}

async function ask(server: Server, shape: Shape, i: number): Promise<unknown> {
  const variables = shape.variables(i);
  const res: GraphQLResponse<unknown> = await server.client.post(server.name === 'ours' ? shape.ours : shape.peer, server.name === 'ours' ? variables.ours : variables.peer);
  if (res.errors?.length) throw new Error(`${server.name} ${shape.name}: ${res.errors.map((e) => e.message).join('; ')}`);
  return res.data;
}

/** Both servers answer `samples` requests of the shape with the same data, or the bench stops. */
async function checkEqual(shape: Shape, ours: Server, peer: Server, samples: number): Promise<void> {
  for (let i = 0; i < samples; i++) {
    const a = JSON.stringify(shape.normalise.ours(await ask(ours, shape, i)));
    const b = JSON.stringify(shape.normalise.peer(await ask(peer, shape, i)));
    if (a !== b) throw new Error(`${shape.name}: the servers differ on request ${i}:\n ours ${a.slice(0, 800)}\n peer ${b.slice(0, 800)}`);
  }
}

/** Background statements of our server (per server, not per request), left out of the counts. */
const BACKGROUND = [/eventsRecordedAt >/, /updatedAt >/, /^MATCH \(m:ModelVersion \{active: true\}\)/, /db\.stats\./, /^RETURN 1 AS ok$/];

/** How many statements Neo4j ran while `work` ran (its query collector), without the background ones. */
async function statementsRun(driver: Driver, work: () => Promise<void>): Promise<number> {
  const run = async (cypher: string): Promise<Json[]> => {
    const session = driver.session();
    try {
      return (await session.run(cypher)).records.map((r) => r.toObject() as Json);
    } finally {
      await session.close();
    }
  };
  await run("CALL db.stats.stop('QUERIES')");
  await run("CALL db.stats.clear('QUERIES')");
  await run("CALL db.stats.collect('QUERIES')");
  await work();
  await run("CALL db.stats.stop('QUERIES')");
  const rows = await run("CALL db.stats.retrieve('QUERIES') YIELD data RETURN data");
  return rows
    .map((row) => row.data as { query: string; invocationSummary: { invocationCount: unknown } })
    .filter((d) => !BACKGROUND.some((re) => re.test(d.query.trim())))
    .reduce((sum, d) => sum + toNumber(d.invocationSummary.invocationCount), 0);
}

function toNumber(value: unknown): number {
  return neo4j.isInt(value) ? value.toNumber() : Number(value);
}

function dbHitsOf(plan: ProfiledPlan): number {
  return toNumber(plan.dbHits) + plan.children.reduce((sum, child) => sum + dbHitsOf(child), 0);
}

/** PROFILE of a statement as run; a leading `CYPHER ...` options line stays in front. */
async function profile(driver: Driver, statement: { query: string; params: Record<string, unknown> }): Promise<number> {
  const text = statement.query.trim();
  const options = /^CYPHER[^\n]*\n/.exec(text)?.[0] ?? '';
  const session = driver.session({ defaultAccessMode: neo4j.session.READ });
  try {
    const summary = (await session.run(`${options}PROFILE ${text.slice(options.length)}`, statement.params)).summary;
    return summary.profile ? dbHitsOf(summary.profile) : NaN;
  } finally {
    await session.close();
  }
}

/** Runs a request in this process and returns the statements it ran, with their parameters. */
type Recorded = (source: string, variables: Record<string, unknown>) => Promise<{ query: string; params: Record<string, unknown> }[]>;

/** Our schema over our services, serving cache loaded as in the server; statements from Database.captured. */
async function oursInProcess(): Promise<{ record: Recorded; close: () => Promise<void> }> {
  const services = createServices(loadConfig(process.env));
  services.servingCache.start();
  for (let waited = 0; services.servingCache.status().state !== 'ready' || services.servingCache.catalogue() === null; waited += 250) {
    if (waited > 600000) throw new Error('the serving cache did not load');
    await new Promise((r) => setTimeout(r, 250));
  }
  const schema = await createSchema();
  const principal = { keyId: 'bench-reads', role: 'admin' as const, partnerId: null };
  return {
    record: async (source, variableValues) => {
      services.db.captured = new Map();
      const result = await graphql({ schema, source, variableValues, contextValue: createContext(services, principal) });
      const captured = services.db.captured;
      services.db.captured = null;
      if (result.errors?.length) throw new Error(`ours in process: ${result.errors[0].message}`);
      return [...captured.values()].map((c) => ({ query: c.query.cypher, params: c.params }));
    },
    close: () => services.close(),
  };
}

/** The peer's schema over a driver that records what it runs. */
async function peerInProcess(driver: Driver): Promise<Recorded> {
  const schema = await new Neo4jGraphQL({ typeDefs: PEER_TYPE_DEFS, driver }).getSchema();
  return async (source, variableValues) => {
    const sink: PeerStatement[] = [];
    const result = await graphql({ schema, source, variableValues, contextValue: { executionContext: recordingDriver(driver, sink) } });
    if (result.errors?.length) throw new Error(`peer in process: ${result.errors[0].message}`);
    return sink.filter((s) => !s.query.includes('dbms.components()'));
  };
}

interface Cost {
  statements: number;
  dbHitsPerStatement: number;
}

async function costOf(driver: Driver, server: Server, recorded: Recorded, shape: Shape, requests: number): Promise<Cost> {
  const runs = await statementsRun(driver, async () => {
    for (let i = 0; i < requests; i++) await ask(server, shape, 1000 + i);
  });
  let hits = 0;
  let profiled = 0;
  for (let i = 0; i < requests; i++) {
    const variables = shape.variables(1000 + i);
    for (const statement of await recorded(server.name === 'ours' ? shape.ours : shape.peer, server.name === 'ours' ? variables.ours : variables.peer)) {
      hits += await profile(driver, statement);
      profiled += 1;
    }
  }
  return { statements: runs / requests, dbHitsPerStatement: profiled > 0 ? hits / profiled : 0 };
}

interface Row {
  requests: number;
  errors: number;
  seconds: number;
  latencies: number[];
  serverCpu: number;
  neo4jCpu: number;
}

/** `clients` closed loops of the shape for `seconds`, with the server's and Neo4j's CPU over that time. */
async function closedLoop(server: Server, shape: Shape, clients: number, seconds: number): Promise<Row> {
  const neo4j = neo4jPid();
  const s0 = cpuSeconds(server.pid);
  const n0 = neo4j ? cpuSeconds(neo4j) : NaN;
  const latencies: number[] = [];
  let errors = 0;
  let next = Math.floor(Math.random() * 100000);
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await ask(server, shape, next++);
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    errors,
    seconds: elapsed,
    latencies: latencies.sort((a, b) => a - b),
    serverCpu: cpuSeconds(server.pid) - s0,
    neo4jCpu: neo4j ? cpuSeconds(neo4j) - n0 : NaN,
  };
}

function startPeer(port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/bench/support/peer-server.js'), '--port', String(port)], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the peer server exited (${code})`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('peer @neo4j/graphql server on')) resolve({ child, url: `http://127.0.0.1:${port}/` });
    });
  });
}

async function prepare(): Promise<{ data: Data; key: string }> {
  const services = createServices(loadConfig(process.env));
  try {
    const read = async (cypher: string): Promise<string[]> => (await services.db.readOne<{ id: string }>({ name: 'bench.reads', cypher })).map((r) => r.id);
    const data = {
      users: await read('MATCH (u:User) WHERE EXISTS { (u)-[:IN_SEGMENT]->(:Segment {current: true}) } RETURN u.id AS id ORDER BY id'),
      products: await read('MATCH (p:Product) RETURN p.id AS id ORDER BY id'),
      categories: await read('MATCH (c:Category) RETURN c.id AS id ORDER BY id'),
    };
    if (data.users.length === 0) throw new Error('no segmented users: seed movielens, train and segment first (scripts/start.sh)');
    const key = (await services.apiKeys.create({ role: 'admin', label: 'bench-reads' })).key;
    return { data, key };
  } finally {
    await services.close();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seconds = arg(argv, '--seconds', 20);
  const warmup = arg(argv, '--warmup', 5);
  const clientCounts = textArg(argv, '--clients', '16,1').split(',').map(Number);
  const samples = arg(argv, '--samples', 20);
  const costRequests = arg(argv, '--cost-requests', 10);
  const only = textArg(argv, '--shapes', '');
  const { data, key } = await prepare();
  const config = loadConfig(process.env);
  // Lossless integers: recorded parameters go back to PROFILE as the integers they were, not floats.
  const driver = neo4j.driver(config.neo4j.uri, neo4j.auth.basic(config.neo4j.user, config.neo4j.password));

  const ourProcess = await startServerProcess(arg(argv, '--port', 4022), {}, 1);
  await awaitServingCache(ourProcess, log);
  const peerProcess = await startPeer(arg(argv, '--peer-port', 4122));
  const ours: Server = { name: 'ours', client: new GraphQLClient(ourProcess.url, key), pid: ourProcess.pid };
  const peer: Server = { name: 'peer', client: new GraphQLClient(peerProcess.url, key), pid: peerProcess.child.pid as number };
  const rows: Record<string, string | number>[] = [];
  const costs: Record<string, string | number>[] = [];
  const cost = new Map<string, { ours: Cost; peer: Cost }>();
  let deepPage: string;
  const all = shapes(data).filter((s, i) => !only || only.split(',').includes(String(i + 1)));
  try {
    const deep = await peer.client.post<unknown>(shapes(data)[2].peer, { after: Buffer.from('arrayconnection:999').toString('base64') });
    deepPage = deep.errors ? `error: ${deep.errors[0].message}` : 'answered';
    // Equal answers and costs first, with the in-process copies closed before any load runs.
    const oursRecorded = await oursInProcess();
    try {
      const peerRecorded = await peerInProcess(driver);
      for (const shape of all) {
        await checkEqual(shape, ours, peer, samples);
        const both = { ours: await costOf(driver, ours, oursRecorded.record, shape, costRequests), peer: await costOf(driver, peer, peerRecorded, shape, costRequests) };
        cost.set(shape.name, both);
        costs.push({
          shape: shape.name,
          'statements/req ours': both.ours.statements,
          'statements/req peer': both.peer.statements,
          'db hits/statement ours': Math.round(both.ours.dbHitsPerStatement),
          'db hits/statement peer': Math.round(both.peer.dbHitsPerStatement),
        });
        log(`${shape.name}: ${samples} sample answers equal; ${both.ours.statements} / ${both.peer.statements} statements per request`);
      }
    } finally {
      await oursRecorded.close();
    }
    for (const shape of all) {
      const both = cost.get(shape.name) as { ours: Cost; peer: Cost };
      for (const clients of clientCounts) {
        const measured: Record<string, Row> = {};
        for (const server of [ours, peer]) {
          // Apart by a pause: the other server's load leaves Neo4j work behind (its GC after the peer's pages).
          await new Promise((r) => setTimeout(r, SETTLE_MS));
          await closedLoop(server, shape, clients, warmup);
          measured[server.name] = await closedLoop(server, shape, clients, seconds);
        }
        const rate = (r: Row): number => r.requests / r.seconds;
        const perRequest = (cpu: number, r: Row): number => (1000 * cpu) / Math.max(1, r.requests);
        for (const server of [ours, peer]) {
          const r = measured[server.name];
          rows.push({
            shape: shape.name,
            clients,
            server: server.name,
            'req/s': Math.round(rate(r)),
            'p50 ms': percentile(r.latencies, 50),
            'p99 ms': percentile(r.latencies, 99),
            errors: r.errors,
            'server CPU ms/req': perRequest(r.serverCpu, r),
            'neo4j CPU ms/req': perRequest(r.neo4jCpu, r),
            'statements/req': both[server.name].statements,
            'db hits/statement': Math.round(both[server.name].dbHitsPerStatement),
            'ours/peer req/s': server.name === 'ours' ? (rate(r) / rate(measured.peer)).toFixed(2) : '',
          });
        }
      }
    }
  } finally {
    ours.client.close();
    peer.client.close();
    await ourProcess.stop();
    peerProcess.child.kill('SIGTERM');
    await driver.close();
  }
  if (deepPage) log(`the peer's page of 20 products after product 1000: ${deepPage}`);
  printTable(`Ordinary reads, closed loop, ${seconds} s per row (after ${warmup} s warm-up), ours vs @neo4j/graphql over the same Neo4j`, rows);
  printTable('Neo4j statements per request (query collector) and db hits per statement (PROFILE)', costs);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

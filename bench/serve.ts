/**
 * Read latency: `user { interactions(first: 20) { edges { node { product { title } } } } }` for random
 * users, at N concurrent clients for D seconds, against a server child process.
 *
 *   npm run build && node dist/bench/serve.js [--clients 32] [--seconds 30] [--port 4101]
 *
 * Uses whatever data the configured Neo4j holds (e.g. after `affinity seed movielens`).
 */
import 'reflect-metadata';
import { createServices } from '../src/app';
import { loadConfig } from '../src/config';
import { GraphQLClient } from './support/graphql-client';
import { arg, neo4jPid, peakRssMiB, percentile, printTable, startServerProcess } from './support/process';

const QUERY = `query UserHistory($id: ID!) { user(id: $id) { interactions(first: 20) { edges { node { product { title } } } } } }`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const clients = arg(argv, '--clients', 32);
  const seconds = arg(argv, '--seconds', 30);
  const port = arg(argv, '--port', 4101);

  const services = createServices(loadConfig());
  const userIds = (
    await services.db.readOne<{ id: string }>({
      name: 'bench.users',
      cypher: 'MATCH (u:User) WHERE EXISTS { (u)-[:INTERACTED]->() } RETURN u.id AS id LIMIT 5000',
    })
  ).map((r) => r.id);
  if (userIds.length === 0) throw new Error('No users with interactions: seed data first (affinity seed movielens)');
  const key = (await services.apiKeys.create({ role: 'frontend', label: 'bench-serve' })).key;
  await services.db.close();

  const server = await startServerProcess(port);
  const client = new GraphQLClient(server.url, key);
  // Warm-up: JIT, connection pool, Neo4j page cache.
  for (let i = 0; i < 200; i++) await client.post(QUERY, { id: userIds[i % userIds.length] });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        const id = userIds[n++ % userIds.length];
        const t0 = performance.now();
        const body = await client.post(QUERY, { id });
        latencies.push(performance.now() - t0);
        if (body.errors) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const neo4j = neo4jPid();
  printTable(`bench/serve: user interactions(first: 20) with product titles, ${clients} clients, ${seconds} s`, [
    {
      requests: latencies.length,
      'req/s': Math.round(latencies.length / seconds),
      'p50 ms': percentile(latencies, 50),
      'p90 ms': percentile(latencies, 90),
      'p99 ms': percentile(latencies, 99),
      errors,
      'server peak RSS MiB': Math.round(peakRssMiB(server.pid)),
      'neo4j peak RSS MiB': neo4j ? Math.round(peakRssMiB(neo4j)) : 'n/a',
    },
  ]);
  client.close();
  await server.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Ingestion throughput: synthetic events through `recordInteractions` over HTTP in batches of 500,
 * from several concurrent clients, against a server child process and the configured Neo4j.
 *
 *   npm run build && node dist/bench/ingest.js [--events 1000000] [--users 100000] [--products 50000]
 *                                                [--batch 500] [--clients 4] [--workers 1] [--port 4100]
 *
 * Products are loaded first (not timed); each run uses fresh eventIds so every event is new. Each
 * batch is one Cypher statement (product check, duplicate check and write: interaction.record).
 */
import 'reflect-metadata';
import { createServices } from '../src/app';
import { loadConfig } from '../src/config';
import { DatasetLoader } from '../src/pipeline/load-dataset';
import { generateSynthetic } from '../seeds/synthetic/generate-synthetic';
import { arg, neo4jPid, peakRssMiB, printTable, startServerProcess } from './support/process';
import { migrate } from './support/migrate';

const RECORD = `mutation Ingest($events: [InteractionInput!]!) { recordInteractions(events: $events) { accepted duplicates rejected } }`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const events = arg(argv, '--events', 1_000_000);
  const users = arg(argv, '--users', 100_000);
  const products = arg(argv, '--products', 50_000);
  const batch = arg(argv, '--batch', 500);
  const clients = arg(argv, '--clients', 4);
  const port = arg(argv, '--port', 4100);
  const workers = arg(argv, '--workers', 1);

  const dataset = generateSynthetic({ users, products, events, seed: 1234, name: 'bench-ingest' });
  const services = createServices(loadConfig());
  await migrate(services);
  process.stderr.write(`loading ${dataset.products.length} products (not timed)...\n`);
  await new DatasetLoader(services.repositories, 5000).load({ ...dataset, users: [], interactions: [] });
  const key = (await services.apiKeys.create({ role: 'frontend', label: 'bench-ingest' })).key;
  await services.db.close();

  const run = Date.now().toString(36);
  const payloads: string[] = [];
  for (let i = 0; i < dataset.interactions.length; i += batch) {
    const slice = dataset.interactions.slice(i, i + batch).map((e) => ({
      eventId: `${run}:${e.eventId}`,
      userId: e.userId,
      productId: e.productId,
      type: e.type,
      at: new Date(e.at).toISOString(),
      rating: e.rating ?? null,
      reviewText: e.reviewText ?? null,
      sessionId: e.sessionId ?? null,
    }));
    payloads.push(JSON.stringify({ query: RECORD, variables: { events: slice } }));
  }

  const server = await startServerProcess(port, {}, workers);
  let next = 0;
  let accepted = 0;
  let rejected = 0;
  let done = 0;
  const started = Date.now();
  const progress = setInterval(() => {
    const s = (Date.now() - started) / 1000;
    process.stderr.write(`  ${done}/${events} events, ${(done / s).toFixed(0)}/s\n`);
  }, 5000);
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < payloads.length) {
        const body = payloads[next++];
        const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
        const json = (await res.json()) as { data?: { recordInteractions: { accepted: number; rejected: number; duplicates: number } }; errors?: unknown[] };
        if (!json.data) throw new Error(`ingest failed: ${JSON.stringify(json.errors)}`);
        accepted += json.data.recordInteractions.accepted;
        rejected += json.data.recordInteractions.rejected;
        done += batch;
      }
    }),
  );
  clearInterval(progress);
  const seconds = (Date.now() - started) / 1000;
  const neo4j = neo4jPid();
  printTable('bench/ingest: recordInteractions over HTTP', [
    {
      events,
      batch,
      clients,
      workers,
      seconds,
      'events/s': Math.round(events / seconds),
      accepted,
      rejected,
      'server peak RSS MiB': Math.round(peakRssMiB(server.pid)),
      'neo4j peak RSS MiB': neo4j ? Math.round(peakRssMiB(neo4j)) : 'n/a (external)',
    },
  ]);
  await server.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

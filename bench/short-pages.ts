/**
 * Walks every user of the configured database and counts short recommendation pages: a page of
 * `first` that holds fewer than min(first, eligible) products, eligible = not seen (no filter).
 * Prints the count, the users who were short, and the latency of the slowest users beside the
 * median, served through the services as the server serves (Neo4j's sources; the serving cache is
 * not started here).
 *
 *   npm run build && node dist/bench/short-pages.js [--first 20] [--limit 0]
 */
import 'reflect-metadata';
import { createServices } from '../src/app';
import { loadConfig } from '../src/config';
import { arg, percentile, printTable } from './support/process';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const first = arg(argv, '--first', 20);
  const limit = arg(argv, '--limit', 0);
  const services = createServices(loadConfig());
  try {
    const users = await services.db.readOne<{ id: string; seen: number; eligible: number }>(
      {
        name: 'bench.usersWithHistory',
        cypher: `MATCH (p:Product) WITH count(p) AS catalogue
                 MATCH (u:User) WHERE EXISTS { (u)-[:INTERACTED]->() }
                 WITH u, catalogue, COUNT { MATCH (u)-[:INTERACTED]->(p:Product) RETURN DISTINCT p } AS seen
                 RETURN u.id AS id, seen, catalogue - seen AS eligible ORDER BY seen DESC, id`,
      },
      {},
    );
    const chosen = limit > 0 ? users.slice(0, limit) : users;
    // Not timed: the first request loads the model artifact and warms the JIT and Neo4j's plans.
    if (users.length > 0) await services.recommendations.recommend({ userId: users[users.length - 1].id, first });
    const rows: { id: string; seen: number; items: number; expected: number; ms: number; strategy: string }[] = [];
    for (const user of chosen) {
      const started = performance.now();
      const page = await services.recommendations.recommend({ userId: user.id, first });
      rows.push({ id: user.id, seen: user.seen, items: page.items.length, expected: Math.min(first, user.eligible), ms: performance.now() - started, strategy: page.strategy });
    }
    const short = rows.filter((r) => r.items < r.expected);
    const heavy = rows.slice(0, Math.max(1, Math.round(rows.length / 100)));
    const ms = (list: typeof rows) => list.map((r) => r.ms).sort((a, b) => a - b);
    printTable(`short pages, first: ${first}`, [
      { users: 'all', count: rows.length, 'short pages': short.length, 'p50 ms': percentile(ms(rows), 50).toFixed(1), 'p99 ms': percentile(ms(rows), 99).toFixed(1) },
      {
        users: `top 1% by history (${heavy[heavy.length - 1]?.seen}-${heavy[0]?.seen} seen)`,
        count: heavy.length,
        'short pages': heavy.filter((r) => r.items < r.expected).length,
        'p50 ms': percentile(ms(heavy), 50).toFixed(1),
        'p99 ms': percentile(ms(heavy), 99).toFixed(1),
      },
    ]);
    for (const r of short.slice(0, 20)) console.log(`short: ${r.id} seen ${r.seen} got ${r.items} of ${r.expected} (${r.strategy})`);
    for (const r of heavy.slice(0, 5)) console.log(`heavy: ${r.id} seen ${r.seen} got ${r.items} (${r.strategy}) in ${r.ms.toFixed(1)} ms`);
  } finally {
    await services.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

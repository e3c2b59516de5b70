/**
 * In-process cost of the serving cache's memory budget per request: the user lookup as a plain Map
 * (before the budget) against lru-cache with a byte budget (get with a shared options object,
 * moving the entry to the recent end) plus the hit/miss counter, over --users held users asked for
 * at random. Prints ns per lookup and the young-generation GCs each variant caused: none means the
 * lookup allocates nothing per request. Not part of `npm test`; time it alone:
 *
 *   npm run build && node --expose-gc dist/bench/serving-cache-budget.js [--users 100000] [--lookups 5000000]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import { arg, printTable } from './support/process';

interface Entry {
  list: Int32Array;
}

const GET = {};

function measure(name: string, lookups: number, keys: string[], order: Uint32Array, get: (key: string) => Entry | undefined): Promise<Record<string, string | number>> {
  let gcs = 0;
  const observer = new PerformanceObserver((list) => {
    gcs += list.getEntries().length;
  });
  (globalThis as { gc?: () => void }).gc?.();
  return new Promise((resolve) => {
    // Let the forced GC's entry arrive before observing.
    setTimeout(() => {
      observer.observe({ entryTypes: ['gc'] });
      let found = 0;
      const started = process.hrtime.bigint();
      for (let i = 0; i < lookups; i++) if (get(keys[order[i % order.length]]) !== undefined) found++;
      const ns = Number(process.hrtime.bigint() - started) / lookups;
      setTimeout(() => {
        observer.disconnect();
        resolve({ lookup: name, 'ns/lookup': ns.toFixed(1), found, 'GCs during loop': gcs });
      }, 50);
    }, 50);
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const users = arg(argv, '--users', 100_000);
  const lookups = arg(argv, '--lookups', 5_000_000);
  const keys = Array.from({ length: users }, (_, i) => `user-${i}`);
  const order = Uint32Array.from({ length: 1 << 20 }, () => Math.floor(Math.random() * users));
  const map = new Map<string, Entry>();
  const lru = new LRUCache<string, Entry>({ max: users, maxSize: 2 ** 40 });
  for (const key of keys) {
    const entry = { list: new Int32Array(64) };
    map.set(key, entry);
    lru.set(key, entry, { size: 400 });
  }
  let hits = 0;
  let misses = 0;
  const rows = [];
  // Twice each, alternating: the first pass warms the JIT.
  for (let pass = 0; pass < 2; pass++) {
    rows.push(await measure('Map.get (before)', lookups, keys, order, (key) => map.get(key)));
    rows.push(
      await measure('LRUCache.get + counter (budget)', lookups, keys, order, (key) => {
        const entry = lru.get(key, GET);
        if (entry === undefined) misses++;
        else hits++;
        return entry;
      }),
    );
  }
  if (!(globalThis as { gc?: () => void }).gc) console.log('(run with node --expose-gc for a clean heap before each variant)');
  printTable(`serving-cache lookup, ${users} users held, ${lookups} random lookups per row (second pass of each is the warmed one)`, rows);
  console.log(`(hits ${hits}, misses ${misses})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

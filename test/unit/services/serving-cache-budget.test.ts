/**
 * The serving cache's memory budget: a load stops when the budget is full, a user asked for who is
 * not held is counted as a miss and read in the background (displacing the least recently asked-for),
 * and hits and evictions are counted. The repository and active model are stubs; against the real
 * Neo4j (answers identical to an unbounded cache) see test/integration/serving-cache-budget.test.ts.
 */
import type { ActiveModel, ActiveModelService } from '../../../src/services/active-model.service';
import type { ServingCacheReads } from '../../../src/services/recommendation/serving-cache/serving-cache-reads';
import type { ListedUserRow } from '../../../src/repositories/candidate-list.repository';
import { ServingCache } from '../../../src/services/recommendation/serving-cache/serving-cache.service';
import { entryBytes, valueBytes } from '../../../src/services/recommendation/serving-cache/entry-bytes';

const model: ActiveModel = { id: 'v1', slot: 'a', dim: 2, trainedAt: 1000, artifactDir: null, listSize: 64, newProducts: 0 };
const noFilter = { inStockOnly: false, categoryIds: null, minPrice: null, maxPrice: null, excludeIds: [], productIds: null };
// Same-length ids and lists: every user takes the same bytes.
const ids = Array.from({ length: 10 }, (_, i) => `bu${i}`);
const row = (id: string): ListedUserRow => ({ id, ids: ['p1', 'p3'], scores: [0.9, 0.5], freshEvents: 0, recent: [['p2', 'VIEW', 1, 500]] });

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function loadedCache(maxBytes: number) {
  const byId: string[][] = [];
  const repo = {
    products: async () => ['p1', 'p2', 'p3'].map((id) => ({ id, title: id, description: null, price: 1, currency: null, brand: null, inStock: true, categoryIds: [] })),
    categories: async () => [],
    listedUsers: async (_slot: string, args: { after: string; limit: number }) => ids.filter((id) => id > args.after).slice(0, args.limit).map(row),
    listedUsersById: async (_slot: string, args: { ids: string[] }) => {
      byId.push(args.ids);
      // 'nobody' has no list: read once, then remembered.
      return args.ids.filter((id) => id !== 'nobody').map(row);
    },
    changesSince: async () => ({ users: [], products: [], categories: [], now: Date.now() }),
    latestEvents: async () => [],
  } as unknown as ServingCacheReads;
  const active = { current: async () => model } as unknown as ActiveModelService;
  const cache = new ServingCache(repo, active, { maxUsers: 100, maxBytes, pollMs: 10, recentLimit: 20, maxAwaitingLists: 0 });
  cache.start();
  await until(() => cache.status().state === 'ready');
  return { cache, byId };
}

describe('ServingCache memory budget', () => {
  let perUser = 0;
  beforeAll(async () => {
    const { cache } = await loadedCache(2 ** 30);
    expect(cache.status().users).toBe(ids.length);
    perUser = cache.status().bytes / ids.length;
    await cache.stop();
  });

  it('loads users until the budget is full, then reads a user asked for and drops the least recently asked-for', async () => {
    const { cache, byId } = await loadedCache(Math.floor(perUser * 3.5));
    try {
      expect(cache.status()).toMatchObject({ users: 3, bytes: perUser * 3, evictions: 0 });
      expect(cache.listed(model, 'bu1', noFilter, 2)).not.toBeNull();
      expect(cache.listed(model, 'bu0', noFilter, 2)).not.toBeNull();
      // bu2 is now the least recently asked-for.
      expect(cache.listed(model, 'bu7', noFilter, 2)).toBeNull();
      expect(cache.status()).toMatchObject({ hits: 2, misses: 1 });
      await until(() => cache.listed(model, 'bu7', noFilter, 2) !== null);
      expect(byId).toEqual([['bu7']]);
      expect(cache.status()).toMatchObject({ users: 3, evictions: 1 });
      expect(cache.status().bytes).toBeLessThanOrEqual(perUser * 3.5);
      expect(cache.foldInEvents(model, 'bu2')).toBeNull();
      expect(cache.listed(model, 'bu2', noFilter, 2)).toBeNull();
      expect(cache.listed(model, 'bu1', noFilter, 2)?.candidates.map((c) => c.id)).toEqual(['p1', 'p3']);
    } finally {
      await cache.stop();
    }
  });

  // With the budget full, or with the whole population held: a miss is read once, and a user without
  // a list and without events is remembered, not read again.
  it.each([
    ['with the budget full', () => Math.floor(perUser * 2.5), {}],
    ['when the whole population fits', () => 2 ** 30, { users: ids.length }],
  ])('reads a user without a list once, %s, then does not read them again', async (_case, budget, held) => {
    const { cache, byId } = await loadedCache(budget());
    try {
      expect(cache.listed(model, 'nobody', noFilter, 2)).toBeNull();
      await until(() => byId.length === 1);
      await new Promise((r) => setTimeout(r, 30));
      expect(cache.listed(model, 'nobody', noFilter, 2)).toBeNull();
      await new Promise((r) => setTimeout(r, 30));
      expect(byId).toEqual([['nobody']]);
      expect(cache.status()).toMatchObject({ misses: 2, ...held });
    } finally {
      await cache.stop();
    }
  });
});

describe('entryBytes', () => {
  it('counts typed arrays by their bytes and any field added to an entry', () => {
    const entry = { list: { ids: new Int32Array(64) }, recentAt: new Float64Array(20) };
    const withMore = { ...entry, latestEvents: [new Float64Array(100), 'a note'] };
    expect(valueBytes(new Int32Array(64))).toBeGreaterThanOrEqual(256);
    expect(valueBytes(entry)).toBeGreaterThan(256 + 160);
    expect(valueBytes(withMore) - valueBytes(entry)).toBeGreaterThan(800 + 12);
    expect(entryBytes('user-1', entry)).toBeGreaterThan(valueBytes(entry) + valueBytes('user-1'));
  });
});

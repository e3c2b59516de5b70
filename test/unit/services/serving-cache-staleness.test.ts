/**
 * The serving cache stops answering when it cannot poll the change feed (it could not know of
 * changes made through other servers), and polls less often while polls fail. The repository and active model are stubs here; the cache
 * against the real Neo4j is test/integration/serving-cache.test.ts.
 */
import type { ActiveModel, ActiveModelService } from '../../../src/services/active-model.service';
import type { Changes, ServingCacheReads } from '../../../src/services/recommendation/serving-cache/serving-cache-reads';
import type { ListedUserRow } from '../../../src/repositories/candidate-list.repository';
import { ServingCache } from '../../../src/services/recommendation/serving-cache/serving-cache.service';

const model: ActiveModel = { id: 'v1', slot: 'a', dim: 2, trainedAt: 0, artifactDir: null, listSize: 64, newProducts: 0 };
const user: ListedUserRow = { id: 'u1', ids: ['p1'], scores: [0.9], freshEvents: 0, recent: [] };
const noFilter = { inStockOnly: false, categoryIds: null, minPrice: null, maxPrice: null, excludeIds: [], productIds: null };

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ServingCache staleness', () => {
  it('answers while polls succeed, also late, stops within the staleness bound once they fail, and backs off', async () => {
    let failing = false;
    let slow = false;
    let failedPolls = 0;
    const repo = {
      products: async () => [{ id: 'p1', title: 'P1', description: null, price: 1, currency: null, brand: null, inStock: true, categoryIds: [] }],
      categories: async () => [],
      listedUsers: async () => [user],
      changesSince: async (): Promise<Changes> => {
        if (slow) await new Promise((r) => setTimeout(r, 2500));
        if (failing) {
          failedPolls += 1;
          throw new Error('Neo4j unavailable');
        }
        return { users: [], products: [], categories: [], now: Date.now() };
      },
    } as unknown as ServingCacheReads;
    const active = { current: async () => model } as unknown as ActiveModelService;
    const cache = new ServingCache(repo, active, { maxUsers: 10, maxBytes: 2 ** 30, pollMs: 20, recentLimit: 20, maxAwaitingLists: 0 });
    cache.start();
    try {
      await until(() => cache.status().state === 'ready', 2000);
      expect(cache.listed(model, 'u1', noFilter, 1)?.candidates.map((c) => c.id)).toEqual(['p1']);
      // A poll that succeeds late (a loaded machine) does not send every request to Neo4j.
      slow = true;
      await new Promise((r) => setTimeout(r, 2300));
      expect(cache.listed(model, 'u1', noFilter, 1)?.candidates.map((c) => c.id)).toEqual(['p1']);
      slow = false;
      await new Promise((r) => setTimeout(r, 400));
      failing = true;
      const failedAt = Date.now();
      await until(() => cache.listed(model, 'u1', noFilter, 1) === null, 4000);
      // max(8 × 20 ms, 2 s): not before the bound, and not long after it.
      expect(Date.now() - failedAt).toBeGreaterThanOrEqual(1900);
      // Failing polls back off (20, 40, 80 … ms) instead of retrying every 20 ms: about 100 in these 2 s otherwise.
      expect(failedPolls).toBeLessThanOrEqual(8);
    } finally {
      await cache.stop();
    }
  });
});

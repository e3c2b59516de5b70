/**
 * The serving cache's bookkeeping for users who acted since training: who is held for fold-in,
 * when their latest events are re-read, and which read wins when reads and new events interleave.
 * The repository and active model are stubs; against the real Neo4j see
 * test/integration/serving-cache.test.ts.
 */
import type { ActiveModel, ActiveModelService } from '../../../src/services/active-model.service';
import type { ChangedUserRow, Changes, LatestEventsRow, ListedUserRow, ServingCacheRepository } from '../../../src/repositories/serving-cache.repository';
import { ServingCache } from '../../../src/services/serving-cache/serving-cache.service';

const model: ActiveModel = { id: 'v1', slot: 'a', dim: 2, trainedAt: 1000, artifactDir: null, listSize: 64, newProducts: 0 };
const noFilter = { inStockOnly: false, minPrice: null, maxPrice: null, excludeIds: [] };
const listed = (id: string, freshEvents: number): ListedUserRow => ({
  id,
  ids: ['p1'],
  scores: [0.9],
  closestIds: [''],
  closestSimilarities: [-2],
  freshEvents,
  recent: [['p2', 'VIEW', 1, freshEvents > 0 ? 2000 : 500]],
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A stub feed: `report` is what the next polls return; latestEvents answers from `events` (or waits on `gate`). */
function setUp(maxUsers = 10) {
  const state = {
    report: [] as ChangedUserRow[],
    events: new Map<string, LatestEventsRow>(),
    reads: [] as string[][],
    gate: null as Promise<void> | null,
  };
  const repo = {
    products: async () => ['p1', 'p2', 'p3'].map((id) => ({ id, title: id.toUpperCase(), description: null, price: 1, currency: null, brand: null, inStock: true })),
    listedUsers: async (_slot: string, args: { after: string }) => (args.after === '' ? [listed('u1', 0), listed('u2', 1)] : []),
    // As Neo4j's feed: users stamped after `since`.
    changesSince: async (since: number): Promise<Changes> => ({ users: state.report.filter(([, at]) => at > since), products: [], now: Date.now() }),
    latestEvents: async (userIds: string[]): Promise<LatestEventsRow[]> => {
      state.reads.push(userIds);
      const rows = userIds.flatMap((id) => {
        const row = state.events.get(id);
        return row ? [row] : [];
      });
      await state.gate;
      return rows;
    },
  } as unknown as ServingCacheRepository;
  const active = { current: async () => model } as unknown as ActiveModelService;
  const cache = new ServingCache(repo, active, { maxUsers, pollMs: 10, recentLimit: 20 });
  return { cache, state };
}

/** Runs `body` against a started, loaded cache, and stops it afterwards. */
async function withLoadedCache(body: (fixture: ReturnType<typeof setUp>) => Promise<void>, maxUsers = 10): Promise<void> {
  const fixture = setUp(maxUsers);
  fixture.cache.start();
  try {
    await until(() => fixture.cache.status().state === 'ready');
    await body(fixture);
  } finally {
    await fixture.cache.stop();
  }
}

const eventsOf = (id: string, productId: string, at: number, freshEvents = 1, recordedAt = Date.now()): LatestEventsRow => ({
  id,
  freshEvents,
  recent: [[productId, 'CLICK', 2, at]],
  recordedAt,
});

describe('ServingCache fold-in users', () => {
  it('holds a user who acted after training (as loaded) for fold-in, not for their stored list', () =>
    withLoadedCache(async ({ cache }) => {
      expect(cache.listed(model, 'u1', noFilter, 1)?.candidates.map((c) => c.id)).toEqual(['p1']);
      expect(cache.foldInEvents(model, 'u1')).toBeNull();
      expect(cache.listed(model, 'u2', noFilter, 1)).toBeNull();
      expect(cache.foldInEvents(model, 'u2')).toEqual([{ productId: 'p2', title: 'P2', type: 'VIEW', weight: 1, at: 2000 }]);
      expect(cache.foldInEvents({ ...model, id: 'v2' }, 'u2')).toBeNull();
    }));

  it('answers a user with new events from Neo4j until their latest events are re-read', () =>
    withLoadedCache(async ({ cache, state }) => {
      let open: () => void = () => undefined;
      state.gate = new Promise((resolve) => (open = resolve));
      state.events.set('u1', eventsOf('u1', 'p3', 3000));
      cache.noteEvents(['u1']);
      expect(cache.listed(model, 'u1', noFilter, 1)).toBeNull();
      expect(cache.foldInEvents(model, 'u1')).toBeNull();
      open();
      await until(() => cache.foldInEvents(model, 'u1') !== null);
      expect(cache.foldInEvents(model, 'u1')?.map((r) => r.productId)).toEqual(['p3']);
      expect(cache.listed(model, 'u1', noFilter, 1)).toBeNull();
    }));

  it('discards a read that newer events overtook, and applies the read after them', () =>
    withLoadedCache(async ({ cache, state }) => {
      let open: () => void = () => undefined;
      state.gate = new Promise((resolve) => (open = resolve));
      state.events.set('u1', eventsOf('u1', 'p2', 3000));
      cache.noteEvents(['u1']);
      await until(() => state.reads.length === 1);
      // A second event lands while the first read is in flight.
      state.events.set('u1', eventsOf('u1', 'p3', 4000));
      cache.noteEvents(['u1']);
      open();
      state.gate = null;
      await until(() => state.reads.length === 2 && cache.foldInEvents(model, 'u1') !== null);
      expect(cache.foldInEvents(model, 'u1')?.map((r) => r.productId)).toEqual(['p3']);
    }));

  it('re-reads a user the feed reports once per new stamp, not on every poll of the overlap', () =>
    withLoadedCache(async ({ cache, state }) => {
      const stamp = Date.now();
      state.events.set('u1', eventsOf('u1', 'p3', 3000, 1, stamp));
      state.report = [['u1', stamp]];
      await until(() => cache.foldInEvents(model, 'u1') !== null);
      const polledAt = Date.now();
      await until(() => Date.now() - polledAt > 100);
      expect(state.reads).toEqual([['u1']]);
      state.events.set('u1', eventsOf('u1', 'p1', 5000, 1, stamp + 1));
      state.report = [['u1', stamp + 1]];
      await until(() => cache.foldInEvents(model, 'u1')?.[0].productId === 'p1');
      expect(state.reads).toEqual([['u1'], ['u1']]);
    }));

  it('leaves to Neo4j a user whose new events all predate training, and one it does not know', () =>
    withLoadedCache(async ({ cache, state }) => {
      state.events.set('u1', eventsOf('u1', 'p3', 900, 0));
      cache.noteEvents(['u1', 'nobody']);
      await until(() => state.reads.length === 1 && cache.status().users === 1);
      expect(cache.listed(model, 'u1', noFilter, 1)).toBeNull();
      expect(cache.foldInEvents(model, 'u1')).toBeNull();
      expect(cache.foldInEvents(model, 'nobody')).toBeNull();
    }));

  it('re-reads many pending users in pages of 500, up to the cache size', () =>
    withLoadedCache(async ({ cache, state }) => {
      const ids = Array.from({ length: 1200 }, (_, i) => `n${i}`);
      for (const id of ids) state.events.set(id, eventsOf(id, 'p3', 3000));
      cache.noteEvents(ids);
      // The two loaded users and 1000 of these fill the cache; the rest are left to Neo4j.
      await until(() => state.reads.flat().length === 1200);
      expect(state.reads.map((r) => r.length)).toEqual([500, 500, 200]);
      expect(cache.status().users).toBe(1002);
      expect(cache.foldInEvents(model, 'n0')).not.toBeNull();
      expect(cache.foldInEvents(model, 'n1199')).toBeNull();
    }, 1002));
});

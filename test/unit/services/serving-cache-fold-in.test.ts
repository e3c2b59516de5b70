/**
 * The serving cache's bookkeeping for users who acted since training: who is held for fold-in,
 * when their latest events are re-read, and which read wins when reads and new events interleave.
 * The repository and active model are stubs; against the real Neo4j see
 * test/integration/serving-cache.test.ts.
 */
import type { ActiveModel, ActiveModelService } from '../../../src/services/active-model.service';
import type { ChangedUserRow } from '../../../src/repositories/user.repository';
import type { Changes, ServingCacheReads } from '../../../src/services/recommendation/serving-cache/serving-cache-reads';
import type { LatestEventsRow } from '../../../src/repositories/interaction.repository';
import type { ListedUserRow } from '../../../src/repositories/candidate-list.repository';
import { CachedUser, CandidateListRow, toFoldedUser, withOwnEvents } from '../../../src/services/recommendation/serving-cache/cached-user';
import { ProductTable } from '../../../src/services/recommendation/serving-cache/product-table';
import type { FoldInLister } from '../../../src/services/recommendation/serving-cache/fold-in-lists';
import { ServingCache } from '../../../src/services/recommendation/serving-cache/serving-cache.service';
import { ChangeSignals } from '../../../src/services/change-signals';
import type { StoredEvent } from '../../../src/repositories/interaction.repository';

const model: ActiveModel = { id: 'v1', slot: 'a', dim: 2, trainedAt: 1000, artifactDir: null, listSize: 64, newProducts: 0 };
const noFilter = { inStockOnly: false, categoryIds: null, minPrice: null, maxPrice: null, excludeIds: [], productIds: null };
const listed = (id: string, freshEvents: number): ListedUserRow => ({
  id,
  ids: ['p1'],
  scores: [0.9],
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
function setUp(maxUsers = 10, lists: { lister: FoldInLister; maxAwaiting: number } | null = null, signals: ChangeSignals | null = null) {
  const state = {
    report: [] as ChangedUserRow[],
    events: new Map<string, LatestEventsRow>(),
    reads: [] as string[][],
    gate: null as Promise<void> | null,
  };
  const repo = {
    products: async () => ['p1', 'p2', 'p3'].map((id) => ({ id, title: id.toUpperCase(), description: null, price: 1, currency: null, brand: null, inStock: true, categoryIds: [] })),
    categories: async () => [],
    listedUsers: async (_slot: string, args: { after: string }) => (args.after === '' ? [listed('u1', 0), listed('u2', 1)] : []),
    // As Neo4j's feed: users stamped after `since`.
    changesSince: async (since: number): Promise<Changes> => ({ users: state.report.filter(([, at]) => at > since), products: [], categories: [], now: Date.now() }),
    latestEvents: async (userIds: string[]): Promise<LatestEventsRow[]> => {
      state.reads.push(userIds);
      const rows = userIds.flatMap((id) => {
        const row = state.events.get(id);
        return row ? [row] : [];
      });
      await state.gate;
      return rows;
    },
  } as unknown as ServingCacheReads;
  const active = { current: async () => model } as unknown as ActiveModelService;
  const cache = new ServingCache(repo, active, { maxUsers, maxBytes: 2 ** 30, pollMs: 10, recentLimit: 20, maxAwaitingLists: lists?.maxAwaiting ?? 0 }, signals, lists?.lister);
  return { cache, state };
}

/** Runs `body` against a started, loaded cache, and stops it afterwards. */
async function withLoadedCache(
  body: (fixture: ReturnType<typeof setUp>) => Promise<void>,
  maxUsers = 10,
  lists: Parameters<typeof setUp>[1] = null,
  signals: ChangeSignals | null = null,
): Promise<void> {
  const fixture = setUp(maxUsers, lists, signals);
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

  it('re-reads many pending users in pages of 500, the latest displacing the least recently used', () =>
    withLoadedCache(async ({ cache, state }) => {
      const ids = Array.from({ length: 1200 }, (_, i) => `n${i}`);
      for (const id of ids) state.events.set(id, eventsOf(id, 'p3', 3000));
      cache.noteEvents(ids);
      // The two loaded users and 1000 of these fill the cache; the last 200 read displace the two and n0..n197.
      await until(() => state.reads.flat().length === 1200);
      expect(state.reads.map((r) => r.length)).toEqual([500, 500, 200]);
      expect(cache.status().users).toBe(1002);
      expect(cache.status().evictions).toBe(200);
      expect(cache.foldInEvents(model, 'n1199')).not.toBeNull();
      expect(cache.foldInEvents(model, 'n198')).not.toBeNull();
      expect(cache.foldInEvents(model, 'n197')).toBeNull();
      expect(cache.foldInEvents(model, 'u1')).toBeNull();
    }, 1002));
});

/**
 * A stub lister: each call is recorded with the users' latest products; it answers from `lists`
 * (ids best first) once `gate` opens, or fails while `failing` is set.
 */
function stubLister() {
  const state = {
    calls: [] as [string, string[]][][],
    lists: new Map<string, string[]>(),
    gate: null as Promise<void> | null,
    failing: false,
  };
  const lister: FoldInLister = {
    lists: async (_model, users) => {
      state.calls.push(users.map((u) => [u.id, u.recent.map((r) => r.productId)]));
      const answer = new Map<string, CandidateListRow>();
      for (const { id } of users) {
        const ids = state.lists.get(id);
        if (ids) answer.set(id, { ids, scores: ids.map((_, i) => 0.9 - i / 10) });
      }
      await state.gate;
      if (state.failing) throw new Error('index search failed');
      return answer;
    },
  };
  return { lister, state };
}

describe('ServingCache and events this process stored', () => {
  const event = (userId: string, productId: string, at: number, eventId = `${userId}-${at}`): StoredEvent => ({
    eventId,
    userId,
    productId,
    type: 'CART',
    at,
    weight: 3,
    rating: null,
    reviewText: null,
    sessionId: null,
  });

  it('applies them to a held user at once, newest first (ties by eventId), and takes the feed\'s report of the stamp as old news', async () => {
    const signals = new ChangeSignals();
    await withLoadedCache(
      async ({ cache, state }) => {
        const stamp = Date.now();
        signals.emit('eventsStored', ['u1'], { events: [event('u1', 'p3', 3000, 'a'), event('u1', 'p1', 3000, 'b')], recordedAt: stamp });
        expect(cache.listed(model, 'u1', noFilter, 1)).toBeNull();
        expect(cache.foldInEvents(model, 'u1')?.map((r) => [r.productId, r.type, r.weight, r.at])).toEqual([
          ['p1', 'CART', 3, 3000],
          ['p3', 'CART', 3, 3000],
          ['p2', 'VIEW', 1, 500],
        ]);
        state.report = [['u1', stamp]];
        const reportedAt = Date.now();
        await until(() => Date.now() - reportedAt > 100);
        expect(state.reads).toEqual([]);
      },
      10,
      null,
      signals,
    );
  });

  it('re-reads instead when an event is not newer than every held one, when only backdated events reach a published user, and for users not held', async () => {
    const signals = new ChangeSignals();
    await withLoadedCache(
      async ({ state }) => {
        // u2 holds an event at 2000: one at 2000 could sort either side of it.
        state.events.set('u2', eventsOf('u2', 'p3', 2000));
        signals.emit('eventsStored', ['u2'], { events: [event('u2', 'p3', 2000)], recordedAt: Date.now() });
        // u1 is published (trained at 1000): an event at 900 is backdated.
        state.events.set('u1', eventsOf('u1', 'p3', 900, 0));
        signals.emit('eventsStored', ['u1', 'nobody'], { events: [event('u1', 'p3', 900), event('nobody', 'p1', 5000)], recordedAt: Date.now() });
        await until(() => state.reads.flat().length === 3);
        expect(state.reads.flat().sort()).toEqual(['nobody', 'u1', 'u2']);
      },
      10,
      null,
      signals,
    );
  });

  it('keeps at most recentLimit events', () => {
    const products = new ProductTable();
    const held = toFoldedUser(Array.from({ length: 20 }, (_, i) => ['p1', 'VIEW', 1, 1000 - i] as [string, string, number, number]), products);
    const after = withOwnEvents(held, [event('u', 'p2', 2000), event('u', 'p3', 2001)], products, 20) as CachedUser;
    expect(Array.from(after.recentAt)).toEqual([2001, 2000, ...Array.from({ length: 18 }, (_, i) => 1000 - i)]);
    expect(withOwnEvents(held, [event('u', 'p2', 1000)], products, 20)).toBeNull();
  });
});

describe('ServingCache fold-in lists', () => {
  it('searches a fresh user\'s list once in the background and then answers them from it, as folded in', async () => {
    const { lister, state } = stubLister();
    state.lists.set('u2', ['p3', 'p1']);
    await withLoadedCache(
      async ({ cache }) => {
        await until(() => cache.status().awaitingLists === 0 && cache.listed(model, 'u2', noFilter, 2) !== null);
        const page = cache.listed(model, 'u2', noFilter, 2);
        expect(page?.folded).toBe(true);
        expect(page?.candidates.map((c) => [c.id, c.score])).toEqual([
          ['p3', 0.9],
          ['p1', 0.8],
        ]);
        // The published user is not searched; the fresh one once, from their latest events.
        expect(state.calls).toEqual([[['u2', ['p2']]]]);
        // Requests the list cannot answer still fold the user in.
        expect(cache.foldInEvents(model, 'u2')?.map((r) => r.productId)).toEqual(['p2']);
        expect(cache.listed(model, 'u1', noFilter, 1)?.folded).toBe(false);
      },
      10,
      { lister, maxAwaiting: 100 },
    );
  });

  it('drops the list when the user acts again, and discards a list searched for their older events', async () => {
    const { lister, state } = stubLister();
    let open: () => void = () => undefined;
    state.gate = new Promise((resolve) => (open = resolve));
    state.lists.set('u2', ['p1']);
    await withLoadedCache(
      async ({ cache, state: feed }) => {
        await until(() => state.calls.length === 1);
        // The user acts while their first list is being searched.
        feed.events.set('u2', eventsOf('u2', 'p3', 3000));
        cache.noteEvents(['u2']);
        state.lists.set('u2', ['p2']);
        open();
        state.gate = null;
        await until(() => state.calls.length === 2 && cache.status().awaitingLists === 0);
        expect(state.calls[1]).toEqual([['u2', ['p3']]]);
        expect(cache.listed(model, 'u2', noFilter, 1)?.candidates.map((c) => c.id)).toEqual(['p2']);
        cache.noteEvents(['u2']);
        expect(cache.listed(model, 'u2', noFilter, 1)).toBeNull();
      },
      10,
      { lister, maxAwaiting: 100 },
    );
  });

  it('queues at most maxAwaitingLists users; the rest, and users of a failed search, are folded in per request', async () => {
    const { lister, state } = stubLister();
    let open: () => void = () => undefined;
    state.gate = new Promise((resolve) => (open = resolve));
    state.failing = true;
    for (const id of ['u2', 'n0', 'n1', 'n2']) state.lists.set(id, ['p1']);
    await withLoadedCache(
      async ({ cache, state: feed }) => {
        await until(() => state.calls.length === 1);
        for (const id of ['n0', 'n1', 'n2']) feed.events.set(id, eventsOf(id, 'p3', 3000));
        cache.noteEvents(['n0', 'n1', 'n2']);
        await until(() => cache.foldInEvents(model, 'n2') !== null);
        // u2's search is in flight; of the three re-read users one fits the queue.
        expect(cache.status().awaitingLists).toBe(2);
        open();
        state.gate = null;
        await until(() => state.calls.length === 2);
        state.failing = false;
        await until(() => cache.status().awaitingLists === 0);
        // The failed search was u2's: they stay folded in per request, as do n1 and n2.
        expect(state.calls.map((call) => call.map(([id]) => id))).toEqual([['u2'], ['n0']]);
        expect(cache.listed(model, 'u2', noFilter, 1)).toBeNull();
        expect(cache.foldInEvents(model, 'u2')).not.toBeNull();
        expect(cache.listed(model, 'n1', noFilter, 1)).toBeNull();
        expect(cache.foldInEvents(model, 'n1')).not.toBeNull();
      },
      10,
      { lister, maxAwaiting: 1 },
    );
  });

  it('keeps no list that names a product it has not read', async () => {
    const { lister, state } = stubLister();
    state.lists.set('u2', ['p1', 'p9']);
    await withLoadedCache(
      async ({ cache }) => {
        await until(() => state.calls.length === 1 && cache.status().awaitingLists === 0);
        expect(cache.listed(model, 'u2', noFilter, 1)).toBeNull();
        expect(cache.foldInEvents(model, 'u2')).not.toBeNull();
      },
      10,
      { lister, maxAwaiting: 100 },
    );
  });
});

/**
 * The serving cache against the real Neo4j: it answers published users as Neo4j's list path does,
 * without a round trip; once a user acted, whether through this process or through another server
 * (a second set of services: another replica, its cache not started, so Neo4j answers it), it
 * holds their latest events (its own events applied in memory, another server's re-read) and their
 * fold-in needs only the index search, with the page Neo4j's fold-in path gives; a changed product is re-read. A third server, with fold-in lists on, then
 * answers such users from their list with no round trip at all, with the same page.
 */
import type { Services } from '../../src/app';
import type { ActiveModel } from '../../src/services/active-model.service';
import type { CandidateFilter } from '../../src/repositories/candidate.cypher';
import { CandidateListRepository } from '../../src/repositories/candidate-list.repository';
import { InteractionRepository } from '../../src/repositories/interaction.repository';
import type { ListFilter } from '../../src/services/recommendation/serving-cache/listed-candidates';
import { RECENT_ITEMS } from '../../src/services/recommendation/limits';
import { ns, testServices } from '../support/runtime';
import { trainedShop } from '../support/trained-model';

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('serving cache', () => {
  let services: Services;
  let otherServer: Services;
  let listingServer: Services;
  let model: ActiveModel;
  let users: string[];
  /** More of the shop's users, none of whom act in these tests. */
  let quietUsers: string[];
  let repo: CandidateListRepository;
  const noFilter: ListFilter = { inStockOnly: false, categoryIds: null, minPrice: null, maxPrice: null, excludeIds: [], productIds: null };

  beforeAll(async () => {
    // Fold-in lists off: these tests follow the per-request fold-in (listingServer has them on).
    services = testServices({ SERVING_CACHE_POLL_MS: '50', SERVING_CACHE_FOLD_IN_LISTS: '0' });
    otherServer = testServices();
    listingServer = testServices({ SERVING_CACHE_POLL_MS: '50' });
    const { dataset } = await trainedShop(services, ns('cache'));
    const active = await services.activeModel.current();
    if (!active) throw new Error('no active model after training');
    model = active;
    repo = new CandidateListRepository(services.db);
    const everyone = [...new Set(dataset.interactions.map((e) => e.userId))];
    users = everyone.slice(0, 8);
    quietUsers = everyone.slice(8, 32);
    services.servingCache.start();
    listingServer.servingCache.start();
    for (const server of [services, listingServer]) {
      await until(() => server.servingCache.status().state === 'ready' && server.servingCache.status().modelVersion === model.id, 120000);
    }
  }, 600000);

  afterAll(async () => {
    await services?.close();
    await otherServer?.close();
    await listingServer?.close();
  });

  const neo4jList = async (userId: string, limit: number) => {
    const filter: CandidateFilter = { userId, excludeInteracted: true, inStockOnly: false, categoryIds: null, minPrice: null, maxPrice: null, excludeIds: [], productIds: null };
    const args = { userId, modelId: model.id, useLists: true, since: model.trainedAt, recentLimit: RECENT_ITEMS, k: 52, maxExtra: 200, limit, withVectors: false };
    return repo.personal(model.slot, args, filter);
  };

  it('answers published users with the candidates and latest events Neo4j\'s list path answers', async () => {
    expect(services.servingCache.status().users).toBeGreaterThanOrEqual(users.length);
    for (const userId of users) {
      const cached = services.servingCache.listed(model, userId, noFilter, 21);
      const stored = await neo4jList(userId, 21);
      expect(stored?.fromList).toBe(true);
      expect(cached?.candidates.map((c) => c.id)).toEqual(stored?.candidates.map((c) => c.id));
      cached?.candidates.forEach((c, i) => {
        expect(c.score).toBeCloseTo(stored?.candidates[i].score ?? NaN, 12);
        expect(c.product).toEqual(stored?.candidates[i].product);
      });
      expect(cached?.recent.map((r) => [r.productId, r.title, r.type, r.at])).toEqual(stored?.recent.map((r) => [r.productId, r.title, r.type, r.at]));
    }
  });

  it('serves a published user\'s recommendations without running the personal query', async () => {
    services.db.captured = new Map();
    const page = await services.recommendations.recommend({ userId: users[0], first: 20 });
    const ran = [...services.db.captured.keys()];
    services.db.captured = null;
    expect(page.strategy).toBe('MODEL');
    expect(page.items).toHaveLength(20);
    expect(ran.filter((name) => name.startsWith('recommendation.personal'))).toEqual([]);
    // The same page as without the cache: the stored list's products, ranked by exact score.
    const stored = await neo4jList(users[0], 32);
    const storedIds = new Set(stored?.candidates.map((c) => c.id));
    expect(page.items.filter((i) => !storedIds.has(i.productId))).toEqual([]);
    expect(page.items.map((i) => i.productId)).toEqual((await otherServer.recommendations.recommend({ userId: users[0], first: 20 })).items.map((i) => i.productId));
  });

  /** The page from a cached server (this one unless given) and from the other one (Neo4j's path) for the same request. */
  const bothPages = async (args: Parameters<Services['recommendations']['recommend']>[0], server = services) => {
    server.db.captured = new Map();
    const cached = await server.recommendations.recommend(args);
    const ran = [...server.db.captured.keys()];
    server.db.captured = null;
    const neo4j = await otherServer.recommendations.recommend(args);
    return { cached, neo4j, ran };
  };

  const similarTo = (reason: { kind: string }) => reason.kind === 'SIMILAR_TO_INTERACTED';
  const expectSamePage = (cached: Awaited<ReturnType<typeof bothPages>>['cached'], neo4j: typeof cached) => {
    expect(cached.strategy).toBe(neo4j.strategy);
    expect(cached.items.map((i) => i.productId)).toEqual(neo4j.items.map((i) => i.productId));
    cached.items.forEach((item, i) => {
      expect(item.score).toBeCloseTo(neo4j.items[i].score, 6);
      // Popularity reasons come from each server's own snapshot (refreshed every minute) of a trending
      // window that moves with the graph's newest event, so two servers may differ on them.
      expect(item.reasons.filter(similarTo)).toEqual(neo4j.items[i].reasons.filter(similarTo));
      expect(item.product).toEqual(neo4j.items[i].product);
    });
  };

  it('serves a category-filtered page from the list with the cached category tree: the page Neo4j gives', async () => {
    const catalogue = services.servingCache.catalogue();
    if (!catalogue) throw new Error('the serving cache holds no catalogue');
    const rootOf = (id: string): string => {
      let category = catalogue.category(id);
      while (category?.parentId) category = catalogue.category(category.parentId);
      return category?.id ?? id;
    };
    // The top-level category most of the user's list is in (a filter on a parent: its subcategories count).
    const counts = new Map<string, number>();
    for (const c of services.servingCache.listed(model, users[0], noFilter, 30)?.candidates ?? []) {
      for (const root of new Set(catalogue.categoriesOf(c.id).map((cat) => rootOf(cat.id)))) counts.set(root, (counts.get(root) ?? 0) + 1);
    }
    const [category, inList] = [...counts].sort((a, b) => b[1] - a[1])[0];
    expect(inList).toBeGreaterThanOrEqual(3);
    const { cached, neo4j, ran } = await bothPages({ userId: users[0], first: 3, filter: { categoryIds: [category] } });
    expect(ran.filter((name) => name.startsWith('recommendation.personal'))).toEqual([]);
    expect(cached.items).toHaveLength(3);
    expectSamePage(cached, neo4j);
  });

  it('folds a user in from memory once this process stored an event for them, with Neo4j\'s page', async () => {
    const userId = users[1];
    expect(services.servingCache.listed(model, userId, noFilter, 21)).not.toBeNull();
    const productId = (await neo4jList(userId, 1))?.candidates[0].id as string;
    services.db.captured = new Map();
    await services.interactions.record([{ eventId: `${ns('cache-own')}e`, userId, productId, type: 'PURCHASE' }]);
    // At once: the stored list no longer serves, and the user is folded in from the event this
    // process stored, applied in memory: the latest events Neo4j would give, with no re-read.
    expect(services.servingCache.listed(model, userId, noFilter, 21)).toBeNull();
    expect(services.servingCache.foldInEvents(model, userId)?.[0]).toMatchObject({ productId, type: 'PURCHASE' });
    const [reread] = await new InteractionRepository(otherServer.db).latestEvents([userId], { since: model.trainedAt, recentLimit: RECENT_ITEMS });
    expect(services.servingCache.foldInEvents(model, userId)?.map((e) => [e.productId, e.type, e.weight, e.at])).toEqual(reread.recent);
    // Polls (every 50 ms) report the stamp the write gave the user: not news, so nothing is re-read.
    await new Promise((r) => setTimeout(r, 300));
    expect([...services.db.captured.keys()]).not.toContain('servingCache.latestEvents');
    services.db.captured = null;

    const { cached, neo4j, ran } = await bothPages({ userId, first: 20 });
    expect(cached.strategy).toBe('FOLD_IN');
    expect(ran.filter((name) => name.startsWith('recommendation.')).map((name) => name.split('.')[1])).toEqual(['scores']);
    expect(cached.items.map((i) => i.productId)).not.toContain(productId);
    expectSamePage(cached, neo4j);
    expect(cached.items.some((i) => i.reasons.some((r) => r.kind === 'SIMILAR_TO_INTERACTED'))).toBe(true);
  });

  it('holds a user new to the model (events, no published vector) once asked for, and folds them in from memory as Neo4j does', async () => {
    const userId = `${ns('cache-newcomer')}u`;
    const products = (await neo4jList(users[3], 3))?.candidates.map((c) => c.id) ?? [];
    expect(products).toHaveLength(3);
    await otherServer.catalog.upsertUsers([{ id: userId }]);
    // Backdated events: not news since training, so only a request makes the cache read this user.
    const at = Date.now() - 30 * 86_400_000;
    await otherServer.interactions.record(products.map((productId, i) => ({ eventId: `${userId}-e${i}`, userId, productId, type: 'VIEW' as const, at })));
    expect(services.servingCache.foldInEvents(model, userId)).toBeNull();
    expect((await services.recommendations.recommend({ userId, first: 10 })).strategy).toBe('FOLD_IN');
    await until(() => services.servingCache.foldInEvents(model, userId) !== null, 10000);
    expect(services.servingCache.foldInEvents(model, userId)?.map((e) => e.productId).sort()).toEqual([...products].sort());
    const { cached, neo4j, ran } = await bothPages({ userId, first: 10 });
    expect(ran.filter((name) => name.startsWith('recommendation.')).map((name) => name.split('.')[1])).toEqual(['scores']);
    expectSamePage(cached, neo4j);
  });

  it('answers a user without events from the trending pool and the cached catalogue, with no round trip, until they act', async () => {
    // Two servers started now, so their trending pools are read in this test, from the same graph.
    const cold = testServices({ SERVING_CACHE_POLL_MS: '50' });
    const plain = testServices({ SERVING_CACHE_USERS: '0' });
    try {
      cold.servingCache.start();
      await until(() => cold.servingCache.status().state === 'ready' && cold.servingCache.status().modelVersion === model.id, 120000);
      const userId = `${ns('cache-cold')}u`;
      await plain.catalog.upsertUsers([{ id: userId }]);
      const args = { userId, first: 10, filter: { inStockOnly: true, maxPrice: 1000 } };
      expect((await cold.recommendations.recommend(args)).strategy).toBe('TRENDING');
      await until(() => cold.servingCache.withoutEvents(model, userId), 10000);
      cold.db.captured = new Map();
      const cached = await cold.recommendations.recommend(args);
      const ran = [...cold.db.captured.keys()];
      cold.db.captured = null;
      const neo4j = await plain.recommendations.recommend(args);
      expect(ran.filter((name) => name.startsWith('recommendation.'))).toEqual([]);
      expect(cached.strategy).toBe('TRENDING');
      expect(cached.items).toHaveLength(10);
      expect(cached.items.map((i) => [i.productId, i.score])).toEqual(neo4j.items.map((i) => [i.productId, i.score]));
      // Once they act (here through another server), they are no longer answered as without events.
      await plain.interactions.record([{ eventId: `${userId}-e0`, userId, productId: cached.items[0].productId, type: 'VIEW' }]);
      await until(() => !cold.servingCache.withoutEvents(model, userId), 10000);
    } finally {
      await cold.close();
      await plain.close();
    }
  });

  it('folds a user in from memory within a poll after another server stored an event for them', async () => {
    const userId = users[2];
    expect(services.servingCache.listed(model, userId, noFilter, 21)).not.toBeNull();
    const productId = (await neo4jList(userId, 1))?.candidates[0].id as string;
    await otherServer.interactions.record([{ eventId: `${ns('cache-other')}e`, userId, productId, type: 'CLICK' }]);
    await until(() => services.servingCache.foldInEvents(model, userId)?.[0]?.productId === productId);
    expect(services.servingCache.listed(model, userId, noFilter, 21)).toBeNull();
    const { cached, neo4j, ran } = await bothPages({ userId, first: 20 });
    expect(ran.some((name) => name.startsWith('recommendation.personal'))).toBe(false);
    expectSamePage(cached, neo4j);
  });

  it('folds in from memory with filters, diversity and later pages as Neo4j does', async () => {
    const userId = users[2];
    const first = await bothPages({ userId, first: 5, filter: { inStockOnly: true }, diversity: 0.6 });
    const next = await bothPages({ userId, first: 5, after: first.cached.items[4].cursor, diversity: 0.6 });
    const kept = await bothPages({ userId, first: 10, filter: { excludeInteracted: false } });
    for (const { cached, neo4j, ran } of [first, next, kept]) {
      expect(ran.some((name) => name.startsWith('recommendation.personal'))).toBe(false);
      expectSamePage(cached, neo4j);
    }
  });

  it('takes a product change another server wrote within a poll', async () => {
    const userId = users[3];
    const top = services.servingCache.listed(model, userId, { ...noFilter, inStockOnly: true }, 21)?.candidates[0];
    if (!top) throw new Error('no cached candidate');
    const [stored] = await services.db.readOne<{ categoryIds: string[] }>(
      { name: 'test.productCategories', cypher: 'MATCH (p:Product {id: $id}) RETURN COLLECT { MATCH (p)-[:IN_CATEGORY]->(c) RETURN c.id } AS categoryIds' },
      { id: top.id },
    );
    await otherServer.catalog.upsertProducts([
      { id: top.id, title: top.product.title, price: top.product.price ?? undefined, inStock: false, categoryIds: stored.categoryIds },
    ]);
    await until(() => services.servingCache.listed(model, userId, { ...noFilter, inStockOnly: true }, 21)?.candidates[0].id !== top.id);
    expect(services.servingCache.listed(model, userId, noFilter, 21)?.candidates[0].product.inStock).toBe(false);
    const page = await services.recommendations.recommend({ userId, first: 20, filter: { inStockOnly: true } });
    expect(page.items.map((i) => i.productId)).not.toContain(top.id);
  });

  it('does not answer while products embedded after publish must be merged into the lists, or for another version', () => {
    const userId = users[4];
    expect(services.servingCache.listed(model, userId, noFilter, 21)).not.toBeNull();
    expect(services.servingCache.listed({ ...model, newProducts: 1 }, userId, noFilter, 21)).toBeNull();
    expect(services.servingCache.listed({ ...model, listSize: null }, userId, noFilter, 21)).toBeNull();
    expect(services.servingCache.listed({ ...model, id: 'another-version' }, userId, noFilter, 21)).toBeNull();
  });

  const foldedList = (userId: string) => listingServer.servingCache.listed(model, userId, noFilter, 21);
  /** Recommendation queries a request ran, less those reading the popular-items snapshot (each server's first request, then once a minute). */
  const recommendationQueries = (ran: string[]) =>
    ran.filter((name) => name.startsWith('recommendation.') && !['recommendation.latestEvent', 'recommendation.trending'].includes(name));

  it('gives a user who acted through this server a fold-in list: their pages run no query and are Neo4j\'s fold-in pages', async () => {
    const userId = users[5];
    const productId = (await neo4jList(userId, 1))?.candidates[0].id as string;
    await listingServer.interactions.record([{ eventId: `${ns('cache-list')}e`, userId, productId, type: 'PURCHASE' }]);
    expect(foldedList(userId)).toBeNull();
    await until(() => foldedList(userId)?.folded === true);
    for (const args of [{ userId, first: 20 }, { userId, first: 10, filter: { inStockOnly: true } }]) {
      const { cached, neo4j, ran } = await bothPages(args, listingServer);
      expect(cached.strategy).toBe('FOLD_IN');
      expect(recommendationQueries(ran)).toEqual([]);
      expect(cached.items.map((i) => i.productId)).not.toContain(productId);
      expectSamePage(cached, neo4j);
    }
  });

  it('drops a fold-in list at once when the user acts again, and lists their newer events within a poll of another server\'s event', async () => {
    const userId = users[6];
    const [first, second] = (await neo4jList(userId, 2))?.candidates.map((c) => c.id) as string[];
    await otherServer.interactions.record([{ eventId: `${ns('cache-list-other')}e`, userId, productId: first, type: 'CLICK' }]);
    await until(() => foldedList(userId)?.folded === true);
    expect(foldedList(userId)?.candidates.map((c) => c.id)).not.toContain(first);
    await listingServer.interactions.record([{ eventId: `${ns('cache-list-again')}e`, userId, productId: second, type: 'CART' }]);
    expect(foldedList(userId)).toBeNull();
    await until(() => foldedList(userId)?.folded === true);
    expect(listingServer.servingCache.foldInEvents(model, userId)?.[0]).toMatchObject({ productId: second, type: 'CART' });
    const { cached, neo4j, ran } = await bothPages({ userId, first: 20 }, listingServer);
    expect(recommendationQueries(ran)).toEqual([]);
    expect(cached.items.map((i) => i.productId)).not.toContain(second);
    expectSamePage(cached, neo4j);
  });

  it('with a budget of about one user, answers every user as the unbounded cache does, reading the users asked for', async () => {
    const { users: held, bytes } = services.servingCache.status();
    const budget = testServices({ SERVING_CACHE_POLL_MS: '50', SERVING_CACHE_MB: String((1.9 * bytes) / held / 2 ** 20) });
    try {
      budget.servingCache.start();
      await until(() => budget.servingCache.status().state === 'ready' && budget.servingCache.status().modelVersion === model.id, 120000);
      expect(budget.servingCache.status().users).toBeLessThanOrEqual(2);
      const everyone = [...users, ...quietUsers];
      for (const userId of everyone) {
        const bounded = await budget.recommendations.recommend({ userId, first: 20 });
        expectSamePage(bounded, await services.recommendations.recommend({ userId, first: 20 }));
      }
      // A user asked for is read and held, displacing the one held before; answers stay the same.
      for (const userId of quietUsers.slice(0, 4)) {
        await until(() => budget.servingCache.listed(model, userId, noFilter, 21) !== null);
        budget.db.captured = new Map();
        const bounded = await budget.recommendations.recommend({ userId, first: 20 });
        const ran = [...budget.db.captured.keys()];
        budget.db.captured = null;
        expect(ran.filter((name) => name.startsWith('recommendation.personal'))).toEqual([]);
        expectSamePage(bounded, await services.recommendations.recommend({ userId, first: 20 }));
      }
      const status = budget.servingCache.status();
      expect(status.users).toBeLessThanOrEqual(2);
      expect(status.misses).toBeGreaterThanOrEqual(everyone.length - 1);
      expect(status.hits).toBeGreaterThanOrEqual(4);
      expect(status.evictions).toBeGreaterThanOrEqual(3);
    } finally {
      await budget.close();
    }
  }, 120000);
});

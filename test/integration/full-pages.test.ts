/**
 * Full pages (issue: heavy users got short or empty lists): for every user and filter, a page of
 * `first` holds min(first, eligible) products, where eligible = allowed by the filter and not seen;
 * hasNextPage is true exactly when more exist, and paging yields distinct products until they run
 * out — from Neo4j's sources and from the serving cache alike. The shop has heavy users who have
 * seen most of its catalogue: published ones (at training time) and one who acted since.
 */
import type { Services } from '../../src/app';
import type { Dataset, InteractionRecord } from '../../src/domain/records';
import type { RecommendationFilter, RecommendationPage } from '../../src/services/recommendation/types';
import { ns, testServices } from '../support/runtime';
import { trainedShop } from '../support/trained-model';

const FIRST = 20;

describe('full recommendation pages', () => {
  let services: Services;
  let dataset: Dataset;
  let categories: string[];
  const prefix = ns('full');
  /** Published heavy users: all but 7 of the shop's products seen, and 100 of them seen. */
  const allBut7 = `${prefix}heavy-7`;
  const seen100 = `${prefix}heavy-100`;

  const withHistory = (userId: string, productIds: string[], base: Dataset): Dataset => {
    const start = Math.min(...base.interactions.map((e) => e.at));
    const events: InteractionRecord[] = productIds.map((productId, i) => ({ eventId: `${userId}:${i}`, userId, productId, type: 'VIEW', at: start + i * 1000 }));
    return { ...base, users: [...base.users, { id: userId }], interactions: [...base.interactions, ...events] };
  };

  beforeAll(async () => {
    services = testServices();
    ({ dataset } = await trainedShop(services, prefix, {
      products: 220,
      extend: (d) => {
        const ids = d.products.map((p) => p.id).sort();
        return withHistory(seen100, ids.slice(0, 100), withHistory(allBut7, ids.slice(0, ids.length - 7), d));
      },
    }));
    categories = dataset.categories.map((c) => c.id);
  }, 300_000);

  afterAll(async () => {
    await services.servingCache.stop();
    await services.close();
  });

  /** Products the filter allows and the user has not seen, counted in Neo4j. */
  async function eligible(userId: string, filter: RecommendationFilter = {}): Promise<number> {
    const [row] = await services.db.readOne<{ n: number }>(
      {
        name: 'test.eligible',
        cypher: `MATCH (p:Product)
                 WHERE NOT EXISTS { MATCH (:User {id: $userId})-[:INTERACTED]->(p) }
                   AND (NOT $inStockOnly OR coalesce(p.inStock, true))
                   AND ($categoryIds IS NULL OR EXISTS { MATCH (p)-[:IN_CATEGORY]->(:Category)-[:SUBCATEGORY_OF*0..4]->(c:Category) WHERE c.id IN $categoryIds })
                 RETURN count(p) AS n`,
      },
      { userId, inStockOnly: filter.inStockOnly ?? false, categoryIds: filter.categoryIds ?? null },
    );
    return row.n;
  }

  async function seenBy(userId: string): Promise<Set<string>> {
    const rows = await services.db.readOne<{ id: string }>(
      { name: 'test.seen', cypher: 'MATCH (:User {id: $userId})-[:INTERACTED]->(p:Product) RETURN DISTINCT p.id AS id' },
      { userId },
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Every page until the last, checking each is full but the last and that no product repeats. */
  async function walk(userId: string, filter: RecommendationFilter, maxPages: number): Promise<{ ids: string[]; pages: RecommendationPage[] }> {
    const ids: string[] = [];
    const pages: RecommendationPage[] = [];
    let after: string | null = null;
    for (let i = 0; i < maxPages; i++) {
      const page: RecommendationPage = await services.recommendations.recommend({ userId, first: FIRST, after, filter });
      pages.push(page);
      ids.push(...page.items.map((item) => item.productId));
      if (!page.hasNextPage) break;
      expect(page.items).toHaveLength(FIRST);
      after = page.items[page.items.length - 1].cursor;
    }
    expect(new Set(ids).size).toBe(ids.length);
    return { ids, pages };
  }

  function pathsAlike(name: string, cache: boolean): void {
    describe(name, () => {
      beforeAll(async () => {
        if (!cache) return;
        services.servingCache.start();
        const deadline = Date.now() + 60_000;
        while (services.servingCache.status().state !== 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        expect(services.servingCache.status().state).toBe('ready');
      });

      it('gives every user of the shop min(first, eligible) products', async () => {
        const users = [...dataset.users.map((u) => u.id)];
        for (const userId of users) {
          const page = await services.recommendations.recommend({ userId, first: FIRST });
          const n = await eligible(userId);
          expect({ userId, items: page.items.length }).toEqual({ userId, items: Math.min(FIRST, n) });
          expect(page.hasNextPage).toBe(n > FIRST);
        }
      });

      it('gives a user who has seen all but 7 of the allowed products exactly those 7', async () => {
        const filter = { categoryIds: categories };
        expect(await eligible(allBut7, filter)).toBe(7);
        const page = await services.recommendations.recommend({ userId: allBut7, first: FIRST, filter });
        const seen = await seenBy(allBut7);
        expect(page.items).toHaveLength(7);
        expect(page.hasNextPage).toBe(false);
        expect(page.items.filter((i) => seen.has(i.productId))).toEqual([]);
        expect(page.strategy).toBe('MODEL');
      });

      it('pages a heavy user through 100 distinct unseen products, also with inStockOnly and a category filter', async () => {
        const seen = await seenBy(seen100);
        const plain = await walk(seen100, {}, 5);
        expect(plain.ids).toHaveLength(100);
        expect(plain.ids.filter((id) => seen.has(id))).toEqual([]);
        for (const filter of [{ inStockOnly: true, categoryIds: categories }, { inStockOnly: true, categoryIds: [categories[1]] }]) {
          const n = await eligible(seen100, filter);
          const walked = await walk(seen100, filter, 20);
          expect(walked.ids).toHaveLength(n);
          expect(walked.ids.filter((id) => seen.has(id))).toEqual([]);
        }
      });
    });
  }

  pathsAlike('from Neo4j', false);
  pathsAlike('from the serving cache', true);

  it('fills the page of a heavy user who acted since training (fold-in)', async () => {
    const userId = `${prefix}fresh-heavy`;
    const ids = dataset.products.map((p) => p.id).sort();
    const outcome = await services.interactions.record(ids.slice(0, ids.length - 7).map((productId, i) => ({ eventId: `${userId}:${i}`, userId, productId, type: 'VIEW' as const })));
    expect(outcome.results.every((r) => r.status === 'ACCEPTED')).toBe(true);
    const page = await services.recommendations.recommend({ userId, first: FIRST, filter: { categoryIds: categories } });
    expect(page.strategy).toBe('FOLD_IN');
    expect(page.items.map((i) => i.productId).sort()).toEqual(ids.slice(ids.length - 7));
    expect(page.hasNextPage).toBe(false);
  });
});

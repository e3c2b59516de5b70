/**
 * Catalogue reads from the serving cache's copy give what Neo4j gives: product pages under every
 * filter (subcategories included), keyset cursors and counts, products by id with only the selected
 * properties, categories of products with and without parents. A write through another server
 * reaches the copy within a poll; while polls fail it stops answering and Neo4j answers.
 */
import type { Services } from '../../src/app';
import type { ProductFilterParams, ProductSelection } from '../../src/repositories/product.repository';
import { CatalogService } from '../../src/services/catalog.service';
import { ns, testServices } from '../support/runtime';

const NO_FILTER: ProductFilterParams = { categoryIds: null, minPrice: null, maxPrice: null, inStock: null, brand: null, titleContains: null };

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('catalogue reads from the serving cache', () => {
  let services: Services;
  let other: Services;
  /** The same reads with no copy: Neo4j answers. */
  let neo4jOnly: CatalogService;
  const p = ns('cat');
  const cat = (id: string): string => `${p}${id}`;

  beforeAll(async () => {
    services = testServices({ SERVING_CACHE_POLL_MS: '50', SERVING_CACHE_FOLD_IN_LISTS: '0' });
    other = testServices();
    neo4jOnly = new CatalogService(services.repositories.products, services.repositories.categories, services.repositories.users, 100);
    // A tree: root > shoes > running; root > bags. Products in the leaves and one in root itself.
    await services.catalog.upsertProducts(
      Array.from({ length: 40 }, (_, i) => ({
        id: `${p}p${String(i).padStart(2, '0')}`,
        title: `${p} ${i % 3 === 0 ? 'Trail' : 'Road'} item ${i}`,
        description: `d${i}`,
        price: i % 7 === 0 ? undefined : 5 + i,
        currency: 'EUR',
        brand: i % 2 === 0 ? `${p}acme` : `${p}globex`,
        inStock: i % 4 !== 0,
        categoryIds: i === 39 ? [cat('root')] : i % 3 === 0 ? [cat('running'), cat('bags')] : i % 3 === 1 ? [cat('shoes')] : [cat('bags')],
      })),
      [
        { id: cat('root'), name: 'Root' },
        { id: cat('shoes'), name: 'Shoes', parentId: cat('root') },
        { id: cat('running'), name: 'Running', parentId: cat('shoes') },
        { id: cat('bags'), name: 'Bags', parentId: cat('root') },
      ],
    );
    services.servingCache.start();
    await until(() => services.servingCache.catalogue() !== null);
  });

  afterAll(async () => {
    await services.close();
    await other.close();
  });

  /** Every page of a filter, walked by cursor, with the count. */
  async function walk(catalog: CatalogService, filter: ProductFilterParams, size: number): Promise<{ pages: string[][]; count: number }> {
    const pages: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const page = await catalog.productPage(filter, size, after);
      pages.push(page.items.map((item) => `${item.node.id}:${item.node.title}:${item.node.price}`));
      if (!page.hasNextPage) return { pages, count: await page.totalCount() };
      after = page.items[page.items.length - 1].cursor;
    }
  }

  it.each<[string, Partial<ProductFilterParams>]>([
    ['the suite\'s products', {}],
    ['a category and its subcategories', { categoryIds: [cat('shoes')] }],
    ['the root: every level below', { categoryIds: [cat('root')] }],
    ['two categories', { categoryIds: [cat('running'), cat('bags')] }],
    ['a price range (no price: left out)', { minPrice: 10, maxPrice: 30 }],
    ['in stock', { inStock: true }],
    ['out of stock of a brand', { inStock: false, brand: `${p}acme` }],
    ['a title substring, any case', { titleContains: `${p.toUpperCase()} TRAIL` }],
  ])('pages %s as Neo4j does', async (_name, filter) => {
    // Title restricted to this suite's products: other suites write to the same database meanwhile.
    const scoped = { ...NO_FILTER, ...filter, titleContains: filter.titleContains ?? p };
    const fromNeo4j = await walk(neo4jOnly, scoped, 7);
    services.db.roundTrips = 0;
    const fromMemory = await walk(services.catalog, scoped, 7);
    expect(services.db.roundTrips).toBe(0);
    expect(fromMemory).toEqual(fromNeo4j);
    expect(fromMemory.count).toBeGreaterThan(0);
  });

  it('reads products by id with the selection, and categories with and without parents, as Neo4j does', async () => {
    const ids = [`${p}p00`, `${p}p01`, `${p}p39`, `${p}missing`];
    const selection: ProductSelection = { fields: ['title', 'price'], categories: 'rowsWithParent' };
    const fromNeo4j = await neo4jOnly.productsByIds(ids, selection);
    expect(fromNeo4j.map((row) => Object.keys(row).sort())).toEqual(Array(3).fill(['categories', 'id', 'price', 'title']));
    services.db.roundTrips = 0;
    const fromMemory = await services.catalog.productsByIds(ids, selection);
    expect(services.db.roundTrips).toBe(0);
    const pick = (rows: typeof fromNeo4j): unknown[] => rows.map((r) => ({ id: r.id, title: r.title, price: r.price, categories: r.categories })).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(pick(fromMemory)).toEqual(pick(fromNeo4j));
    expect(fromMemory.find((r) => r.id === `${p}p00`)?.categories).toEqual([
      { id: cat('bags'), name: 'Bags', parentId: cat('root') },
      { id: cat('running'), name: 'Running', parentId: cat('shoes') },
    ]);
    expect(await services.catalog.categoriesOfProducts(ids, false)).toEqual(
      (await neo4jOnly.categoriesOfProducts(ids, true)).map((c) => ({ ...c, parentId: c.parentId })),
    );
    const withoutParents = await neo4jOnly.categoriesOfProducts(ids, false);
    expect(withoutParents.every((c) => c.parentId === null)).toBe(true);
    expect((await services.catalog.allCategories(100000)).filter((c) => c.id.startsWith(p))).toEqual(
      (await neo4jOnly.allCategories(100000)).filter((c) => c.id.startsWith(p)),
    );
  });

  it('sees a product and a category written through another server within a poll', async () => {
    await other.catalog.upsertProducts(
      [{ id: `${p}new`, title: `${p} Road newcomer`, price: 99, inStock: true, categoryIds: [cat('fresh')] }],
      [{ id: cat('fresh'), name: 'Fresh', parentId: cat('shoes') }],
    );
    await until(async () => (await services.catalog.productsByIds([`${p}new`], { fields: ['title'], categories: 'rows' })).length === 1);
    const [row] = await services.catalog.productsByIds([`${p}new`], { fields: ['title'], categories: 'rows' });
    expect(row.categories?.map((c) => c.id)).toEqual([cat('fresh')]);
    // Under shoes now: the category filter follows the new category's parent.
    const shoes = await services.catalog.productPage({ ...NO_FILTER, categoryIds: [cat('shoes')], titleContains: 'newcomer' }, 5, null);
    expect(shoes.items.map((item) => item.node.id)).toEqual([`${p}new`]);
    await other.catalog.upsertProducts([], [{ id: cat('bags'), name: 'Bags and luggage', parentId: cat('root') }]);
    await until(async () => (await services.catalog.categoriesByIds([cat('bags')]))[0]?.name === 'Bags and luggage');
  });
});

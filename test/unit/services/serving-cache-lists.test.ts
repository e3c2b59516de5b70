/**
 * The serving cache's pure parts: a stored list turned into typed arrays and back, filtered as
 * Neo4j's list path filters it (candidate-list.repository.ts personalQuery).
 */
import type { ProductRow } from '../../../src/repositories/product.repository';
import type { ListedUserRow } from '../../../src/repositories/candidate-list.repository';
import { CachedUser, ListExplainer, StoredList, toCachedUser } from '../../../src/services/recommendation/serving-cache/cached-user';
import { ListFilter, listedCandidates, recentItems } from '../../../src/services/recommendation/serving-cache/listed-candidates';
import { ProductTable } from '../../../src/services/recommendation/serving-cache/product-table';

const product = (id: string, overrides: Partial<ProductRow> = {}): ProductRow => ({
  id,
  title: `title ${id}`,
  description: null,
  price: 10,
  currency: 'EUR',
  brand: null,
  inStock: true,
  ...overrides,
});

const noFilter: ListFilter = { inStockOnly: false, categoryIds: null, minPrice: null, maxPrice: null, excludeIds: [], productIds: null };

function setUp(products: ProductRow[], listed: Partial<ListedUserRow> = {}, explain: ListExplainer | null = null) {
  const table = new ProductTable();
  for (const p of products) table.set(p);
  const row: ListedUserRow = {
    id: 'u1',
    ids: ['p1', 'p2', 'p3', 'p4'],
    scores: [0.9, 0.8, 0.7, 0.6],
    freshEvents: 0,
    recent: [
      ['r1', 'PURCHASE', 3, 2000],
      ['r2', 'VIEW', 1, 1000],
    ],
    ...listed,
  };
  return { table, user: toCachedUser(row, table, explain) };
}

function listOf(user: CachedUser): StoredList {
  if (!user.list) throw new Error('the user holds no list');
  return user.list;
}

const catalogue = [product('p1'), product('p2'), product('p3'), product('p4'), product('r1'), product('r2')];

describe('listedCandidates', () => {
  it('names each entry\'s closest recent item as computed when the list was stored, and leaves it to requests without an explainer', () => {
    const asked: [string[], string[]][] = [];
    const { table, user } = setUp(catalogue, {}, (recentIds, listIds) => {
      asked.push([recentIds, listIds]);
      return { recentIndex: Int32Array.from([1, -1, 0, 0]), similarity: Float32Array.from([0.5, 0, 0.25, 0.125]) };
    });
    expect(asked).toEqual([[['r1', 'r2'], ['p1', 'p2', 'p3', 'p4']]]);
    const rows = listedCandidates(listOf(user), table, noFilter, 3);
    expect(rows?.map((r) => r.closest)).toEqual([{ productId: 'r2', similarity: 0.5 }, null, { productId: 'r1', similarity: 0.25 }]);
    expect(listedCandidates(listOf(setUp(catalogue).user), setUp(catalogue).table, noFilter, 1)?.[0].closest).toBeUndefined();
  });

  it('returns the list in order with scores and products', () => {
    const { table, user } = setUp(catalogue);
    const rows = listedCandidates(listOf(user), table, noFilter, 3);
    expect(rows?.map((r) => r.id)).toEqual(['p1', 'p2', 'p3']);
    expect(rows?.map((r) => r.score)).toEqual([0.9, 0.8, 0.7]);
    expect(rows?.[0].product.title).toBe('title p1');
  });

  it('drops out-of-stock products only under inStockOnly, keeping those of unknown stock', () => {
    const { table, user } = setUp([product('p1', { inStock: false }), product('p2', { inStock: null }), product('p3'), product('p4')]);
    expect(listedCandidates(listOf(user), table, { ...noFilter, inStockOnly: true }, 3)?.map((r) => r.id)).toEqual(['p2', 'p3', 'p4']);
    expect(listedCandidates(listOf(user), table, noFilter, 3)?.map((r) => r.id)).toEqual(['p1', 'p2', 'p3']);
  });

  it('keeps only products in the filter\'s categories, and answers nothing without a category tree to ask', () => {
    const { table, user } = setUp(catalogue);
    const inShoes = (id: string) => id === 'p2' || id === 'p4';
    expect(listedCandidates(listOf(user), table, { ...noFilter, categoryIds: ['shoes'] }, 2, inShoes)?.map((r) => r.id)).toEqual(['p2', 'p4']);
    // Fewer allowed than asked for: products past the list's end might qualify.
    expect(listedCandidates(listOf(user), table, { ...noFilter, categoryIds: ['shoes'] }, 3, inShoes)).toBeNull();
    expect(listedCandidates(listOf(user), table, { ...noFilter, categoryIds: ['shoes'] }, 1)).toBeNull();
  });

  it('applies price bounds as Cypher does: a product without a price fails any bound', () => {
    const { table, user } = setUp([product('p1', { price: 5 }), product('p2', { price: null }), product('p3', { price: 20 }), product('p4', { price: 12 })]);
    expect(listedCandidates(listOf(user), table, { ...noFilter, minPrice: 10 }, 2)?.map((r) => r.id)).toEqual(['p3', 'p4']);
    expect(listedCandidates(listOf(user), table, { ...noFilter, maxPrice: 12 }, 2)?.map((r) => r.id)).toEqual(['p1', 'p4']);
    expect(listedCandidates(listOf(user), table, { ...noFilter, minPrice: 10, maxPrice: 15 }, 1)?.map((r) => r.id)).toEqual(['p4']);
  });

  it('leaves out excluded ids and products whose row was never read', () => {
    const { table, user } = setUp([product('p1'), product('p3'), product('p4')]);
    expect(listedCandidates(listOf(user), table, { ...noFilter, excludeIds: ['p3'] }, 2)?.map((r) => r.id)).toEqual(['p1', 'p4']);
  });

  it('gives up (null) whenever the list leaves the page short: products past its end, or that its search never reached, may qualify', () => {
    const { table, user } = setUp([product('p1', { price: 50 }), product('p2'), product('p3'), product('p4')]);
    const expensive = { ...noFilter, minPrice: 40 };
    expect(listedCandidates(listOf(user), table, expensive, 2)).toBeNull();
    expect(listedCandidates(listOf(user), table, noFilter, 5)).toBeNull();
    expect(listedCandidates(listOf(user), table, expensive, 1)?.map((r) => r.id)).toEqual(['p1']);
  });

  it('sees a product change made after the list was cached', () => {
    const { table, user } = setUp(catalogue);
    table.set(product('p1', { inStock: false, title: 'renamed' }));
    expect(listedCandidates(listOf(user), table, { ...noFilter, inStockOnly: true }, 1)?.[0].id).toBe('p2');
    expect(listedCandidates(listOf(user), table, noFilter, 1)?.[0].product.title).toBe('renamed');
  });
});

describe('recentItems', () => {
  it('gives the latest events newest first with current titles', () => {
    const { table, user } = setUp(catalogue);
    table.set(product('r2', { title: 'new title' }));
    expect(recentItems(user, table)).toEqual([
      { productId: 'r1', title: 'title r1', type: 'PURCHASE', weight: 3, at: 2000 },
      { productId: 'r2', title: 'new title', type: 'VIEW', weight: 1, at: 1000 },
    ]);
  });
});

describe('ProductTable', () => {
  it('assigns each id one position and keeps rows by position', () => {
    const table = new ProductTable();
    const a = table.positionOf('a');
    expect(table.positionOf('a')).toBe(a);
    expect(table.row(a)).toBeNull();
    table.set(product('a'));
    table.set(product('b'));
    expect(table.row(a)?.id).toBe('a');
    expect(table.idAt(table.positionOf('b'))).toBe('b');
    expect(table.size).toBe(2);
  });
});

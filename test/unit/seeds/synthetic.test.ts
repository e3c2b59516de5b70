import { DEFAULT_END_AT, generateSynthetic } from '../../../seeds/synthetic/generate-synthetic';
import { sortByTime } from '../../../seeds/synthetic/sort-by-time';
import type { Dataset, InteractionRecord, InteractionType } from '../../../src/domain/records';

const DAY = 86_400_000;
// One mid-sized data set shared by the read-only checks below; generation is deterministic and cheap.
const options = { users: 400, products: 600, events: 30_000, seed: 7 };
const ds: Dataset = generateSynthetic(options);

function countByType(events: readonly InteractionRecord[]): Record<InteractionType, number> {
  const counts: Record<InteractionType, number> = { VIEW: 0, CLICK: 0, CART: 0, PURCHASE: 0, RATE: 0, REVIEW: 0 };
  for (const e of events) counts[e.type]++;
  return counts;
}

/** For each event of `type`, is there an earlier event of `before` with the same key? Returns the violators. */
function withoutPredecessor(events: readonly InteractionRecord[], type: InteractionType, before: InteractionType, key: (e: InteractionRecord) => string): InteractionRecord[] {
  const seen = new Set<string>();
  const bad: InteractionRecord[] = [];
  for (const e of events) {
    if (e.type === before) seen.add(key(e));
    if (e.type === type && !seen.has(key(e))) bad.push(e);
  }
  return bad;
}

describe('generateSynthetic', () => {
  it.each([0, 1, 2, 37, 5_000])('produces exactly %i events', (events) => {
    expect(generateSynthetic({ users: 20, products: 30, events, seed: 1 }).interactions).toHaveLength(events);
  });

  it('is deterministic by seed', () => {
    const again = generateSynthetic(options);
    // Byte-identical serialisation is stricter than toEqual (key order counts) and far faster on 30k events.
    expect(JSON.stringify(again)).toBe(JSON.stringify(ds));
    const other = generateSynthetic({ ...options, seed: 8 });
    expect(other.interactions.map((e) => [e.userId, e.productId, e.type])).not.toEqual(ds.interactions.map((e) => [e.userId, e.productId, e.type]));
    expect(other.products.map((p) => p.title)).not.toEqual(ds.products.map((p) => p.title));
  });

  it('numbers events syn:<seed>:<n> in time order, inside the window', () => {
    expect(ds.interactions.map((e) => e.eventId)).toEqual(ds.interactions.map((_, n) => `syn:7:${n}`));
    const start = DEFAULT_END_AT - 180 * DAY;
    const outOfOrder = ds.interactions.filter((e, i) => i > 0 && e.at < ds.interactions[i - 1].at);
    expect(outOfOrder).toEqual([]);
    expect(ds.interactions[0].at).toBeGreaterThanOrEqual(start);
    expect(ds.interactions[ds.interactions.length - 1].at).toBeLessThanOrEqual(DEFAULT_END_AT);
  });

  it('refers only to users and products it returns, after each user signed up', () => {
    const users = new Map(ds.users.map((u) => [u.id, Date.parse(u.createdAt!)]));
    const products = new Set(ds.products.map((p) => p.id));
    expect(users.size).toBe(options.users);
    expect(products.size).toBe(options.products);
    const bad = ds.interactions.filter((e) => !products.has(e.productId) || !(users.get(e.userId)! <= e.at));
    expect(bad).toEqual([]);
  });

  it('follows the funnel inside each session: VIEW before CLICK before CART before PURCHASE', () => {
    const inSession = (e: InteractionRecord): string => `${e.sessionId}|${e.productId}`;
    expect(withoutPredecessor(ds.interactions, 'CLICK', 'VIEW', inSession)).toEqual([]);
    expect(withoutPredecessor(ds.interactions, 'CART', 'CLICK', inSession)).toEqual([]);
    expect(withoutPredecessor(ds.interactions, 'PURCHASE', 'CART', inSession)).toEqual([]);
    // Every funnel event belongs to exactly one user's session.
    const owner = new Map<string, string>();
    const shared: InteractionRecord[] = [];
    for (const e of ds.interactions) {
      if (e.sessionId === undefined) continue;
      if ((owner.get(e.sessionId) ?? e.userId) !== e.userId) shared.push(e);
      owner.set(e.sessionId, e.userId);
    }
    expect(shared).toEqual([]);
    expect(owner.size).toBeGreaterThan(1000);
  });

  it('rates and reviews only what the user bought earlier, with 1..5 stars and review text', () => {
    const byUser = (e: InteractionRecord): string => `${e.userId}|${e.productId}`;
    expect(withoutPredecessor(ds.interactions, 'RATE', 'PURCHASE', byUser)).toEqual([]);
    expect(withoutPredecessor(ds.interactions, 'REVIEW', 'PURCHASE', byUser)).toEqual([]);
    const feedback = ds.interactions.filter((e) => e.type === 'RATE' || e.type === 'REVIEW');
    expect(feedback.length).toBeGreaterThan(0);
    for (const e of feedback) {
      expect(Number.isInteger(e.rating) && e.rating! >= 1 && e.rating! <= 5).toBe(true);
      expect(e.sessionId).toBeUndefined();
      if (e.type === 'REVIEW') expect(e.reviewText).toMatch(/\w+.*\./);
    }
  });

  it('has a funnel in which each step is rarer than the one before', () => {
    const c = countByType(ds.interactions);
    expect(c.VIEW).toBeGreaterThan(c.CLICK);
    expect(c.CLICK).toBeGreaterThan(c.CART);
    expect(c.CART).toBeGreaterThan(c.PURCHASE);
    expect(c.PURCHASE).toBeGreaterThan(c.RATE + c.REVIEW);
    expect(c.RATE + c.REVIEW).toBeGreaterThan(0);
  });

  it('builds a two-level category tree of 10 departments and readable subcategory names', () => {
    const roots = ds.categories.filter((c) => c.parentId === undefined);
    const leaves = ds.categories.filter((c) => c.parentId !== undefined);
    expect(roots).toHaveLength(10);
    expect(leaves).toHaveLength(50);
    expect(ds.categories).toContainEqual({ id: 'cat:electronics/headphones', name: 'Electronics > Headphones', parentId: 'cat:electronics' });
    const leafIds = new Set(leaves.map((c) => c.id));
    for (const p of ds.products) expect(p.categoryIds.every((id) => leafIds.has(id))).toBe(true);
  });

  it('prices products per category and keeps most of them in stock', () => {
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const pricesIn = (cat: string): number[] => ds.products.filter((p) => p.categoryIds[0] === cat).map((p) => p.price!);
    expect(median(pricesIn('cat:electronics/laptops'))).toBeGreaterThan(10 * median(pricesIn('cat:grocery/snacks')));
    expect(ds.products.every((p) => p.price! > 0 && p.currency === 'USD' && p.brand !== undefined)).toBe(true);
    const inStock = ds.products.filter((p) => p.inStock).length / ds.products.length;
    expect(inStock).toBeGreaterThan(0.85);
    expect(inStock).toBeLessThan(1);
  });

  it('never carts an out-of-stock product', () => {
    const outOfStock = new Set(ds.products.filter((p) => !p.inStock).map((p) => p.id));
    expect(ds.interactions.filter((e) => (e.type === 'CART' || e.type === 'PURCHASE') && outOfStock.has(e.productId))).toEqual([]);
  });

  it('writes titles and descriptions in the vocabulary of the product category', () => {
    const headphones = ds.products.filter((p) => p.categoryIds[0] === 'cat:electronics/headphones');
    expect(headphones.length).toBeGreaterThan(0);
    for (const p of headphones) expect(`${p.title} ${p.description}`).toMatch(/headphones|earbuds/i);
  });

  it('gives popularity a long tail: the top 5 % of products take far more than 5 % of views', () => {
    const views = new Map<string, number>();
    for (const e of ds.interactions) if (e.type === 'VIEW') views.set(e.productId, (views.get(e.productId) ?? 0) + 1);
    const sorted = [...views.values()].sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    const top = sorted.slice(0, Math.ceil(ds.products.length * 0.05)).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.25);
  });

  it('gives users category preferences a model can learn', () => {
    const leafOf = new Map(ds.products.map((p) => [p.id, p.categoryIds[0]]));
    const perUser = new Map<string, Map<string, number>>();
    for (const e of ds.interactions) {
      const m = perUser.get(e.userId) ?? new Map<string, number>();
      const leaf = leafOf.get(e.productId)!;
      m.set(leaf, (m.get(leaf) ?? 0) + 1);
      perUser.set(e.userId, m);
    }
    const shares: number[] = [];
    for (const m of perUser.values()) {
      const counts = [...m.values()];
      const total = counts.reduce((a, b) => a + b, 0);
      if (total >= 30) shares.push(Math.max(...counts) / total);
    }
    expect(shares.length).toBeGreaterThan(50);
    const meanTopShare = shares.reduce((a, b) => a + b, 0) / shares.length;
    // With 50 subcategories and no preferences, the top one would hold well under 15 %.
    expect(meanTopShare).toBeGreaterThan(0.35);
  });

  it('has some users sign up inside the window (cold start) and gives them countries', () => {
    const start = DEFAULT_END_AT - 180 * DAY;
    const recent = ds.users.filter((u) => Date.parse(u.createdAt!) >= start).length / ds.users.length;
    expect(recent).toBeGreaterThan(0.15);
    expect(recent).toBeLessThan(0.45);
    expect(ds.users.every((u) => /^[A-Z]{2}$/.test(u.country ?? ''))).toBe(true);
  });

  it('works for a catalogue smaller than the category tree', () => {
    const tiny = generateSynthetic({ users: 3, products: 4, events: 200, seed: 3 });
    expect(tiny.interactions).toHaveLength(200);
    const ids = new Set(tiny.products.map((p) => p.id));
    expect(tiny.interactions.every((e) => ids.has(e.productId))).toBe(true);
  });

  it('rejects sizes that are not counts', () => {
    expect(() => generateSynthetic({ users: 0, products: 5, events: 5, seed: 1 })).toThrow(RangeError);
    expect(() => generateSynthetic({ users: 5, products: 5, events: 2.5, seed: 1 })).toThrow('events must be an integer >= 0');
  });
});

describe('sortByTime', () => {
  it('sorts by time and keeps the input order of ties', () => {
    const items = [5, 1, 3, 1, 5, 0, 3, 1].map((at, i) => ({ at, i }));
    expect(sortByTime(items).map((x) => `${x.at}:${x.i}`)).toEqual(['0:5', '1:1', '1:3', '1:7', '3:2', '3:6', '5:0', '5:4']);
  });

  it('agrees with a stable comparator sort on wide and clustered times', () => {
    let s = 1;
    const rand = (): number => (s = (s * 48271) % 2147483647) / 2147483647;
    const items = Array.from({ length: 5000 }, (_, i) => ({ at: rand() < 0.5 ? Math.floor(rand() * 1e12) : 42 + Math.floor(rand() * 10), i }));
    expect(sortByTime(items)).toEqual([...items].sort((a, b) => a.at - b.at));
  });
});

describe('generateSynthetic --locale zh', () => {
  const zh = generateSynthetic({ users: 120, products: 60, events: 3000, seed: 3, locale: 'zh' });
  const han = /\p{Script=Han}/u;

  it('writes titles, descriptions, category names and reviews in Chinese, priced in CNY', () => {
    expect(zh.products.every((p) => han.test(p.title) && han.test(p.description ?? '') && p.currency === 'CNY')).toBe(true);
    expect(zh.categories.every((c) => han.test(c.name))).toBe(true);
    const reviews = zh.interactions.filter((e) => e.reviewText);
    expect(reviews.length).toBeGreaterThan(0);
    expect(reviews.every((e) => han.test(e.reviewText ?? ''))).toBe(true);
  });

  it('keeps ASCII category ids (English keys) and is deterministic by seed', () => {
    expect(zh.categories.every((c) => /^cat:[a-z0-9/-]+$/.test(c.id))).toBe(true);
    expect(new Set(zh.categories.map((c) => c.id)).size).toBe(zh.categories.length);
    expect(generateSynthetic({ users: 120, products: 60, events: 3000, seed: 3, locale: 'zh' })).toEqual(zh);
  });

  it('leaves the default shop English', () => {
    const en = generateSynthetic({ users: 120, products: 60, events: 3000, seed: 3 });
    expect(en.products.some((p) => han.test(p.title) || p.currency !== 'USD')).toBe(false);
  });
});

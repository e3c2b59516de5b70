/**
 * A synthetic e-commerce data set of any size, deterministic by seed.
 *
 * It is built so that a recommender has something real to learn:
 * - a two-level category tree (10 departments x 5 subcategories, "Electronics > Headphones");
 * - products whose titles and descriptions use their subcategory's vocabulary, brands per department,
 *   log-normal prices around a per-subcategory median, ~93 % in stock, and a hidden quality that
 *   raises popularity, click rate and ratings;
 * - Zipf-like popularity (weight 1/rank^0.9 over a random order), sampled within a category;
 * - users with 1–3 preferred subcategories (often siblings), a log-normal activity level, a country,
 *   and a sign-up date (30 % sign up inside the window, so there are new users);
 * - sessions spread over `days` days ending at `endAt`: each has an intent (a preferred subcategory
 *   80 % of the time), views drawn mostly from it, and a funnel VIEW -> CLICK -> CART -> PURCHASE in
 *   which every step is rarer than the one before; preferred categories convert better; out-of-stock
 *   products are never carted;
 * - after a purchase, sometimes a RATE (or a REVIEW with rating and text) days later.
 *
 * Exactly `events` interactions: sessions are generated until the budget is met and the last one is
 * cut. A session's events are produced in order, so the cut never drops a step that a kept step
 * depends on. Interactions are returned sorted by time; eventIds `syn:<seed>:<n>` number them in that
 * order, and sessionIds are `syn:<seed>:s<n>`. Feedback events (RATE/REVIEW) carry no sessionId: they
 * happen on a later visit.
 */
import type { CategoryRecord, Dataset, InteractionRecord, InteractionType, ProductRecord, UserRecord } from '../../src/domain/records';
import { CATEGORY_PATH_SEPARATOR, categoryIdForPath } from '../shared/slug';
import { Prng, WeightedSampler } from './prng';
import { sortByTime } from './sort-by-time';
import { COUNTRIES, type RootVocabulary, type SubcategoryVocabulary } from './vocabulary';
import { LOCALES, type SyntheticLocale, type SyntheticLocaleName } from './locale';

export interface SyntheticOptions {
  users: number;
  products: number;
  /** Exact number of interactions to produce. */
  events: number;
  seed: number;
  /** Length of the activity window; default 180. */
  days?: number;
  /** End of the window, ms since the epoch; default 2025-01-01T00:00:00Z (fixed, for determinism). */
  endAt?: number;
  /** Dataset name; default `synthetic-<seed>`. */
  name?: string;
  /** Language of titles, descriptions, reviews and category names (seeds/synthetic/locale.ts); default en. */
  locale?: SyntheticLocaleName;
}

export const DEFAULT_END_AT = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;
const SECOND = 1000;

// Funnel and behaviour knobs. Chosen so the counts fall steeply step by step, as in shop analytics
// (roughly 100 views : 35 clicks : 10 carts : 6 purchases).
const INTENT_FROM_PREFERENCE = 0.8;
const STAY_IN_INTENT = 0.85;
const CLICK_RATE = 0.35;
const CART_RATE = 0.3;
const PURCHASE_RATE = 0.6;
const FEEDBACK_RATE = 0.2;
const REVIEW_SHARE = 0.3;
const IN_STOCK_RATE = 0.93;
const ZIPF_EXPONENT = 0.9;
const MAX_GAP = 600 * SECOND;
const MAX_VIEWS = 12;

interface Leaf {
  id: string;
  root: RootVocabulary;
  rootIndex: number;
  vocab: SubcategoryVocabulary;
}

interface UserModel {
  record: UserRecord;
  createdAt: number;
  preferred: Set<number>;
  preference: WeightedSampler<number>;
}

interface ProductModel {
  record: ProductRecord;
  leaf: number;
  quality: number;
  noun: string;
  feature: string;
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}

function priceFor(rng: Prng, median: number): number {
  const raw = rng.logNormal(median, 0.45);
  // Shop prices end in .99; two decimals avoid binary noise like 88.99000000000001.
  return Math.max(0.99, Math.round((Math.round(raw) - 0.01) * 100) / 100);
}

function buildLeaves(locale: SyntheticLocale): { categories: CategoryRecord[]; leaves: Leaf[] } {
  const categories: CategoryRecord[] = [];
  const leaves: Leaf[] = [];
  locale.catalogue.forEach((root, rootIndex) => {
    const rootId = categoryIdForPath([root.key ?? root.name]);
    categories.push({ id: rootId, name: root.name });
    for (const vocab of root.subcategories) {
      const id = categoryIdForPath([root.key ?? root.name, vocab.key ?? vocab.name]);
      categories.push({ id, name: `${root.name}${CATEGORY_PATH_SEPARATOR}${vocab.name}`, parentId: rootId });
      leaves.push({ id, root, rootIndex, vocab });
    }
  });
  return { categories, leaves };
}

function buildProducts(rng: Prng, count: number, leaves: readonly Leaf[], locale: SyntheticLocale): ProductModel[] {
  // Some subcategories are bigger than others, as in a real catalogue.
  const leafSize = new WeightedSampler(leaves.map((_, i) => i), leaves.map(() => rng.logNormal(1, 0.5)));
  const products: ProductModel[] = [];
  for (let i = 0; i < count; i++) {
    // The first products cover every subcategory once, so small catalogues still span the tree.
    const leafIndex = i < leaves.length ? i : leafSize.draw(rng);
    const { root, vocab, id: leafId } = leaves[leafIndex];
    const brand = rng.pick(root.brands);
    const noun = rng.pick(vocab.nouns);
    const [adj1, adj2] = rng.sample(vocab.adjectives, 2);
    const model = `${String.fromCharCode(65 + rng.int(26))}${100 + rng.int(900)}`;
    const title = locale.title({ brand, adjectives: rng.chance(0.3) ? [adj1, adj2] : [adj1], noun, model });
    const features = rng.sample(vocab.features, 2 + rng.int(2));
    const description = locale.description({ adjective: adj1, noun, brand, features, phrase: rng.pick(root.phrases) });
    products.push({
      record: {
        id: `syn-p${i}`,
        title,
        description,
        price: priceFor(rng, vocab.medianPrice),
        currency: locale.currency,
        brand,
        inStock: rng.chance(IN_STOCK_RATE),
        categoryIds: [leafId],
      },
      leaf: leafIndex,
      quality: rng.normal(),
      noun,
      feature: features[0],
    });
  }
  return products;
}

function buildUsers(rng: Prng, count: number, activeLeaves: readonly number[], leaves: readonly Leaf[], windowStart: number, endAt: number): UserModel[] {
  const country = new WeightedSampler(COUNTRIES.map((c) => c.code), COUNTRIES.map((c) => c.weight));
  const users: UserModel[] = [];
  for (let i = 0; i < count; i++) {
    const createdAt = rng.chance(0.7)
      ? Math.floor(windowStart - rng.next() * 730 * DAY)
      : Math.floor(windowStart + rng.next() * (endAt - DAY - windowStart));
    // Preferences cluster: after the first, a sibling in the same department is more likely than
    // a random subcategory, so departments carry signal as well as subcategories.
    const k = 1 + rng.int(3);
    const prefs: number[] = [rng.pick(activeLeaves)];
    while (prefs.length < Math.min(k, activeLeaves.length)) {
      const root = leaves[prefs[0]].rootIndex;
      const siblings = activeLeaves.filter((l) => leaves[l].rootIndex === root && !prefs.includes(l));
      const candidates = siblings.length > 0 && rng.chance(0.6) ? siblings : activeLeaves.filter((l) => !prefs.includes(l));
      prefs.push(rng.pick(candidates));
    }
    const weights = [0.55, 0.3, 0.15].slice(0, prefs.length);
    users.push({
      record: { id: `syn-u${i}`, createdAt: new Date(createdAt).toISOString(), country: country.draw(rng) },
      createdAt,
      preferred: new Set(prefs),
      preference: new WeightedSampler(prefs, weights),
    });
  }
  return users;
}

function reviewText(rng: Prng, product: ProductModel, rating: number, locale: SyntheticLocale): string {
  const sentiment = rating >= 4 ? 'positive' : rating === 3 ? 'neutral' : 'negative';
  const opener = rng.pick(locale.openers[sentiment]);
  return locale.review({ opener, noun: product.noun, brand: product.record.brand ?? '', feature: product.feature, sentiment });
}

/** Generates the data set; see the file comment for what it models. */
export function generateSynthetic(options: SyntheticOptions): Dataset {
  const { users: userCount, products: productCount, events, seed } = options;
  checkCount('users', userCount, 1);
  checkCount('products', productCount, 1);
  checkCount('events', events, 0);
  checkCount('seed', seed, -0x80000000);
  const days = options.days ?? 180;
  if (!(days >= 1)) throw new RangeError(`days must be >= 1, got ${days}`);
  const endAt = options.endAt ?? DEFAULT_END_AT;
  const windowStart = endAt - days * DAY;

  const rng = new Prng(seed);
  const locale = LOCALES[options.locale ?? 'en'];
  const { categories, leaves } = buildLeaves(locale);
  const products = buildProducts(rng, productCount, leaves, locale);

  // Popularity: Zipf over a random order of products, nudged by hidden quality.
  const order = rng.sample(products.map((_, i) => i), products.length);
  const popularity = new Float64Array(products.length);
  order.forEach((p, rank) => (popularity[p] = Math.exp(0.3 * products[p].quality) / Math.pow(rank + 1, ZIPF_EXPONENT)));

  const byLeaf: number[][] = leaves.map(() => []);
  products.forEach((p, i) => byLeaf[p.leaf].push(i));
  const activeLeaves = leaves.map((_, i) => i).filter((i) => byLeaf[i].length > 0);
  const inLeaf = byLeaf.map((ids) => (ids.length > 0 ? new WeightedSampler(ids, ids.map((i) => popularity[i])) : undefined));
  const leafTraffic = new WeightedSampler(activeLeaves, activeLeaves.map((l) => byLeaf[l].reduce((s, i) => s + popularity[i], 0)));
  const siblingsOf = leaves.map((leaf) => activeLeaves.filter((l) => leaves[l].rootIndex === leaf.rootIndex));

  const users = buildUsers(rng, userCount, activeLeaves, leaves, windowStart, endAt);
  const activity = new WeightedSampler(users, users.map(() => rng.logNormal(1, 1)));

  const interactions: InteractionRecord[] = [];
  const latestSessionStart = endAt - 6 * 3600 * SECOND; // a session (<= 12 views x 3 gaps x 10 min) ends inside the window
  let sessionNo = 0;

  const emit = (user: UserModel, product: ProductModel, type: InteractionType, at: number, sessionId?: string): InteractionRecord => {
    // eventId is filled in after sorting; one object shape keeps V8's property access fast.
    const event: InteractionRecord = { eventId: '', userId: user.record.id, productId: product.record.id, type, at };
    if (sessionId !== undefined) event.sessionId = sessionId;
    interactions.push(event);
    return event;
  };
  const gap = (median: number): number => Math.min(MAX_GAP, Math.max(SECOND, Math.round(rng.logNormal(median, 0.6))));

  while (interactions.length < events) {
    const user = activity.draw(rng);
    const from = Math.max(windowStart, user.createdAt);
    let t = Math.floor(from + rng.next() * Math.max(0, latestSessionStart - from));
    const sessionId = `syn:${seed}:s${sessionNo++}`;
    const intent = rng.chance(INTENT_FROM_PREFERENCE) ? user.preference.draw(rng) : leafTraffic.draw(rng);
    const views = 1 + Math.min(MAX_VIEWS - 1, rng.geometric(0.3));
    const carted: ProductModel[] = [];
    const feedback: { product: ProductModel; at: number }[] = [];

    session: {
      for (let v = 0; v < views; v++) {
        const leaf = rng.chance(STAY_IN_INTENT) ? intent : rng.chance(0.5) ? rng.pick(siblingsOf[intent]) : leafTraffic.draw(rng);
        const product = products[inLeaf[leaf]!.draw(rng)];
        emit(user, product, 'VIEW', t, sessionId);
        if (interactions.length >= events) break session;
        const affinity = user.preferred.has(product.leaf) ? 1.25 : 0.75;
        const clickRate = Math.min(0.9, CLICK_RATE * affinity * (1 + 0.15 * product.quality));
        if (rng.chance(clickRate)) {
          t += gap(15 * SECOND);
          emit(user, product, 'CLICK', t, sessionId);
          if (interactions.length >= events) break session;
          if (product.record.inStock && !carted.includes(product) && rng.chance(CART_RATE * affinity)) {
            t += gap(30 * SECOND);
            emit(user, product, 'CART', t, sessionId);
            carted.push(product);
            if (interactions.length >= events) break session;
          }
        }
        t += gap(40 * SECOND);
      }
      // Checkout comes after browsing, so a purchase always follows its cart in time and in order.
      for (const product of carted) {
        if (!rng.chance(PURCHASE_RATE)) continue;
        t += gap(20 * SECOND);
        emit(user, product, 'PURCHASE', t, sessionId);
        if (interactions.length >= events) break session;
        if (rng.chance(FEEDBACK_RATE)) feedback.push({ product, at: Math.min(endAt, t + Math.round(rng.logNormal(5 * DAY, 0.8))) });
      }
      for (const { product, at } of feedback) {
        const rating = Math.max(1, Math.min(5, Math.round(3.9 + 0.8 * product.quality + 0.7 * rng.normal())));
        const event = emit(user, product, rng.chance(REVIEW_SHARE) ? 'REVIEW' : 'RATE', at);
        event.rating = rating;
        if (event.type === 'REVIEW') event.reviewText = reviewText(rng, product, rating, locale);
        if (interactions.length >= events) break session;
      }
    }
  }

  const sorted = sortByTime(interactions);
  for (let n = 0; n < sorted.length; n++) sorted[n].eventId = `syn:${seed}:${n}`;

  return {
    name: options.name ?? `synthetic-${seed}`,
    users: users.map((u) => u.record),
    categories,
    products: products.map((p) => p.record),
    interactions: sorted,
  };
}

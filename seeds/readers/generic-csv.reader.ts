/**
 * Reads the generic e-commerce CSV layout, for shops whose data is not MovieLens.
 * Files in one folder, each with a header line; columns may come in any order; UTF-8; RFC 4180 quoting.
 *
 * items.csv (required)
 *   id           required, unique
 *   title        required
 *   description  optional
 *   categories   optional, `|`-separated; each entry a path with ` > ` between levels,
 *                e.g. `Electronics > Headphones|Sale`. Every level becomes a CategoryRecord with id
 *                `cat:<slug>/<slug>` (e.g. `cat:electronics/headphones`), name = the full path so far,
 *                parentId = the level above. The product is linked to the last level of each entry.
 *   price        optional, a number >= 0 (dot as decimal separator)
 *   currency     optional, ISO 4217 code (three letters)
 *   brand        optional
 *   inStock      optional: true/false, 1/0, yes/no (any case); empty means true
 *
 * interactions.csv (required)
 *   eventId      optional; when the column or value is missing it is derived from
 *                (userId, productId, type, timestamp) as `csv:<sha1 prefix>`, so re-importing the same
 *                file is a no-op. Two rows equal in all four are then the same event, on purpose.
 *   userId       required
 *   productId    required, must be an id from items.csv
 *   type         required, one of VIEW, CLICK, CART, PURCHASE, RATE, REVIEW (any case)
 *   timestamp    required: ISO-8601 with a date (`2024-05-01T12:00:00Z`, `2024-05-01`), or an integer
 *                epoch: below 100,000,000,000 it is seconds, otherwise milliseconds (1e11 s is the year
 *                5138, 1e11 ms is 1973, so real data cannot be ambiguous)
 *   rating       optional, 0.5..5; required for RATE
 *   reviewText   optional; required for REVIEW
 *   sessionId    optional
 *
 * texts.csv (optional): what users wrote about items, kept apart from interactions.csv by many shops
 *   (review exports, tags; MovieLens's tags.csv maps to the same records with `seed movielens --tags review`)
 *   userId, productId, text, timestamp   required (timestamp as in interactions.csv)
 *   textId       optional; when missing derived from (userId, productId, timestamp, text) as `txt:<sha1 prefix>`
 *   Each row becomes a REVIEW event with reviewText = text: the texts `affinity topics` clusters.
 *
 * users.csv (optional)
 *   id           required
 *   createdAt    optional, same formats as timestamp (stored as ISO-8601)
 *   country      optional, e.g. ISO 3166 alpha-2
 *   age, gender, occupation, zip   optional demographics (age a whole number)
 * Users that appear only in interactions.csv are created with their id alone.
 *
 * Bad rows are collected (up to 50) and thrown together as DataFileErrors, each message `file:line: why`.
 */
import { createHash } from 'node:crypto';
import { fileExists } from '../shared/file-exists';
import { join } from 'node:path';
import {
  INTERACTION_TYPES,
  type CategoryRecord,
  type Dataset,
  type InteractionRecord,
  type InteractionType,
  type ProductRecord,
  type UserRecord,
} from '../../src/domain/records';
import { readCsvTableBatches } from './csv';
import { RowErrors } from './row-errors';
import { CATEGORY_PATH_SEPARATOR, categoryIdForPath } from '../shared/slug';

export interface GenericCsvOptions {
  /** Dataset name; defaults to "generic-csv". */
  name?: string;
}

const EPOCH_MS_THRESHOLD = 100_000_000_000;
// A date is required: Date.parse alone accepts strings like "1" or "May" in V8.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch, or undefined when `text` is neither ISO-8601 nor an integer epoch. */
export function parseTimestamp(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n < EPOCH_MS_THRESHOLD ? n * 1000 : n;
  }
  if (!ISO_DATE.test(t)) return undefined;
  // A date-time without an offset is read as UTC, not as the machine's local time, so imports do not
  // depend on where they run.
  const hasTime = t.length > 10;
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/.test(t);
  const ms = Date.parse(hasTime && !hasOffset ? `${t.replace(' ', 'T')}Z` : t.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : ms;
}

function parseBoolean(text: string | undefined): boolean | undefined | 'bad' {
  if (text === undefined) return undefined;
  switch (text.toLowerCase()) {
    case 'true':
    case '1':
    case 'yes':
      return true;
    case 'false':
    case '0':
    case 'no':
      return false;
    default:
      return 'bad';
  }
}

/** The first 24 hex digits of the SHA-1 of `parts` joined by NUL: an id no two different rows share. */
const digestOf = (...parts: (string | number)[]): string => createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 24);

/** The deterministic id for a row without eventId; see the header comment. */
export function deriveEventId(userId: string, productId: string, type: InteractionType, at: number): string {
  return `csv:${digestOf(userId, productId, type, at)}`;
}

/** The deterministic id of a texts.csv row without textId: the text is part of it (two tags at one time). */
export function deriveTextEventId(userId: string, productId: string, at: number, text: string): string {
  return `txt:${digestOf(userId, productId, at, text)}`;
}

/** texts.csv rows as REVIEW events (see the header comment). */
async function readTexts(file: string, productIds: ReadonlySet<string>, errors: RowErrors): Promise<InteractionRecord[]> {
  const events: InteractionRecord[] = [];
  for await (const batch of readCsvTableBatches(file, { required: ['userId', 'productId', 'text', 'timestamp'] }))
    for (const row of batch) {
      const userId = row.get('userId').trim();
      const productId = row.get('productId').trim();
      const text = row.get('text').trim();
      const tsText = row.get('timestamp').trim();
      const at = parseTimestamp(tsText);
      if (userId === '') errors.add(file, row.line, 'userId is empty');
      else if (!productIds.has(productId)) errors.add(file, row.line, `productId ${JSON.stringify(productId)} is not in items.csv`);
      else if (text === '') errors.add(file, row.line, 'text is empty');
      else if (at === undefined) errors.add(file, row.line, `timestamp ${JSON.stringify(tsText)} is neither ISO-8601 nor epoch seconds/milliseconds`);
      else
        events.push({ eventId: row.optional('textId') ?? deriveTextEventId(userId, productId, at, text), userId, productId, type: 'REVIEW', at, reviewText: text });
    }
  return events;
}

interface ItemsResult {
  products: ProductRecord[];
  categories: CategoryRecord[];
}

async function readItems(file: string, errors: RowErrors): Promise<ItemsResult> {
  const products: ProductRecord[] = [];
  const categories = new Map<string, CategoryRecord>();
  const lineOf = new Map<string, number>();
  for await (const batch of readCsvTableBatches(file, { required: ['id', 'title'] }))
    for (const row of batch) {
      const id = row.get('id').trim();
      const title = row.get('title').trim();
      if (id === '') {
        errors.add(file, row.line, 'id is empty');
        continue;
      }
      if (lineOf.has(id)) {
        errors.add(file, row.line, `id ${JSON.stringify(id)} appears twice (first on line ${lineOf.get(id)})`);
        continue;
      }
      if (title === '') {
        errors.add(file, row.line, `title is empty for ${JSON.stringify(id)}`);
        continue;
      }
      const priceText = row.optional('price');
      const price = priceText === undefined ? undefined : Number(priceText);
      if (price !== undefined && !(Number.isFinite(price) && price >= 0)) {
        errors.add(file, row.line, `price ${JSON.stringify(priceText)} is not a number >= 0`);
        continue;
      }
      const currency = row.optional('currency')?.toUpperCase();
      if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) {
        errors.add(file, row.line, `currency ${JSON.stringify(currency)} is not a three-letter code`);
        continue;
      }
      const inStock = parseBoolean(row.optional('inStock'));
      if (inStock === 'bad') {
        errors.add(file, row.line, `inStock ${JSON.stringify(row.get('inStock'))} is not true/false`);
        continue;
      }

      const categoryIds: string[] = [];
      for (const entry of (row.optional('categories') ?? '').split('|')) {
        const segments = entry.split(CATEGORY_PATH_SEPARATOR.trim()).map((s) => s.trim()).filter((s) => s !== '');
        if (segments.length === 0) continue;
        let parentId: string | undefined;
        for (let depth = 1; depth <= segments.length; depth++) {
          const path = segments.slice(0, depth);
          const catId = categoryIdForPath(path);
          if (!categories.has(catId)) {
            categories.set(catId, { id: catId, name: path.join(CATEGORY_PATH_SEPARATOR), ...(parentId ? { parentId } : {}) });
          }
          parentId = catId;
        }
        if (parentId && !categoryIds.includes(parentId)) categoryIds.push(parentId);
      }

      lineOf.set(id, row.line);
      const product: ProductRecord = { id, title, categoryIds, inStock: inStock ?? true };
      const description = row.optional('description');
      if (description !== undefined) product.description = description;
      if (price !== undefined) product.price = price;
      if (currency !== undefined) product.currency = currency;
      const brand = row.optional('brand');
      if (brand !== undefined) product.brand = brand;
      products.push(product);
    }
  return { products, categories: [...categories.values()] };
}

async function readUsers(file: string, errors: RowErrors): Promise<Map<string, UserRecord>> {
  const users = new Map<string, UserRecord>();
  for await (const batch of readCsvTableBatches(file, { required: ['id'] }))
    for (const row of batch) {
      const id = row.get('id').trim();
      if (id === '') {
        errors.add(file, row.line, 'id is empty');
        continue;
      }
      if (users.has(id)) {
        errors.add(file, row.line, `id ${JSON.stringify(id)} appears twice`);
        continue;
      }
      const user: UserRecord = { id };
      const createdText = row.optional('createdAt');
      if (createdText !== undefined) {
        const at = parseTimestamp(createdText);
        if (at === undefined) {
          errors.add(file, row.line, `createdAt ${JSON.stringify(createdText)} is neither ISO-8601 nor epoch seconds/milliseconds`);
          continue;
        }
        user.createdAt = new Date(at).toISOString();
      }
      const country = row.optional('country');
      if (country !== undefined) user.country = country;
      const age = row.optional('age');
      if (age !== undefined && !/^\d+$/.test(age)) {
        errors.add(file, row.line, `age ${JSON.stringify(age)} is not a whole number`);
        continue;
      }
      if (age !== undefined) user.age = Number(age);
      for (const field of ['gender', 'occupation', 'zip'] as const) {
        const value = row.optional(field);
        if (value !== undefined) user[field] = value;
      }
      users.set(id, user);
    }
  return users;
}

const TYPES = new Set<string>(INTERACTION_TYPES);

/** Reads items.csv, interactions.csv and optional users.csv from `dir`. */
export async function readGenericCsv(dir: string, options: GenericCsvOptions = {}): Promise<Dataset> {
  const errors = new RowErrors();
  const { products, categories } = await readItems(join(dir, 'items.csv'), errors);
  const productIds = new Set(products.map((p) => p.id));
  const usersFile = join(dir, 'users.csv');
  const users = (await fileExists(usersFile)) ? await readUsers(usersFile, errors) : new Map<string, UserRecord>();

  const file = join(dir, 'interactions.csv');
  const interactions: InteractionRecord[] = [];
  const required = ['userId', 'productId', 'type', 'timestamp'];
  for await (const batch of readCsvTableBatches(file, { required }))
    for (const row of batch) {
      const userId = row.get('userId').trim();
      const productId = row.get('productId').trim();
      const typeText = row.get('type').trim().toUpperCase();
      const tsText = row.get('timestamp').trim();
      const ratingText = row.optional('rating');
      const reviewText = row.optional('reviewText');
      if (userId === '') {
        errors.add(file, row.line, 'userId is empty');
        continue;
      }
      if (!productIds.has(productId)) {
        errors.add(file, row.line, `productId ${JSON.stringify(productId)} is not in items.csv`);
        continue;
      }
      if (!TYPES.has(typeText)) {
        errors.add(file, row.line, `type ${JSON.stringify(row.get('type'))} is not one of ${INTERACTION_TYPES.join(', ')}`);
        continue;
      }
      const type = typeText as InteractionType;
      const at = parseTimestamp(tsText);
      if (at === undefined) {
        errors.add(file, row.line, `timestamp ${JSON.stringify(tsText)} is neither ISO-8601 nor epoch seconds/milliseconds`);
        continue;
      }
      const rating = ratingText === undefined ? undefined : Number(ratingText);
      if (rating !== undefined && !(rating >= 0.5 && rating <= 5)) {
        errors.add(file, row.line, `rating ${JSON.stringify(ratingText)} is not within 0.5..5`);
        continue;
      }
      if (type === 'RATE' && rating === undefined) {
        errors.add(file, row.line, 'a RATE event needs a rating');
        continue;
      }
      if (type === 'REVIEW' && reviewText === undefined) {
        errors.add(file, row.line, 'a REVIEW event needs reviewText');
        continue;
      }

      const event: InteractionRecord = {
        eventId: row.optional('eventId') ?? deriveEventId(userId, productId, type, at),
        userId,
        productId,
        type,
        at,
      };
      if (rating !== undefined) event.rating = rating;
      if (reviewText !== undefined) event.reviewText = reviewText;
      const sessionId = row.optional('sessionId');
      if (sessionId !== undefined) event.sessionId = sessionId;
      interactions.push(event);
      if (!users.has(userId)) users.set(userId, { id: userId });
    }
  const textsFile = join(dir, 'texts.csv');
  if (await fileExists(textsFile))
    for (const event of await readTexts(textsFile, productIds, errors)) {
      interactions.push(event);
      if (!users.has(event.userId)) users.set(event.userId, { id: event.userId });
    }
  errors.throwIfAny();

  return { name: options.name ?? 'generic-csv', users: [...users.values()], categories, products, interactions };
}

import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileErrors } from '../../../seeds/readers/csv';
import { deriveEventId, deriveTextEventId, parseTimestamp, readGenericCsv } from '../../../seeds/readers/generic-csv.reader';

const FIXTURE = join(__dirname, '../../fixtures/generic-csv');
const MAY_1_NOON = Date.UTC(2024, 4, 1, 12);

describe('parseTimestamp', () => {
  it('reads ISO-8601, epoch seconds and epoch milliseconds as the same instant', () => {
    expect(parseTimestamp('2024-05-01T12:00:00Z')).toBe(MAY_1_NOON);
    expect(parseTimestamp('2024-05-01T14:00:00+02:00')).toBe(MAY_1_NOON);
    expect(parseTimestamp('1714564800')).toBe(MAY_1_NOON);
    expect(parseTimestamp('1714564800000')).toBe(MAY_1_NOON);
  });

  it('reads a date-time without offset as UTC, whatever the machine zone', () => {
    expect(parseTimestamp('2024-05-01 12:00:00')).toBe(MAY_1_NOON);
    expect(parseTimestamp('2024-05-01T12:00')).toBe(MAY_1_NOON);
    expect(parseTimestamp('2024-05-01')).toBe(Date.UTC(2024, 4, 1));
  });

  it.each(['', 'yesterday', 'May 1', '2024-13-45', '1.5e9', '-5'])('rejects %j', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

describe('readGenericCsv', () => {
  it('reads items with optional fields, quoting and defaults', async () => {
    const ds = await readGenericCsv(FIXTURE);
    expect(ds.name).toBe('generic-csv');
    expect(ds.products).toEqual([
      {
        id: 'p1',
        title: 'Wireless Headphones X1',
        description: 'Over-ear headphones with "deep" bass, 30 h battery',
        price: 89.99,
        currency: 'USD',
        brand: 'Sonara',
        inStock: true,
        categoryIds: ['cat:electronics/headphones', 'cat:sale'],
      },
      {
        id: 'p2',
        title: 'Espresso Machine',
        description: 'Makes espresso.\nTwo-line description.',
        price: 129,
        currency: 'EUR',
        brand: 'Casaluna',
        inStock: false,
        categoryIds: ['cat:home-kitchen/coffee-machines'],
      },
      { id: 'p3', title: 'Gift Card', inStock: true, categoryIds: [] },
    ]);
  });

  it('builds the category tree from " > " paths with full-path names and parents', async () => {
    const ds = await readGenericCsv(FIXTURE);
    expect(ds.categories).toEqual([
      { id: 'cat:electronics', name: 'Electronics' },
      { id: 'cat:electronics/headphones', name: 'Electronics > Headphones', parentId: 'cat:electronics' },
      { id: 'cat:sale', name: 'Sale' },
      { id: 'cat:home-kitchen', name: 'Home & Kitchen' },
      { id: 'cat:home-kitchen/coffee-machines', name: 'Home & Kitchen > Coffee Machines', parentId: 'cat:home-kitchen' },
    ]);
  });

  it('reads interactions in every timestamp format, derives missing eventIds, and adds unseen users', async () => {
    const ds = await readGenericCsv(FIXTURE);
    expect(ds.interactions).toEqual([
      { eventId: 'e1', userId: 'u1', productId: 'p1', type: 'VIEW', at: MAY_1_NOON },
      { eventId: deriveEventId('u1', 'p1', 'PURCHASE', MAY_1_NOON), userId: 'u1', productId: 'p1', type: 'PURCHASE', at: MAY_1_NOON },
      { eventId: deriveEventId('u3', 'p2', 'RATE', MAY_1_NOON), userId: 'u3', productId: 'p2', type: 'RATE', at: MAY_1_NOON, rating: 4.5 },
      {
        eventId: deriveEventId('u2', 'p1', 'REVIEW', Date.UTC(2024, 4, 2)),
        userId: 'u2',
        productId: 'p1',
        type: 'REVIEW',
        at: Date.UTC(2024, 4, 2),
        rating: 5,
        reviewText: 'Great, really "great" sound',
      },
    ]);
    expect(ds.users).toEqual([
      { id: 'u1', createdAt: '2024-01-15T10:00:00.000Z', country: 'DE', age: 34, gender: 'F', occupation: 'engineer', zip: '10115' },
      { id: 'u2', createdAt: '2024-01-01T00:00:00.000Z', country: 'US' },
      { id: 'u3' },
    ]);
  });

  it('derives the same eventId for the same event on every run, and different ones for different events', async () => {
    const first = await readGenericCsv(FIXTURE);
    const second = await readGenericCsv(FIXTURE);
    expect(second.interactions.map((e) => e.eventId)).toEqual(first.interactions.map((e) => e.eventId));
    expect(new Set(first.interactions.map((e) => e.eventId)).size).toBe(first.interactions.length);
    expect(deriveEventId('u1', 'p1', 'VIEW', 1)).toMatch(/^csv:[0-9a-f]{24}$/);
    expect(deriveEventId('u1', 'p1', 'VIEW', 1)).not.toBe(deriveEventId('u1', 'p1', 'CLICK', 1));
  });

  describe('with bad rows', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'affinity-generic-'));
      cpSync(FIXTURE, dir, { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reports each bad interaction with file:line and the reason, after reading the whole file', async () => {
      appendFileSync(
        join(dir, 'interactions.csv'),
        [
          ',u1,p1,LIKE,2024-05-01,,', // line 6
          ',u1,p1,VIEW,last tuesday,,', // line 7
          ',u1,nope,VIEW,2024-05-01,,', // line 8
          ',u1,p1,RATE,2024-05-01,,', // line 9
          ',u1,p1,RATE,2024-05-01,9,', // line 10
          ',u1,p1,REVIEW,2024-05-01,4,', // line 11
          ',u1,p2,VIEW,2024-05-01,,', // line 12: fine
        ].join('\n') + '\n',
      );
      const error = await readGenericCsv(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataFileErrors);
      const file = join(dir, 'interactions.csv');
      expect((error as DataFileErrors).errors.map((e) => e.message)).toEqual([
        `${file}:6: type "LIKE" is not one of VIEW, CLICK, CART, PURCHASE, RATE, REVIEW`,
        `${file}:7: timestamp "last tuesday" is neither ISO-8601 nor epoch seconds/milliseconds`,
        `${file}:8: productId "nope" is not in items.csv`,
        `${file}:9: a RATE event needs a rating`,
        `${file}:10: rating "9" is not within 0.5..5`,
        `${file}:11: a REVIEW event needs reviewText`,
      ]);
      expect((error as Error).message).toMatch(/^6 bad row\(s\):/);
    });

    it('reports bad items (duplicate id, bad price, bad inStock) by line', async () => {
      appendFileSync(join(dir, 'items.csv'), 'p1,Again,,,,,,\np4,Thing,,,cheap,,,\np5,Thing,,,1,,,maybe\n');
      const file = join(dir, 'items.csv');
      await expect(readGenericCsv(dir)).rejects.toThrow(
        [
          `${file}:6: id "p1" appears twice (first on line 2)`,
          `${file}:7: price "cheap" is not a number >= 0`,
          `${file}:8: inStock "maybe" is not true/false`,
        ].join('\n  '),
      );
    });

    it('stops listing after 50 errors and says so', async () => {
      const rows = Array.from({ length: 60 }, (_, i) => `,u1,p1,VIEW,bad${i},,`).join('\n');
      appendFileSync(join(dir, 'interactions.csv'), rows + '\n');
      const error = (await readGenericCsv(dir).catch((e: unknown) => e)) as DataFileErrors;
      expect(error.errors).toHaveLength(50);
      expect(error.truncated).toBe(true);
      expect(error.message).toContain('further errors not shown');
    });

    it('reads texts.csv (tags, reviews kept apart) as REVIEW events, ids derived with the text', async () => {
      writeFileSync(join(dir, 'texts.csv'), 'userId,productId,text,timestamp,textId\nu1,p1,pixar,1714564800,\nu1,p1,twist ending,1714564800,\nu7,p2,"toys, friendship",2024-05-01T12:00:00Z,t9\n');
      const texts = (await readGenericCsv(dir)).interactions.filter((e) => e.type === 'REVIEW' && e.eventId !== deriveEventId('u2', 'p1', 'REVIEW', Date.UTC(2024, 4, 2)));
      expect(texts).toEqual([
        { eventId: deriveTextEventId('u1', 'p1', MAY_1_NOON, 'pixar'), userId: 'u1', productId: 'p1', type: 'REVIEW', at: MAY_1_NOON, reviewText: 'pixar' },
        { eventId: deriveTextEventId('u1', 'p1', MAY_1_NOON, 'twist ending'), userId: 'u1', productId: 'p1', type: 'REVIEW', at: MAY_1_NOON, reviewText: 'twist ending' },
        { eventId: 't9', userId: 'u7', productId: 'p2', type: 'REVIEW', at: MAY_1_NOON, reviewText: 'toys, friendship' },
      ]);
      expect(texts[0].eventId).not.toBe(texts[1].eventId);
      expect((await readGenericCsv(dir)).users.map((u) => u.id)).toContain('u7');
    });

    it('reports bad texts.csv rows by line', async () => {
      writeFileSync(join(dir, 'texts.csv'), 'userId,productId,text,timestamp\nu1,nope,pixar,1714564800\nu1,p1,,1714564800\nu1,p1,pixar,soon\n');
      const file = join(dir, 'texts.csv');
      await expect(readGenericCsv(dir)).rejects.toThrow(
        [`${file}:2: productId "nope" is not in items.csv`, `${file}:3: text is empty`, `${file}:4: timestamp "soon" is neither ISO-8601 nor epoch seconds/milliseconds`].join('\n  '),
      );
    });

    it('reads a file without the eventId column', async () => {
      writeFileSync(join(dir, 'interactions.csv'), 'userId,productId,type,timestamp\nu9,p3,view,1714564800\n');
      const ds = await readGenericCsv(dir);
      expect(ds.interactions).toEqual([
        { eventId: deriveEventId('u9', 'p3', 'VIEW', MAY_1_NOON), userId: 'u9', productId: 'p3', type: 'VIEW', at: MAY_1_NOON },
      ]);
    });
  });
});

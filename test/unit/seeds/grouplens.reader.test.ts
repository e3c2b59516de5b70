import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileErrors } from '../../../seeds/readers/csv';
import { parseMovieTitle, readGroupLens, streamGroupLensRatings } from '../../../seeds/readers/grouplens.reader';
import type { InteractionRecord } from '../../../src/domain/records';

const FIXTURE = join(__dirname, '../../fixtures/movielens-tiny');

describe('parseMovieTitle', () => {
  it.each([
    ['Toy Story (1995)', 'Toy Story', 1995],
    ['American President, The (1995)', 'The American President', 1995],
    ['City of Lost Children, The (Cité des enfants perdus, La) (1995)', 'The City of Lost Children (Cité des enfants perdus, La)', 1995],
    ['Avventura, L\' (1960)', "L'Avventura", 1960],
    ['Misérables, Les (1995)', 'Les Misérables', 1995],
    ['Fawlty Towers (1975-1979)', 'Fawlty Towers', 1975],
    ['Big Bang Theory, The', 'The Big Bang Theory', undefined],
    ['Ben-hur (2016)', 'Ben-hur', 2016],
  ])('reads %j as %j (%j)', (raw, name, year) => {
    expect(parseMovieTitle(raw)).toEqual({ name, year });
  });
});

describe('readGroupLens', () => {
  it('maps movies, genres, ratings and users from the GroupLens layout', async () => {
    const ds = await readGroupLens(FIXTURE);
    expect(ds.name).toBe('movielens');
    expect(ds.products.map((p) => p.id)).toEqual(['ml-m1', 'ml-m11', 'ml-m29', 'ml-m83829', 'ml-m108583']);
    expect(ds.users.map((u) => u.id)).toEqual(['ml-u1', 'ml-u2', 'ml-u7']);
    expect(ds.interactions).toHaveLength(6);

    const president = ds.products.find((p) => p.id === 'ml-m11');
    expect(president).toEqual({
      id: 'ml-m11',
      title: 'The American President (1995)',
      description: 'The American President is a 1995 film. Genres: Comedy, Drama, Romance.',
      inStock: true,
      categoryIds: ['genre:comedy', 'genre:drama', 'genre:romance'],
    });
    expect(president?.price).toBeUndefined();
    expect(president?.brand).toBeUndefined();
  });

  it('makes one category per genre with a slug id, and none for "(no genres listed)"', async () => {
    const ds = await readGroupLens(FIXTURE);
    expect(ds.categories).toContainEqual({ id: 'genre:sci-fi', name: 'Sci-Fi' });
    expect(ds.categories.map((c) => c.name)).toEqual(
      ['Adventure', 'Animation', 'Children', 'Comedy', 'Drama', 'Fantasy', 'Mystery', 'Romance', 'Sci-Fi'],
    );
    expect(ds.products.find((p) => p.id === 'ml-m83829')?.categoryIds).toEqual([]);
    const ids = new Set(ds.categories.map((c) => c.id));
    for (const p of ds.products) for (const c of p.categoryIds) expect(ids.has(c)).toBe(true);
  });

  it('names a movie without a title by its id', async () => {
    const ds = await readGroupLens(FIXTURE);
    expect(ds.products.find((p) => p.id === 'ml-m108583')?.title).toBe('MovieLens movie 108583');
  });

  it('turns ratings into RATE events with deterministic ids and millisecond times', async () => {
    const ds = await readGroupLens(FIXTURE);
    expect(ds.interactions[1]).toEqual({
      eventId: 'ml:1:29:1260759179',
      userId: 'ml-u1',
      productId: 'ml-m29',
      type: 'RATE',
      at: 1260759179000,
      rating: 3.5,
    });
    expect(ds.interactions.every((e) => e.type === 'RATE')).toBe(true);
    expect(new Set(ds.interactions.map((e) => e.eventId)).size).toBe(6);
    // createdAt is the user's first event.
    expect(ds.users.find((u) => u.id === 'ml-u2')?.createdAt).toBe(new Date(1100000000 * 1000).toISOString());
  });

  it('appends the most frequent tags to the description by default, merging case', async () => {
    const ds = await readGroupLens(FIXTURE);
    const toyStory = ds.products.find((p) => p.id === 'ml-m1');
    expect(toyStory?.description).toBe(
      'Toy Story is a 1995 film. Genres: Adventure, Animation, Children, Comedy, Fantasy. Viewers tagged it: pixar, toys, friendship.',
    );
  });

  it('can turn tags into REVIEW events instead', async () => {
    const ds = await readGroupLens(FIXTURE, { tags: 'review' });
    const reviews = ds.interactions.filter((e) => e.type === 'REVIEW');
    expect(reviews).toHaveLength(4);
    expect(reviews).toContainEqual({
      eventId: 'ml-tag:7:1:1500000100:toys-friendship',
      userId: 'ml-u7',
      productId: 'ml-m1',
      type: 'REVIEW',
      at: 1500000100000,
      reviewText: 'toys, friendship',
    });
    expect(ds.products.find((p) => p.id === 'ml-m1')?.description).not.toContain('tagged');
  });

  it('ignores tags when asked', async () => {
    const ds = await readGroupLens(FIXTURE, { tags: 'ignore' });
    expect(ds.products.find((p) => p.id === 'ml-m1')?.description).not.toContain('tagged');
    expect(ds.interactions).toHaveLength(6);
  });

  it('streams ratings in batches', async () => {
    const all: InteractionRecord[] = [];
    for await (const batch of streamGroupLensRatings(FIXTURE)) all.push(...batch);
    expect(all.map((e) => e.eventId)).toEqual((await readGroupLens(FIXTURE)).interactions.map((e) => e.eventId));
  });

  describe.each([
    ['ml-100k', 'ml-100k-tiny', { toyStory: 'ml-m1', suspects: 'ml-m12', miserables: 'ml-m1300' }],
    ['ml-1m', 'ml-1m-tiny', { toyStory: 'ml-m1', suspects: 'ml-m50', miserables: 'ml-m73' }],
  ])('the %s layout', (_layout, fixture, ids) => {
    const dir = join(__dirname, '../../fixtures', fixture);

    it('gives the same readable titles, product text and genre categories as ml-latest', async () => {
      const ds = await readGroupLens(dir);
      const latest = await readGroupLens(FIXTURE, { tags: 'ignore' });
      const product = (id: string) => ds.products.find((p) => p.id === id);
      expect(product(ids.suspects)?.title).toBe('The Usual Suspects (1995)');
      expect(product(ids.suspects)?.description).toBe('The Usual Suspects is a 1995 film. Genres: Crime, Thriller.');
      // Latin-1 read as such: "Misérables", not mojibake.
      expect(product(ids.miserables)?.title).toBe('Les Misérables (1995)');
      // "Children's" is ml-latest's "Children", so both layouts share genre:children.
      expect(product(ids.toyStory)?.categoryIds).toEqual(['genre:animation', 'genre:children', 'genre:comedy']);
      expect(latest.categories).toContainEqual({ id: 'genre:children', name: 'Children' });
      expect(ds.categories).toContainEqual({ id: 'genre:children', name: 'Children' });
      expect(ds.interactions.every((e) => e.type === 'RATE' && e.eventId.startsWith('ml:'))).toBe(true);
    });
  });

  it('reads ml-100k: tab-separated ratings, genre flags, demographics, "unknown" as no genre', async () => {
    const ds = await readGroupLens(join(__dirname, '../../fixtures/ml-100k-tiny'));
    expect(ds.interactions).toHaveLength(5);
    expect(ds.interactions[0]).toEqual({ eventId: 'ml:196:12:881250949', userId: 'ml-u196', productId: 'ml-m12', type: 'RATE', at: 881250949000, rating: 3 });
    expect(ds.products.find((p) => p.id === 'ml-m267')).toMatchObject({ title: 'unknown', categoryIds: [] });
    expect(ds.users).toContainEqual({ id: 'ml-u186', createdAt: new Date(891717742000).toISOString(), age: 39, gender: 'F', occupation: 'executive', zip: '00000' });
  });

  it('reads ml-1m: "::" separators, occupation codes as names, age groups', async () => {
    const ds = await readGroupLens(join(__dirname, '../../fixtures/ml-1m-tiny'));
    expect(ds.products.map((p) => p.title)).toEqual(['Toy Story (1995)', 'The Usual Suspects (1995)', 'Grumpier Old Men (1995)', 'Les Misérables (1995)']);
    expect(ds.interactions).toHaveLength(5);
    expect(ds.users.find((u) => u.id === 'ml-u1')).toEqual({ id: 'ml-u1', createdAt: new Date(978300760000).toISOString(), age: 1, gender: 'F', occupation: 'K-12 student', zip: '48067' });
    expect(ds.users.find((u) => u.id === 'ml-u2')?.occupation).toBe('self-employed');
  });

  it('names the files each layout needs when a folder holds none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'affinity-ml-'));
    try {
      await expect(readGroupLens(empty)).rejects.toThrow(/movies\.csv \+ ratings\.csv \(ml-latest\), u\.item \+ u\.data \(ml-100k\) or movies\.dat \+ ratings\.dat/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  describe('with bad rows', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'affinity-ml-'));
      cpSync(FIXTURE, dir, { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reports every bad rating with file and line', async () => {
      appendFileSync(join(dir, 'ratings.csv'), '3,999,4.0,1260759144\n3,1,7,1260759144\n3,1,4.0,yesterday\n');
      const error = await readGroupLens(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataFileErrors);
      const file = join(dir, 'ratings.csv');
      expect((error as DataFileErrors).errors.map((e) => e.message)).toEqual([
        `${file}:8: movieId 999 is not in movies.csv`,
        `${file}:9: rating "7" is not within 0.5..5`,
        `${file}:10: timestamp "yesterday" is not epoch seconds`,
      ]);
    });

    it('reports bad rows of a headerless layout with file and line', async () => {
      const ml100k = mkdtempSync(join(tmpdir(), 'affinity-ml100k-'));
      try {
        cpSync(join(__dirname, '../../fixtures/ml-100k-tiny'), ml100k, { recursive: true });
        appendFileSync(join(ml100k, 'u.data'), '7\t999\t4\t881250949\n');
        appendFileSync(join(ml100k, 'u.user'), 'x|20|M|none|1\n');
        const error = await readGroupLens(ml100k).catch((e: unknown) => e);
        expect((error as DataFileErrors).errors.map((e) => e.message)).toEqual([
          `${join(ml100k, 'u.user')}:4: userId "x" is not a positive integer`,
          `${join(ml100k, 'u.data')}:6: movieId 999 is not in u.item`,
        ]);
      } finally {
        rmSync(ml100k, { recursive: true, force: true });
      }
    });

    it('reports a movie listed twice', async () => {
      writeFileSync(join(dir, 'movies.csv'), 'movieId,title,genres\n1,A (2000),Drama\n1,B (2001),Drama\n');
      writeFileSync(join(dir, 'ratings.csv'), 'userId,movieId,rating,timestamp\n');
      writeFileSync(join(dir, 'tags.csv'), 'userId,movieId,tag,timestamp\n');
      await expect(readGroupLens(dir)).rejects.toThrow(`movies.csv:3: movieId 1 appears twice (first on line 2)`);
    });
  });
});

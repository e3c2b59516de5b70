/**
 * Reads a GroupLens MovieLens folder in any of its layouts (ml-latest CSV, ml-100k `u.*`, ml-1m
 * `.dat`; see grouplens-layout.ts, or the export made by seeds/movielens/fetch-movielens.sh) into a
 * Dataset. File names below are ml-latest's; the other layouts' files map the same way.
 *
 * Mapping:
 * - movies.csv (movieId,title,genres) -> ProductRecord `ml-m<movieId>`. The title is made readable
 *   ("American President, The (1995)" -> "The American President (1995)") because it feeds the text
 *   encoder; the year stays in it to tell remakes apart. The description is composed from title,
 *   year, genres and (see below) tags. No price or brand (movies have none); inStock is true.
 *   An empty title (five dslabs rows lost theirs) becomes "MovieLens movie <id>".
 * - genres -> CategoryRecord `genre:<slug>` (e.g. `genre:sci-fi`, name "Sci-Fi"), flat, no parent.
 *   "(no genres listed)" (ml-100k: "unknown") is not a category: such a movie has no categoryIds.
 *   ml-100k and ml-1m's "Children's" is ml-latest's "Children" (one category across layouts).
 * - ratings.csv (userId,movieId,rating,timestamp) -> InteractionRecord RATE, at = timestamp * 1000,
 *   eventId `ml:<userId>:<movieId>:<timestamp>` (deterministic, so re-importing is a no-op).
 * - users -> UserRecord `ml-u<userId>` for every user with an interaction; createdAt is their first
 *   event (MovieLens has no sign-up date; first activity is the closest honest stand-in). Where the
 *   layout has a users file (ml-100k, ml-1m), its age, gender, occupation and zip come along; ml-1m
 *   gives an age group's lower bound (1 = under 18) and an occupation code, written as its name.
 * - tags.csv (userId,movieId,tag,timestamp), optional. Default `tags: 'description'`: a movie's most
 *   frequent tags are appended to its description. Tags are one- or two-word labels ("pixar",
 *   "twist ending"), which describe the item well but are poor reviews, and adding them as events
 *   would put ~1,300 pseudo-interactions into the graph that users never made as purchases or reviews.
 *   `tags: 'review'` turns each tag into a REVIEW event instead (eventId `ml-tag:<u>:<m>:<ts>:<slug>`);
 *   `tags: 'ignore'` skips the file.
 */
import type { CategoryRecord, Dataset, InteractionRecord, ProductRecord, UserRecord } from '../../src/domain/records';
import { readCsvTableBatches } from './csv';
import { canonicalGenre, detectGroupLensLayout, GroupLensFile, GroupLensLayout } from './grouplens-layout';
import { RowErrors } from './row-errors';
import { slugify } from '../shared/slug';

export type GroupLensTagMode = 'description' | 'review' | 'ignore';

export interface GroupLensOptions {
  /** Dataset name; defaults to "movielens". */
  name?: string;
  /** How tags.csv is used when present; default 'description'. */
  tags?: GroupLensTagMode;
  /** Most frequent tags appended to a description; default 8. */
  maxTagsPerMovie?: number;
}

export const movielensProductId = (movieId: string | number): string => `ml-m${movieId}`;
export const movielensUserId = (userId: string | number): string => `ml-u${userId}`;
export const genreCategoryId = (genre: string): string => `genre:${slugify(genre)}`;

// Articles GroupLens moves to the end ("Matrix, The"); French/Italian/Spanish/German ones occur too.
const TRAILING_ARTICLE = /^(.+?), (The|A|An|Les|La|Le|L'|Il|El|Los|Las|Die|Der|Das|Den|Det)(?=$| \()/;
const YEAR_SUFFIX = /\s*\((\d{4})(?:\s*[-–]\s*\d{0,4})?\)\s*$/;

export interface MovieTitle {
  /** Readable title without the year, e.g. "The American President". */
  name: string;
  year?: number;
}

/** Splits "American President, The (1995)" into { name: "The American President", year: 1995 }. */
export function parseMovieTitle(raw: string): MovieTitle {
  let name = raw.trim();
  let year: number | undefined;
  const m = YEAR_SUFFIX.exec(name);
  if (m) {
    year = Number(m[1]);
    name = name.slice(0, m.index).trim();
  }
  name = name.replace(TRAILING_ARTICLE, (_all, rest: string, article: string) =>
    article.endsWith("'") ? `${article}${rest}` : `${article} ${rest}`,
  );
  return { name, year };
}

/** The text the encoder sees for a movie; plain sentences embed better than a field dump. */
export function describeMovie(title: MovieTitle, genres: readonly string[], tags: readonly string[]): string {
  const when = title.year !== undefined ? `a ${title.year} film` : 'a film';
  const parts = [`${title.name} is ${when}.`];
  if (genres.length > 0) parts.push(`Genres: ${genres.join(', ')}.`);
  if (tags.length > 0) parts.push(`Viewers tagged it: ${tags.join(', ')}.`);
  return parts.join(' ');
}

interface MovieRow {
  line: number;
  title: MovieTitle;
  genres: string[];
}


/** Parses a positive integer id, or returns undefined. */
function parseId(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text) : undefined;
}

async function readMovies(spec: GroupLensLayout['movies'], errors: RowErrors): Promise<Map<number, MovieRow>> {
  const movies = new Map<number, MovieRow>();
  const file = spec.path;
  for await (const batch of readCsvTableBatches(file, { ...spec.table, required: ['movieId', 'title', 'genres'] }))
    for (const row of batch) {
      const id = parseId(row.get('movieId'));
      if (id === undefined) {
        errors.add(file, row.line, `movieId ${JSON.stringify(row.get('movieId'))} is not a positive integer`);
        continue;
      }
      if (movies.has(id)) {
        errors.add(file, row.line, `movieId ${id} appears twice (first on line ${movies.get(id)!.line})`);
        continue;
      }
      const rawTitle = row.get('title').trim();
      const title = rawTitle === '' ? { name: `MovieLens movie ${id}` } : parseMovieTitle(rawTitle);
      const genres = spec.genres(row).flatMap((g) => canonicalGenre(g) ?? []);
      movies.set(id, { line: row.line, title, genres });
    }
  return movies;
}

export interface RatingStreamOptions {
  /** Movies known from the movies file; a rating of any other movie is reported as an error. */
  knownMovieIds?: ReadonlySet<number>;
  errors?: RowErrors;
  /** The folder's layout when already detected. */
  layout?: GroupLensLayout;
}

/**
 * Streams ratings.csv as RATE interactions without holding the file, one batch per read chunk
 * (a few thousand ratings), which is the shape a loader writing with UNWIND wants.
 * Bad rows go to `options.errors` (and are skipped) when given, otherwise the first one throws.
 */
export async function* streamGroupLensRatings(dir: string, options: RatingStreamOptions = {}): AsyncGenerator<InteractionRecord[]> {
  const layout = options.layout ?? (await detectGroupLensLayout(dir));
  const file = layout.ratings.path;
  const own = options.errors === undefined;
  const errors = options.errors ?? new RowErrors(1);
  for await (const rows of readCsvTableBatches(file, { ...layout.ratings.table, required: ['userId', 'movieId', 'rating', 'timestamp'] })) {
    const batch: InteractionRecord[] = [];
    for (const row of rows) {
      const userId = parseId(row.get('userId'));
      const movieId = parseId(row.get('movieId'));
      const ratingText = row.get('rating').trim();
      const rating = Number(ratingText);
      const ts = row.get('timestamp').trim();
      let reason: string | undefined;
      if (userId === undefined) reason = `userId ${JSON.stringify(row.get('userId'))} is not a positive integer`;
      else if (movieId === undefined) reason = `movieId ${JSON.stringify(row.get('movieId'))} is not a positive integer`;
      else if (options.knownMovieIds && !options.knownMovieIds.has(movieId)) reason = `movieId ${movieId} is not in ${layout.movies.name}`;
      else if (ratingText === '' || !(rating >= 0.5 && rating <= 5)) reason = `rating ${JSON.stringify(ratingText)} is not within 0.5..5`;
      else if (!/^\d+$/.test(ts)) reason = `timestamp ${JSON.stringify(ts)} is not epoch seconds`;
      if (reason !== undefined || userId === undefined || movieId === undefined) {
        errors.add(file, row.line, reason ?? 'bad row');
        if (own) errors.throwIfAny();
        continue;
      }
      batch.push({
        eventId: `ml:${userId}:${movieId}:${ts}`,
        userId: movielensUserId(userId),
        productId: movielensProductId(movieId),
        type: 'RATE',
        at: Number(ts) * 1000,
        rating,
      });
    }
    if (batch.length > 0) yield batch;
  }
}

interface TagRow {
  userId: number;
  movieId: number;
  tag: string;
  ts: string;
}

async function readTags(spec: GroupLensFile, moviesFile: string, known: ReadonlySet<number>, errors: RowErrors): Promise<TagRow[]> {
  const tags: TagRow[] = [];
  const file = spec.path;
  for await (const batch of readCsvTableBatches(file, { ...spec.table, required: ['userId', 'movieId', 'tag', 'timestamp'] }))
    for (const row of batch) {
      const userId = parseId(row.get('userId'));
      const movieId = parseId(row.get('movieId'));
      const tag = row.get('tag').trim();
      const ts = row.get('timestamp').trim();
      if (userId === undefined || movieId === undefined) errors.add(file, row.line, 'userId and movieId must be positive integers');
      else if (!known.has(movieId)) errors.add(file, row.line, `movieId ${movieId} is not in ${moviesFile}`);
      else if (!/^\d+$/.test(ts)) errors.add(file, row.line, `timestamp ${JSON.stringify(ts)} is not epoch seconds`);
      else if (tag !== '') tags.push({ userId, movieId, tag, ts });
    }
  return tags;
}

/** Most frequent tags per movie, case-insensitively merged, ties broken alphabetically for determinism. */
function topTagsByMovie(tags: readonly TagRow[], limit: number): Map<number, string[]> {
  const counts = new Map<number, Map<string, { text: string; n: number }>>();
  for (const t of tags) {
    let perMovie = counts.get(t.movieId);
    if (!perMovie) counts.set(t.movieId, (perMovie = new Map()));
    const key = t.tag.toLowerCase();
    const entry = perMovie.get(key);
    if (entry) entry.n++;
    else perMovie.set(key, { text: t.tag, n: 1 });
  }
  const top = new Map<number, string[]>();
  for (const [movieId, perMovie] of counts) {
    const sorted = [...perMovie.entries()].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    top.set(movieId, sorted.slice(0, limit).map(([, v]) => v.text));
  }
  return top;
}

type Demographics = Pick<UserRecord, 'age' | 'gender' | 'occupation' | 'zip'>;

/** Age, gender, occupation and zip by user id, from a layout's users file. */
async function readUsers(spec: NonNullable<GroupLensLayout['users']>, errors: RowErrors): Promise<Map<number, Demographics>> {
  const users = new Map<number, Demographics>();
  for await (const batch of readCsvTableBatches(spec.path, { ...spec.table, required: ['userId'] }))
    for (const row of batch) {
      const userId = parseId(row.get('userId'));
      const ageText = row.optional('age');
      if (userId === undefined) errors.add(spec.path, row.line, `userId ${JSON.stringify(row.get('userId'))} is not a positive integer`);
      else if (ageText !== undefined && parseId(ageText) === undefined) errors.add(spec.path, row.line, `age ${JSON.stringify(ageText)} is not a whole number`);
      else {
        const demographics: Demographics = {};
        if (ageText !== undefined) demographics.age = Number(ageText);
        const gender = row.optional('gender');
        if (gender !== undefined) demographics.gender = gender;
        const occupation = row.optional('occupation');
        if (occupation !== undefined) demographics.occupation = spec.occupation(occupation);
        const zip = row.optional('zip');
        if (zip !== undefined) demographics.zip = zip;
        users.set(userId, demographics);
      }
    }
  return users;
}

/** Reads the movies, ratings and optional tags and users of `dir` in whichever layout it holds; throws DataFileErrors listing bad rows. */
export async function readGroupLens(dir: string, options: GroupLensOptions = {}): Promise<Dataset> {
  const tagMode = options.tags ?? 'description';
  const errors = new RowErrors();
  const layout = await detectGroupLensLayout(dir);
  const movies = await readMovies(layout.movies, errors);
  const known = new Set(movies.keys());

  const tags = tagMode !== 'ignore' && layout.tags ? await readTags(layout.tags, layout.movies.name, known, errors) : [];
  const demographics = layout.users ? await readUsers(layout.users, errors) : new Map<number, Demographics>();
  const topTags = tagMode === 'description' ? topTagsByMovie(tags, options.maxTagsPerMovie ?? 8) : new Map<number, string[]>();

  const genreNames = new Set<string>();
  const products: ProductRecord[] = [];
  for (const [movieId, movie] of movies) {
    for (const g of movie.genres) genreNames.add(g);
    const title = movie.title.year !== undefined ? `${movie.title.name} (${movie.title.year})` : movie.title.name;
    products.push({
      id: movielensProductId(movieId),
      title,
      description: describeMovie(movie.title, movie.genres, topTags.get(movieId) ?? []),
      inStock: true,
      categoryIds: movie.genres.map(genreCategoryId),
    });
  }
  const categories: CategoryRecord[] = [...genreNames].sort().map((name) => ({ id: genreCategoryId(name), name }));

  const interactions: InteractionRecord[] = [];
  for await (const batch of streamGroupLensRatings(dir, { knownMovieIds: known, errors, layout })) for (const rating of batch) interactions.push(rating);
  if (tagMode === 'review') {
    for (const t of tags) {
      interactions.push({
        eventId: `ml-tag:${t.userId}:${t.movieId}:${t.ts}:${slugify(t.tag)}`,
        userId: movielensUserId(t.userId),
        productId: movielensProductId(t.movieId),
        type: 'REVIEW',
        at: Number(t.ts) * 1000,
        reviewText: t.tag,
      });
    }
  }
  errors.throwIfAny();

  const firstSeen = new Map<string, number>();
  for (const e of interactions) {
    const seen = firstSeen.get(e.userId);
    if (seen === undefined || e.at < seen) firstSeen.set(e.userId, e.at);
  }
  const users: UserRecord[] = [...firstSeen.entries()].map(([id, at]) => ({ id, createdAt: new Date(at).toISOString() }));
  const byId = new Map(users.map((u) => [u.id, u]));
  for (const [userId, fields] of demographics) {
    const id = movielensUserId(userId);
    const user = byId.get(id);
    if (user) Object.assign(user, fields);
    else users.push({ id, ...fields });
  }

  return { name: options.name ?? 'movielens', users, categories, products, interactions };
}

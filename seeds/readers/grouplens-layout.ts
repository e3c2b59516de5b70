/**
 * The file layouts GroupLens has published MovieLens in, and which one a folder holds (detected from
 * the files present). Each layout's files are described in one vocabulary of column names
 * (movieId, title, genres, userId, rating, timestamp, tag, age, gender, occupation, zip), so the
 * reader maps every layout to the same records and the same product text.
 *
 * - ml-latest (ml-latest-small, ml-25m, ...): UTF-8 CSV with headers, `movies.csv`, `ratings.csv`,
 *   optional `tags.csv`.
 * - ml-100k: Latin-1, no headers, `u.data` (tab: user, item, rating, timestamp), `u.item` (`|`: id,
 *   title, release date, video release date, IMDb URL, 19 genre flags), optional `u.user` (`|`: id,
 *   age, gender, occupation, zip).
 * - ml-1m / ml-10m: Latin-1, no headers, `::` between fields, `ratings.dat`, `movies.dat` (genres
 *   `|`-separated), optional `users.dat` (id, gender, age group, occupation code, zip; ml-1m) and
 *   `tags.dat` (ml-10m).
 */
import { join } from 'node:path';
import type { CsvFormat, CsvRow, CsvTableOptions } from './csv';
import { fileExists } from '../shared/file-exists';

export type GroupLensLayoutName = 'ml-latest' | 'ml-100k' | 'ml-1m';

/** One file of a layout: where it is and how its rows are addressed. */
export interface GroupLensFile {
  path: string;
  /** File name for messages ("movieId 9 is not in u.item"). */
  name: string;
  table: Omit<CsvTableOptions, 'required'>;
}

export interface GroupLensLayout {
  name: GroupLensLayoutName;
  movies: GroupLensFile & { genres(row: CsvRow): string[] };
  ratings: GroupLensFile;
  tags?: GroupLensFile;
  /** With each user's demographics; `occupation` maps the file's value to a readable one. */
  users?: GroupLensFile & { occupation(value: string): string };
}

const LATIN1_PIPES: CsvFormat = { delimiter: '|', encoding: 'latin1', quoted: false };
const LATIN1_TABS: CsvFormat = { delimiter: '\t', encoding: 'latin1', quoted: false };
const LATIN1_COLONS: CsvFormat = { delimiter: '::', encoding: 'latin1', quoted: false };

/** ml-100k's genre flags in u.item's column order (its u.genre). */
export const ML100K_GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
] as const;

/** ml-1m's occupation codes (its README). */
const ML1M_OCCUPATIONS = [
  'other', 'academic/educator', 'artist', 'clerical/admin', 'college/grad student', 'customer service', 'doctor/health care',
  'executive/managerial', 'farmer', 'homemaker', 'K-12 student', 'lawyer', 'programmer', 'retired', 'sales/marketing',
  'scientist', 'self-employed', 'technician/engineer', 'tradesman/craftsman', 'unemployed', 'writer',
];

const splitGenres = (row: CsvRow): string[] => row.get('genres').split('|');
const asIs = (value: string): string => value;

function file(dir: string, name: string, table: GroupLensFile['table']): GroupLensFile {
  return { path: join(dir, name), name, table };
}

async function optional<T extends GroupLensFile>(spec: T): Promise<T | undefined> {
  return (await fileExists(spec.path)) ? spec : undefined;
}

const RATING_COLUMNS = ['userId', 'movieId', 'rating', 'timestamp'];
const TAG_COLUMNS = ['userId', 'movieId', 'tag', 'timestamp'];

async function mlLatest(dir: string): Promise<GroupLensLayout> {
  return {
    name: 'ml-latest',
    movies: { ...file(dir, 'movies.csv', {}), genres: splitGenres },
    ratings: file(dir, 'ratings.csv', {}),
    tags: await optional(file(dir, 'tags.csv', {})),
  };
}

async function ml100k(dir: string): Promise<GroupLensLayout> {
  const flags = ML100K_GENRES.map((g) => `genre ${g}`);
  return {
    name: 'ml-100k',
    movies: {
      ...file(dir, 'u.item', { columns: ['movieId', 'title', 'releaseDate', 'videoReleaseDate', 'imdbUrl', ...flags], format: LATIN1_PIPES }),
      genres: (row) => ML100K_GENRES.filter((_, i) => row.get(flags[i]).trim() === '1'),
    },
    ratings: file(dir, 'u.data', { columns: RATING_COLUMNS, format: LATIN1_TABS }),
    users: await optional({ ...file(dir, 'u.user', { columns: ['userId', 'age', 'gender', 'occupation', 'zip'], format: LATIN1_PIPES }), occupation: asIs }),
  };
}

async function ml1m(dir: string): Promise<GroupLensLayout> {
  return {
    name: 'ml-1m',
    movies: { ...file(dir, 'movies.dat', { columns: ['movieId', 'title', 'genres'], format: LATIN1_COLONS }), genres: splitGenres },
    ratings: file(dir, 'ratings.dat', { columns: RATING_COLUMNS, format: LATIN1_COLONS }),
    tags: await optional(file(dir, 'tags.dat', { columns: TAG_COLUMNS, format: LATIN1_COLONS })),
    users: await optional({
      ...file(dir, 'users.dat', { columns: ['userId', 'gender', 'age', 'occupation', 'zip'], format: LATIN1_COLONS }),
      occupation: (code: string) => ML1M_OCCUPATIONS[Number(code)] ?? code,
    }),
  };
}

/** The layout of `dir`, from the files present; throws naming what each layout needs when none fits. */
export async function detectGroupLensLayout(dir: string): Promise<GroupLensLayout> {
  const has = async (...names: string[]): Promise<boolean> => (await Promise.all(names.map((n) => fileExists(join(dir, n))))).every(Boolean);
  if (await has('movies.csv', 'ratings.csv')) return mlLatest(dir);
  if (await has('u.item', 'u.data')) return ml100k(dir);
  if (await has('movies.dat', 'ratings.dat')) return ml1m(dir);
  throw new Error(
    `${dir} holds no GroupLens layout: expected movies.csv + ratings.csv (ml-latest), u.item + u.data (ml-100k) ` +
      'or movies.dat + ratings.dat (ml-1m, ml-10m)',
  );
}

/** One name per genre across layouts: ml-100k and ml-1m say "Children's", ml-latest "Children". */
export function canonicalGenre(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed === '(no genres listed)' || trimmed === 'unknown') return undefined;
  return trimmed === "Children's" ? 'Children' : trimmed;
}


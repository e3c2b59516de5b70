/**
 * Category ids are derived from names so that the same category coming from two sources (a GroupLens
 * genre and a generic CSV, a re-run of an import) lands on the same node.
 */

/** "Sci-Fi" -> "sci-fi", "Film-Noir" -> "film-noir", "Home & Kitchen" -> "home-kitchen". */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // drop accents left by NFKD
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Separator between levels in a readable category path, as in "Electronics > Headphones". */
export const CATEGORY_PATH_SEPARATOR = ' > ';

/** `cat:electronics/headphones` for ["Electronics", "Headphones"]. */
export function categoryIdForPath(segments: readonly string[]): string {
  return `cat:${segments.map(slugify).join('/')}`;
}

/**
 * A cached user's recommendation candidates: their stored list filtered as Neo4j's list path
 * filters it (candidate-list.repository.ts personalQuery), against the cached catalogue.
 */
import type { ProductRow } from '../../../repositories/product.repository';
import type { Candidate } from '../candidate-source';
import type { CandidateRow, RecentItemRow } from '../../../repositories/candidate.cypher';
import { CachedUser, eventType, StoredList } from './cached-user';
import type { ProductTable } from './product-table';

/** The filters a list can answer; categories through the cached category tree (`inCategories`). */
export interface ListFilter {
  inStockOnly: boolean;
  /** In one of these categories or below one (as the Cypher filter's SUBCATEGORY_OF walk). */
  categoryIds: string[] | null;
  minPrice: number | null;
  maxPrice: number | null;
  excludeIds: string[];
  productIds: string[] | null;
}

/** Whether a product is in the filter's categories (the caller's category tree). */
export type InCategories = (productId: string) => boolean;

/** Whether a product passes the filter, as the Cypher FILTER decides for a user without events. */
export function allowedProduct(p: ProductRow, filter: ListFilter, inCategories: InCategories | null): boolean {
  if (p.id === '' || filter.excludeIds.includes(p.id)) return false;
  if (filter.categoryIds !== null && (inCategories === null || !inCategories(p.id))) return false;
  if (filter.productIds !== null && !filter.productIds.includes(p.id)) return false;
  if (filter.inStockOnly && p.inStock === false) return false;
  // As in Cypher, a product without a price fails any price bound.
  if (filter.minPrice !== null && (p.price === null || p.price < filter.minPrice)) return false;
  if (filter.maxPrice !== null && (p.price === null || p.price > filter.maxPrice)) return false;
  return true;
}

/**
 * The first `limit` allowed candidates, or null when the list holds fewer: products past its end
 * might qualify, and a list shorter than the others ran out of index neighbours the user had not
 * seen, so only Neo4j's sources (a wider search, an exact scan) can fill the page.
 */
/** A candidate from a kept list: its product is always known. */
export type ListedCandidate = CandidateRow & Pick<Candidate, 'closest'>;

export function listedCandidates(
  list: StoredList,
  products: ProductTable,
  filter: ListFilter,
  limit: number,
  inCategories: InCategories | null = null,
): ListedCandidate[] | null {
  const rows: ListedCandidate[] = [];
  for (let i = 0; i < list.ids.length && rows.length < limit; i++) {
    const product = products.row(list.ids[i]);
    if (!product || !allowedProduct(product, filter, inCategories)) continue;
    // One object shape whether or not the list names reasons (undefined: requests compute them).
    const closest = list.closest ? (list.closest.positions[i] < 0 ? null : { productId: products.idAt(list.closest.positions[i]), similarity: list.closest.similarities[i] }) : undefined;
    rows.push({ id: product.id, score: list.scores[i], vector: null, product, closest });
  }
  if (rows.length < limit) return null;
  return rows;
}

/** The user's latest events, newest first, titled from the cached catalogue. */
export function recentItems(user: CachedUser, products: ProductTable): RecentItemRow[] {
  return Array.from(user.recentProducts, (position, i) => ({
    productId: products.idAt(position),
    title: products.row(position)?.title ?? '',
    type: eventType(user.recentTypes[i]),
    weight: user.recentWeights[i],
    at: user.recentAt[i],
  }));
}

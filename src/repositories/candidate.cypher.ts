/**
 * What the candidate queries share (product.repository's vector searches, candidate-list.repository's
 * lists, interaction.repository's popularity): the filter every source applies, the user's own
 * products, and candidate rows as positional lists.
 */
import { Slot, SLOTS } from './model-version.repository';
import type { ProductRow } from './product.repository';

export interface CandidateRow {
  id: string;
  score: number;
  /** Only when asked for (MMR needs them); shipping vectors dominated a request's decoding cost. */
  vector: ArrayLike<number> | null;
  /** The product's fields, so the response needs no second lookup for them. */
  product: ProductRow;
}

export interface CandidateFilter {
  userId: string | null;
  excludeInteracted: boolean;
  inStockOnly: boolean;
  categoryIds: string[] | null;
  minPrice: number | null;
  maxPrice: number | null;
  excludeIds: string[];
  /** Only these products (a partner program's allow list); null: any. */
  productIds: string[] | null;
}

export interface RecentItemRow {
  productId: string;
  title: string;
  type: string;
  weight: number;
  at: number;
}

export interface CandidateSearch {
  vector: number[];
  /** Neighbours asked for before the user's own products are added (up to `maxExtra`). */
  k: number;
  maxExtra: number;
  limit: number;
  withVectors: boolean;
}

/** An index search whose caller holds the products and recent items (the serving cache's fold-in). */
export interface ScoreSearch {
  vector: number[];
  /** Neighbours asked for before the user's own products are added (up to `maxExtra`). */
  k: number;
  maxExtra: number;
  limit: number;
}

/** [product id, score] */
export type ScoredIdRow = [string, number];

export interface ScoredProductRow {
  id: string;
  score: number;
}

export const filterOn = (notInteracted: string) => `node.id <> '' AND NOT node.id IN $excludeIds
      AND ($productIds IS NULL OR node.id IN $productIds)
      AND (NOT $inStockOnly OR coalesce(node.inStock, true))
      AND ($minPrice IS NULL OR node.price >= $minPrice)
      AND ($maxPrice IS NULL OR node.price <= $maxPrice)
      AND ($categoryIds IS NULL OR EXISTS {
            MATCH (node)-[:IN_CATEGORY]->(:Category)-[:SUBCATEGORY_OF*0..4]->(c:Category) WHERE c.id IN $categoryIds })
      AND (NOT $excludeInteracted OR ${notInteracted})`;

/** Stored lists already leave out what the user interacted with (and serve only without fresh events). */
export const LISTED_FILTER = filterOn('true');

export const FILTER = filterOn('$userId IS NULL OR NOT EXISTS { MATCH (:User {id: $userId})-[:INTERACTED]->(node) }');

/**
 * FILTER against `seen`, the user's products collected once per query (SEEN): checking each
 * candidate with an expand into the user costs a walk over the candidate's interactions, and
 * popular candidates have thousands (measured: 1426 of a request's 2570 db hits).
 */
export const FILTER_SEEN = filterOn('NOT node IN seen');

/** The user's products, when they are to be excluded; `u` must be bound (and may be null). */
export const SEEN_OF_U = `CASE WHEN $excludeInteracted AND u IS NOT NULL
                        THEN COLLECT { MATCH (u)-[:INTERACTED]->(p:Product) RETURN DISTINCT p } ELSE [] END`;

export const SEEN = `OPTIONAL MATCH (u:User {id: $userId})
           WITH u, ${SEEN_OF_U} AS seen`;

/**
 * Extra index neighbours for the user's own products (`events` bound: their interaction count),
 * capped by $maxExtra: excluded afterwards, they would otherwise eat the top-k.
 */
/**
 * The exact (1 + cos) / 2 of an index hit (`node` bound) to `query`: the index's own scores are
 * quantized, and a list, an index search and an exact scan must rank the same products alike.
 * Queries re-score only the best 2 x limit hits by the index's score, which hold the exact best.
 */
export const EXACT_SCORE = (property: string, query: string) => `vector.similarity.cosine(node.${property}, ${query})`;

export const OWN_EXTRA = 'CASE WHEN events < $maxExtra THEN events ELSE toInteger($maxExtra) END';

/**
 * A candidate as a positional list (decoded by toCandidate): the driver decoded maps at twice the
 * cost, 0.99 against 0.68 CPU ms for one request's rows (bench/recommend's published users).
 */
export const CANDIDATE_ROW = (property: string, score: string) =>
  `[node.id, ${score}, node.title, node.description, node.price, node.currency, node.brand, node.inStock,
    CASE WHEN $withVectors THEN node.${property} END]`;

/** Candidate row from an index lookup (`node` and `score` bound). */
export const SEARCHED_ROW = (property: string) => CANDIDATE_ROW(property, 'score');

/** Candidate row from the user's stored list (`u`, `node` and its position `i` bound). */
export const LISTED_ROW = (slot: Slot) => CANDIDATE_ROW(SLOTS[slot].property, `u.${SLOTS[slot].lists.scores}[i]`);

export type CandidateList = [string, number, string, string | null, number | null, string | null, string | null, boolean | null, number[] | null];

export function toCandidate(row: CandidateList): CandidateRow {
  const [id, score, title, description, price, currency, brand, inStock, vector] = row;
  return { id, score, vector, product: { id, title, description, price, currency, brand, inStock } };
}

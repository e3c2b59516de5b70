/**
 * Cypher behind recommendations. Candidates come from the active slot's vector index
 * (model-version.repository.ts SLOTS); index and property names are fixed per slot, never input.
 */
import type { Database } from '../db/database';
import { perSlot, Slot, SLOTS } from './model-version.repository';
import type { ProductRow } from './product.repository';
import { FRESH_EVENTS_OF_U, LATEST_EVENTS_OF_U } from './interaction.repository';

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
}

export interface RecentItemRow {
  productId: string;
  title: string;
  type: string;
  weight: number;
  at: number;
}

/**
 * Everything one request needs about a user, in one round trip: whether the published vector is
 * still current, the latest events (for fold-in and reasons) and, when it is current, the candidates.
 */
export interface PersonalRow {
  hasVector: boolean;
  /** The candidates came from the user's stored list rather than an index search. */
  fromList: boolean;
  freshEvents: number;
  events: number;
  recent: RecentItemRow[];
  /** Empty unless the published vector serves (no events after training). */
  candidates: CandidateRow[];
}

/** PersonalRow as Neo4j sends it: rows as positional lists. */
interface PersonalRecord extends Omit<PersonalRow, 'recent' | 'candidates'> {
  recent: [string, string | null, string, number, number][];
  candidates: CandidateList[];
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

const filterOn = (notInteracted: string) => `node.id <> '' AND NOT node.id IN $excludeIds
      AND (NOT $inStockOnly OR coalesce(node.inStock, true))
      AND ($minPrice IS NULL OR node.price >= $minPrice)
      AND ($maxPrice IS NULL OR node.price <= $maxPrice)
      AND ($categoryIds IS NULL OR EXISTS {
            MATCH (node)-[:IN_CATEGORY]->(:Category)-[:SUBCATEGORY_OF*0..4]->(c:Category) WHERE c.id IN $categoryIds })
      AND (NOT $excludeInteracted OR ${notInteracted})`;

/** Stored lists already leave out what the user interacted with (and serve only without fresh events). */
const LISTED_FILTER = filterOn('true');

const FILTER = filterOn('$userId IS NULL OR NOT EXISTS { MATCH (:User {id: $userId})-[:INTERACTED]->(node) }');

/**
 * FILTER against `seen`, the user's products collected once per query (SEEN): checking each
 * candidate with an expand into the user costs a walk over the candidate's interactions, and
 * popular candidates have thousands (measured: 1426 of a request's 2570 db hits).
 */
const FILTER_SEEN = filterOn('NOT node IN seen');

/** The user's products, when they are to be excluded; `u` must be bound (and may be null). */
const SEEN_OF_U = `CASE WHEN $excludeInteracted AND u IS NOT NULL
                        THEN COLLECT { MATCH (u)-[:INTERACTED]->(p:Product) RETURN DISTINCT p } ELSE [] END`;

const SEEN = `OPTIONAL MATCH (u:User {id: $userId})
           WITH u, ${SEEN_OF_U} AS seen`;

/**
 * Extra index neighbours for the user's own products (`events` bound: their interaction count),
 * capped by $maxExtra: excluded afterwards, they would otherwise eat the top-k.
 */
const OWN_EXTRA = 'CASE WHEN events < $maxExtra THEN events ELSE toInteger($maxExtra) END';

/**
 * A candidate as a positional list (decoded by toCandidate): the driver decoded maps at twice the
 * cost, 0.99 against 0.68 CPU ms for one request's rows (bench/recommend's published users).
 */
const CANDIDATE_ROW = (property: string, score: string) =>
  `[node.id, ${score}, node.title, node.description, node.price, node.currency, node.brand, node.inStock,
    CASE WHEN $withVectors THEN node.${property} END]`;

/** Candidate row from an index lookup (`node` and `score` bound). */
const SEARCHED_ROW = (property: string) => CANDIDATE_ROW(property, 'score');

/** Candidate row from the user's stored list (`u`, `node` and its position `i` bound). */
const LISTED_ROW = (slot: Slot) => CANDIDATE_ROW(SLOTS[slot].property, `u.${SLOTS[slot].lists.scores}[i]`);

type CandidateList = [string, number, string, string | null, number | null, string | null, string | null, boolean | null, number[] | null];

function toCandidate(row: CandidateList): CandidateRow {
  const [id, score, title, description, price, currency, brand, inStock, vector] = row;
  return { id, score, vector, product: { id, title, description, price, currency, brand, inStock } };
}

const candidatesQuery = (index: string, property: string) => ({
  name: `recommendation.candidates.${index}`,
  cypher: `${SEEN}
           WITH u, seen, CASE WHEN $excludeInteracted THEN COUNT { (u)-[:INTERACTED]->() } ELSE 0 END AS events
           CALL db.index.vector.queryNodes('${index}', toInteger($k) + ${OWN_EXTRA}, $vector) YIELD node, score
           WHERE ${FILTER_SEEN}
           WITH node, score ORDER BY score DESC LIMIT toInteger($limit)
           RETURN ${SEARCHED_ROW(property)} AS row`,
});

/**
 * candidatesQuery without the products' fields, for a caller that holds them: about half its Neo4j time. Asks for k plus the user's interaction count (capped),
 * as the fold-in path does.
 */
const scoresQuery = (index: string) => ({
  name: `recommendation.scores.${index}`,
  cypher: `${SEEN}
           WITH u, seen, COUNT { (u)-[:INTERACTED]->() } AS events
           CALL db.index.vector.queryNodes('${index}', toInteger($k) + ${OWN_EXTRA}, $vector) YIELD node, score
           WHERE ${FILTER_SEEN}
           WITH node, score ORDER BY score DESC LIMIT toInteger($limit)
           RETURN [node.id, score] AS row`,
});

/**
 * The published-user path in one round trip. A user whose vector is current is served from the
 * candidate list stored at publish (materialiseQuery), filtered here, merged by score with the
 * products embedded since publish (the version's newProductIds, scored exactly), when the list is
 * valid (its version's candidateListSize is set) and holds enough allowed products; otherwise from
 * the index, asked for $k more than the user's interaction count (capped), since excluded
 * interacted products would otherwise eat the top-k. New products need no interacted check: without
 * fresh events the user cannot have touched a product newer than the model.
 */
const personalQuery = (slot: Slot) => {
  const { productIndex: index, property, lists } = SLOTS[slot];
  return {
    name: `recommendation.personal.${index}`,
    cypher: `MATCH (u:User {id: $userId})
           WITH u, ${FRESH_EVENTS_OF_U} AS freshEvents,
                COUNT { (u)-[:INTERACTED]->() } AS events,
                CASE WHEN $useLists AND u.${lists.ids} IS NOT NULL
                     THEN COLLECT { MATCH (m:ModelVersion {id: $modelId}) RETURN [m.candidateListSize, coalesce(m.newProductIds, [])] }[0]
                END AS listState
           WITH u, freshEvents, events, listState[0] AS listSize, listState[1] AS newIds
           ${LATEST_EVENTS_OF_U(`[p.id, p.title, r.type, r.weight, r.at.epochMillis]`)}
           CALL {
             WITH u, freshEvents, listSize, newIds
             WITH u, newIds WHERE freshEvents = 0 AND listSize IS NOT NULL
             CALL {
               WITH u
               UNWIND range(0, size(u.${lists.ids}) - 1) AS i
               MATCH (node:Product {id: u.${lists.ids}[i]}) WHERE ${LISTED_FILTER}
               WITH u, node, i ORDER BY i LIMIT toInteger($limit)
               RETURN ${LISTED_ROW(slot)} AS row, true AS stored
               UNION ALL
               WITH u, newIds
               UNWIND newIds AS newId
               MATCH (node:Product {id: newId}) WHERE node.${property} IS NOT NULL AND ${LISTED_FILTER}
               WITH node, vector.similarity.cosine(u.${property}, node.${property}) AS score
               RETURN ${SEARCHED_ROW(property)} AS row, false AS stored
             }
             WITH row, stored ORDER BY row[1] DESC
             RETURN collect(row)[0..toInteger($limit)] AS listed, count(CASE WHEN stored THEN 1 END) AS storedRows
           }
           WITH u, freshEvents, events, recent, listed,
                freshEvents = 0 AND listSize IS NOT NULL AND storedRows >= $limit AS fromList
           CALL {
             WITH u, freshEvents, events, fromList
             WITH u, events WHERE freshEvents = 0 AND NOT fromList AND u.${property} IS NOT NULL
             WITH u, events,
                  ${SEEN_OF_U} AS seen
             CALL db.index.vector.queryNodes('${index}',
               toInteger($k) + CASE WHEN $excludeInteracted THEN ${OWN_EXTRA} ELSE 0 END,
               u.${property}) YIELD node, score
             WHERE ${FILTER_SEEN}
             WITH node, score ORDER BY score DESC LIMIT toInteger($limit)
             RETURN collect(${SEARCHED_ROW(property)}) AS searched
           }
           RETURN u.${property} IS NOT NULL AS hasVector, freshEvents, events, fromList, recent,
                  CASE WHEN fromList THEN listed ELSE searched END AS candidates`,
  };
};

/**
 * Stores each user's candidates: the index's top $k for the user's vector, without the products
 * the user interacted with. Run at
 * publish for the new slot; serving then reads the list instead of searching (personalQuery).
 */
const materialiseQuery = (slot: Slot) => {
  const { productIndex: index, property, lists } = SLOTS[slot];
  return {
    name: `recommendation.materialiseCandidates.${index}`,
    cypher: `UNWIND $userIds AS userId
           MATCH (u:User {id: userId}) WHERE u.${property} IS NOT NULL
           CALL (u) {
             WITH u, COUNT { (u)-[:INTERACTED]->() } AS events,
                  COLLECT { MATCH (u)-[:INTERACTED]->(p:Product) RETURN DISTINCT p } AS seen
             CALL db.index.vector.queryNodes('${index}',
               toInteger($k) + ${OWN_EXTRA}, u.${property}) YIELD node, score
             WHERE node.id <> '' AND NOT node IN seen
             WITH node, score ORDER BY score DESC LIMIT toInteger($k)
             RETURN collect([node.id, score]) AS rows
           }
           SET u.${lists.ids} = [r IN rows | r[0]], u.${lists.scores} = [r IN rows | r[1]]
           RETURN count(u) AS users`,
  };
};

/**
 * Fold-in lists for a page of users who acted since training (the serving cache's, see
 * serving-cache/fold-in-lists.ts): per user, what the index answers for their folded-in vector, minus
 * their products, as materialiseQuery stores for published vectors; scored ids only, since the
 * caller holds the products and the items' vectors.
 */
const foldInListsQuery = (index: string) => ({
  name: `recommendation.foldInLists.${index}`,
  cypher: `UNWIND $queries AS q
           MATCH (u:User {id: q.userId})
           CALL (u, q) {
             WITH u, q, COUNT { (u)-[:INTERACTED]->() } AS events,
                  COLLECT { MATCH (u)-[:INTERACTED]->(p:Product) RETURN DISTINCT p } AS seen
             CALL db.index.vector.queryNodes('${index}', toInteger($k) + ${OWN_EXTRA}, q.vector) YIELD node, score
             WHERE node.id <> '' AND NOT node IN seen
             WITH node, score ORDER BY score DESC LIMIT toInteger($k)
             RETURN collect([node.id, score]) AS rows
           }
           RETURN u.id AS id, rows`,
});

/**
 * Exact nearest neighbours inside the filtered set: when filters are narrow, the index's global
 * top-k may hold none of the allowed products. Same score scale as the index ((1 + cos) / 2).
 */
const filteredScanQuery = (property: string) => ({
  name: `recommendation.filteredScan.${property}`,
  cypher: `${SEEN}
           MATCH (node:Product) WHERE node.${property} IS NOT NULL AND ${FILTER_SEEN}
           WITH node, vector.similarity.cosine(node.${property}, $vector) AS score
           ORDER BY score DESC LIMIT toInteger($limit)
           RETURN ${SEARCHED_ROW(property)} AS row`,
});

const productEmbeddingsQuery = (property: string) => ({
  name: `recommendation.productEmbeddings.${property}`,
  cypher: `UNWIND $ids AS id MATCH (p:Product {id: id}) WHERE p.${property} IS NOT NULL RETURN p.id AS id, p.${property} AS vector`,
});

const userEmbeddingQuery = (property: string) => ({
  name: `recommendation.userEmbedding.${property}`,
  cypher: `MATCH (u:User {id: $userId}) RETURN u.${property} AS vector`,
});

const productVectorQuery = (property: string) => ({
  name: `recommendation.productVector.${property}`,
  cypher: `MATCH (p:Product {id: $id}) RETURN p.${property} AS vector, p.textEmbedding AS textVector`,
});

/**
 * A new product is in the index but in no stored list: the active version notes it, and serving
 * merges it into the lists (personalQuery). Past $maxNew such products the per-request merge would
 * cost more than an index search, so the version's lists stop serving until the next publish.
 */
const writeProductVector = (property: string) => ({
  name: `recommendation.writeProductVector.${property}`,
  cypher: `MATCH (p:Product {id: $id}) CALL db.create.setNodeVectorProperty(p, '${property}', $vector)
           WITH p MATCH (m:ModelVersion {active: true})
           SET m.newProductIds = CASE WHEN p.id IN coalesce(m.newProductIds, []) THEN m.newProductIds
                                      ELSE coalesce(m.newProductIds, []) + p.id END
           WITH m WHERE size(m.newProductIds) > $maxNew
           SET m.candidateListSize = null`,
});

/** Weighted interactions of the last `days`; products bought or carted count more than views. */
const TRENDING = {
  name: 'recommendation.trending',
  cypher: `MATCH (:User)-[r:INTERACTED]->(node:Product)
           WHERE r.at >= datetime({epochMillis: toInteger($since)})
           WITH node, sum(r.weight) AS score ORDER BY score DESC, node.id LIMIT toInteger($pool)
           WITH node, score WHERE ${FILTER}
           RETURN node.id AS id, score LIMIT toInteger($limit)`,
};

/**
 * Every allowed product by how many interactions it has (the degree store, no relationship reads),
 * for when the trending pool holds too few allowed products. One pass over the catalogue.
 */
const POPULAR_ALLOWED = {
  name: 'recommendation.popularAllowed',
  cypher: `${SEEN}
           MATCH (node:Product) WHERE ${FILTER_SEEN}
           WITH node, COUNT { (node)<-[:INTERACTED]-() } AS score
           ORDER BY score DESC, node.id LIMIT toInteger($limit)
           RETURN node.id AS id, score`,
};

const LATEST_EVENT = {
  name: 'recommendation.latestEvent',
  cypher: 'MATCH ()-[r:INTERACTED]->() RETURN max(r.at).epochMillis AS at',
};

/** Users who interacted with the product recently (bounded, so hubs stay cheap), and what else they took. */
const ALSO_BOUGHT = {
  name: 'recommendation.alsoBought',
  cypher: `MATCH (p:Product {id: $id})<-[r:INTERACTED]-(u:User)
           WITH p, u, r ORDER BY r.weight DESC, r.at DESC LIMIT 300
           MATCH (u)-[r2:INTERACTED]->(other:Product) WHERE other <> p
           RETURN other.id AS id, count(DISTINCT u) AS score ORDER BY score DESC, id LIMIT toInteger($limit)`,
};

const TEXT_SEARCH = {
  name: 'recommendation.textSearch',
  cypher: `CALL db.index.vector.queryNodes('product_text_embedding', toInteger($limit), $vector) YIELD node, score
           RETURN node.id AS id, score`,
};

const SIMILAR_BY_TEXT = {
  name: 'recommendation.similarByText',
  cypher: `CALL db.index.vector.queryNodes('product_text_embedding', toInteger($k), $vector) YIELD node, score
           WHERE node.id <> $id RETURN node.id AS id, score LIMIT toInteger($limit)`,
};

// Built once per slot: requests reuse these instead of rebuilding kilobytes of statement text per call.
const PERSONAL = perSlot(personalQuery);
const CANDIDATES = perSlot((slot) => candidatesQuery(SLOTS[slot].productIndex, SLOTS[slot].property));
const FILTERED_SCAN = perSlot((slot) => filteredScanQuery(SLOTS[slot].property));
const SCORES = perSlot((slot) => scoresQuery(SLOTS[slot].productIndex));
const FOLD_IN_LISTS = perSlot((slot) => foldInListsQuery(SLOTS[slot].productIndex));

export class RecommendationRepository {
  constructor(private readonly db: Database) {}

  /** Nearest allowed products to `vector` from the slot's index, best first. */
  async candidates(slot: Slot, search: CandidateSearch, filter: CandidateFilter): Promise<CandidateRow[]> {
    const rows = await this.db.readOne<{ row: CandidateList }>(CANDIDATES[slot], { ...filter, ...search });
    return rows.map((r) => toCandidate(r.row));
  }

  /** Ids and scores of the nearest allowed products to `vector`, best first (scoresQuery). */
  async scores(slot: Slot, search: ScoreSearch, filter: CandidateFilter): Promise<ScoredIdRow[]> {
    const rows = await this.db.readOne<{ row: ScoredIdRow }>(SCORES[slot], { ...filter, ...search });
    return rows.map((r) => r.row);
  }

  /** Per user, ids and scores of the `k` nearest products to their vector that they have not interacted with (foldInListsQuery). */
  async foldInLists(
    slot: Slot,
    search: { queries: { userId: string; vector: number[] }[]; k: number; maxExtra: number },
  ): Promise<{ id: string; rows: ScoredIdRow[] }[]> {
    return this.db.readOne<{ id: string; rows: ScoredIdRow[] }>(FOLD_IN_LISTS[slot], search);
  }

  async filteredScan(slot: Slot, search: Omit<CandidateSearch, 'k' | 'maxExtra'>, filter: CandidateFilter): Promise<CandidateRow[]> {
    const rows = await this.db.readOne<{ row: CandidateList }>(FILTERED_SCAN[slot], { ...filter, ...search });
    return rows.map((r) => toCandidate(r.row));
  }

  async productEmbeddings(slot: Slot, ids: string[]): Promise<{ id: string; vector: number[] }[]> {
    return this.db.readOne<{ id: string; vector: number[] }>(productEmbeddingsQuery(SLOTS[slot].property), { ids });
  }

  /** Vector state, latest events and (for a published, current vector) candidates of one user. */
  async personal(
    slot: Slot,
    args: {
      userId: string;
      modelId: string;
      useLists: boolean;
      since: number;
      recentLimit: number;
      k: number;
      maxExtra: number;
      limit: number;
      withVectors: boolean;
    },
    filter: CandidateFilter,
  ): Promise<PersonalRow | undefined> {
    const row = (await this.db.readOne<PersonalRecord>(PERSONAL[slot], { ...filter, ...args }))[0];
    if (!row) return undefined;
    return {
      ...row,
      recent: row.recent.map(([productId, title, type, weight, at]) => ({ productId, title: title ?? '', type, weight, at })),
      candidates: row.candidates.map(toCandidate),
    };
  }

  /** Stores the candidate lists of these users for the slot (materialiseQuery); returns how many got one. */
  async materialiseCandidates(slot: Slot, args: { userIds: readonly string[]; k: number; maxExtra: number }): Promise<number> {
    const rows = await this.db.writeOne<{ users: number }>(materialiseQuery(slot), { ...args, userIds: [...args.userIds] });
    return rows[0]?.users ?? 0;
  }

  async userEmbedding(slot: Slot, userId: string): Promise<number[] | null> {
    return (await this.db.readOne<{ vector: number[] | null }>(userEmbeddingQuery(SLOTS[slot].property), { userId }))[0]?.vector ?? null;
  }

  async productVectors(slot: Slot, id: string): Promise<{ vector: number[] | null; textVector: number[] | null } | undefined> {
    return (await this.db.readOne<{ vector: number[] | null; textVector: number[] | null }>(productVectorQuery(SLOTS[slot].property), { id }))[0];
  }

  /** Writes a new product's vector; past `maxNew` such products the active version's lists stop serving. */
  async writeProductVector(slot: Slot, id: string, vector: number[], maxNew: number): Promise<void> {
    await this.db.writeOne(writeProductVector(SLOTS[slot].property), { id, vector, maxNew });
  }

  /** The `pool` most-interacted products since `since`, then filtered: cold-start candidates. */
  async trending(since: number, pool: number, limit: number, filter: CandidateFilter): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(TRENDING, { since, pool, limit, ...filter });
  }

  /** The `limit` allowed products with the most interactions, ties by id. */
  async popularAllowed(limit: number, filter: CandidateFilter): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(POPULAR_ALLOWED, { limit, ...filter });
  }

  async latestEventAt(): Promise<number | null> {
    return (await this.db.readOne<{ at: number | null }>(LATEST_EVENT))[0]?.at ?? null;
  }

  async alsoBought(id: string, limit: number): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(ALSO_BOUGHT, { id, limit });
  }

  async textSearch(vector: number[], limit: number): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(TEXT_SEARCH, { vector, limit });
  }

  async similarByText(id: string, vector: number[], limit: number): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(SIMILAR_BY_TEXT, { id, vector, k: limit + 1, limit });
  }
}

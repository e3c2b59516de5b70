/**
 * Cypher behind recommendations. Candidates come from the active slot's vector index
 * (model-version.repository.ts SLOTS); index and property names are fixed per slot, never input.
 */
import type { Database } from '../db/database';
import { Slot, SLOTS } from './model-version.repository';
import type { ProductRow } from './product.repository';

export interface CandidateRow {
  id: string;
  score: number;
  /** Only when asked for (MMR needs them); shipping vectors dominated a request's decoding cost. */
  vector: number[] | null;
  /** The product's fields, so the response needs no second lookup for them. */
  product: ProductRow;
  /** The recent item most similar to this candidate in the model's space (cosine), computed in Neo4j. */
  closest: { productId: string; similarity: number } | null;
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
  freshEvents: number;
  events: number;
  recent: RecentItemRow[];
  /** Empty unless the published vector serves (no events after training). */
  candidates: CandidateRow[];
}

export interface CandidateSearch {
  vector: number[];
  k: number;
  limit: number;
  withVectors: boolean;
  recentIds: string[];
}

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
 * Candidate row; `recent` must be bound to a list of {productId, vector}. Neo4j's cosine is
 * (1 + cos) / 2, turned back into cos here so callers see one scale.
 */
const CANDIDATE_FIELDS = (property: string) => `{id: node.id, score: score,
      vector: CASE WHEN $withVectors THEN node.${property} END,
      product: node {.id, .title, .description, .price, .currency, .brand, .inStock},
      closest: reduce(best = null, x IN recent |
        CASE WHEN x.vector IS NULL OR node.${property} IS NULL THEN best
             WHEN best IS NULL OR 2 * vector.similarity.cosine(node.${property}, x.vector) - 1 > best.similarity
             THEN {productId: x.productId, similarity: 2 * vector.similarity.cosine(node.${property}, x.vector) - 1}
             ELSE best END)}`;

/** Binds `recent` from the ids the caller already holds (fold-in, filtered scans). */
const RECENT_BY_IDS = (property: string) => `CALL {
             UNWIND $recentIds AS rid MATCH (r:Product {id: rid})
             RETURN collect({productId: r.id, vector: r.${property}}) AS recent
           }`;

const candidatesQuery = (index: string, property: string) => ({
  name: `recommendation.candidates.${index}`,
  cypher: `${SEEN}
           ${RECENT_BY_IDS(property)}
           CALL db.index.vector.queryNodes('${index}', toInteger($k), $vector) YIELD node, score
           WHERE ${FILTER_SEEN}
           WITH node, score, recent ORDER BY score DESC LIMIT toInteger($limit)
           WITH ${CANDIDATE_FIELDS(property)} AS row
           RETURN row.id AS id, row.score AS score, row.vector AS vector, row.product AS product, row.closest AS closest`,
});

/**
 * The published-user path in one round trip. The index is asked for $k more than the user's
 * interaction count (capped), since excluded interacted products would otherwise eat the top-k.
 */
const personalQuery = (index: string, property: string) => ({
  name: `recommendation.personal.${index}`,
  cypher: `MATCH (u:User {id: $userId})
           WITH u, COUNT { (u)-[r:INTERACTED]->() WHERE r.at >= datetime({epochMillis: toInteger($since)}) } AS freshEvents,
                COUNT { (u)-[:INTERACTED]->() } AS events
           CALL {
             WITH u
             MATCH (u)-[r:INTERACTED]->(p:Product)
             WITH r, p ORDER BY r.at DESC LIMIT toInteger($recentLimit)
             RETURN collect({productId: p.id, title: p.title, type: r.type, weight: r.weight, at: r.at.epochMillis,
                             vector: p.${property}}) AS recent
           }
           CALL {
             WITH u, freshEvents, events, recent
             WITH u, events, recent WHERE freshEvents = 0 AND u.${property} IS NOT NULL
             WITH u, events, recent,
                  ${SEEN_OF_U} AS seen
             CALL db.index.vector.queryNodes('${index}',
               toInteger($k) + CASE WHEN $excludeInteracted THEN CASE WHEN events < $maxExtra THEN events ELSE $maxExtra END ELSE 0 END,
               u.${property}) YIELD node, score
             WHERE ${FILTER_SEEN}
             WITH node, score, recent ORDER BY score DESC LIMIT toInteger($limit)
             RETURN collect(${CANDIDATE_FIELDS(property)}) AS candidates
           }
           RETURN u.${property} IS NOT NULL AS hasVector, freshEvents, events,
                  [x IN recent | x {.productId, .title, .type, .weight, .at}] AS recent, candidates`,
});

/**
 * Exact nearest neighbours inside the filtered set: when filters are narrow, the index's global
 * top-k may hold none of the allowed products. Same score scale as the index ((1 + cos) / 2).
 */
const filteredScanQuery = (property: string) => ({
  name: `recommendation.filteredScan.${property}`,
  cypher: `${SEEN}
           ${RECENT_BY_IDS(property)}
           MATCH (node:Product) WHERE node.${property} IS NOT NULL AND ${FILTER_SEEN}
           WITH node, vector.similarity.cosine(node.${property}, $vector) AS score, recent
           ORDER BY score DESC LIMIT toInteger($limit)
           WITH ${CANDIDATE_FIELDS(property)} AS row
           RETURN row.id AS id, row.score AS score, row.vector AS vector, row.product AS product, row.closest AS closest`,
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

const writeProductVector = (property: string) => ({
  name: `recommendation.writeProductVector.${property}`,
  cypher: `MATCH (p:Product {id: $id}) CALL db.create.setNodeVectorProperty(p, '${property}', $vector)`,
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

export class RecommendationRepository {
  constructor(private readonly db: Database) {}

  /** Nearest products to `vector` from the slot's index; `closest` is measured against `recentIds`. */
  async candidates(slot: Slot, search: CandidateSearch, filter: CandidateFilter): Promise<CandidateRow[]> {
    return this.db.readOne<CandidateRow>(candidatesQuery(SLOTS[slot].productIndex, SLOTS[slot].property), { ...filter, ...search });
  }

  async filteredScan(slot: Slot, search: Omit<CandidateSearch, 'k'>, filter: CandidateFilter): Promise<CandidateRow[]> {
    return this.db.readOne<CandidateRow>(filteredScanQuery(SLOTS[slot].property), { ...filter, ...search });
  }

  async productEmbeddings(slot: Slot, ids: string[]): Promise<{ id: string; vector: number[] }[]> {
    return this.db.readOne<{ id: string; vector: number[] }>(productEmbeddingsQuery(SLOTS[slot].property), { ids });
  }

  /** Vector state, latest events and (for a published, current vector) candidates of one user. */
  async personal(
    slot: Slot,
    args: { userId: string; since: number; recentLimit: number; k: number; maxExtra: number; limit: number; withVectors: boolean },
    filter: CandidateFilter,
  ): Promise<PersonalRow | undefined> {
    return (await this.db.readOne<PersonalRow>(personalQuery(SLOTS[slot].productIndex, SLOTS[slot].property), { ...filter, ...args }))[0];
  }

  async userEmbedding(slot: Slot, userId: string): Promise<number[] | null> {
    return (await this.db.readOne<{ vector: number[] | null }>(userEmbeddingQuery(SLOTS[slot].property), { userId }))[0]?.vector ?? null;
  }

  async productVectors(slot: Slot, id: string): Promise<{ vector: number[] | null; textVector: number[] | null } | undefined> {
    return (await this.db.readOne<{ vector: number[] | null; textVector: number[] | null }>(productVectorQuery(SLOTS[slot].property), { id }))[0];
  }

  async writeProductVector(slot: Slot, id: string, vector: number[]): Promise<void> {
    await this.db.writeOne(writeProductVector(SLOTS[slot].property), { id, vector });
  }

  /** The `pool` most-interacted products since `since`, then filtered: cold-start candidates. */
  async trending(since: number, pool: number, limit: number, filter: CandidateFilter): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(TRENDING, { since, pool, limit, ...filter });
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

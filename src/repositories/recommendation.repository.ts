/**
 * Cypher behind recommendations. Candidates come from the active slot's vector index
 * (model-version.repository.ts SLOTS); index and property names are fixed per slot, never input.
 */
import type { Database } from '../db/database';
import { Slot, SLOTS } from './model-version.repository';

export interface CandidateRow {
  id: string;
  score: number;
  vector: number[];
  categoryIds: string[];
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
  vector: number[] | null;
}

export interface ScoredProductRow {
  id: string;
  score: number;
}

const FILTER = `node.id <> '' AND NOT node.id IN $excludeIds
      AND (NOT $inStockOnly OR coalesce(node.inStock, true))
      AND ($minPrice IS NULL OR node.price >= $minPrice)
      AND ($maxPrice IS NULL OR node.price <= $maxPrice)
      AND ($categoryIds IS NULL OR EXISTS {
            MATCH (node)-[:IN_CATEGORY]->(:Category)-[:SUBCATEGORY_OF*0..4]->(c:Category) WHERE c.id IN $categoryIds })
      AND (NOT $excludeInteracted OR $userId IS NULL OR NOT EXISTS { MATCH (:User {id: $userId})-[:INTERACTED]->(node) })`;

const candidatesQuery = (index: string, property: string) => ({
  name: `recommendation.candidates.${index}`,
  cypher: `CALL db.index.vector.queryNodes('${index}', toInteger($k), $vector) YIELD node, score
           WHERE ${FILTER}
           RETURN node.id AS id, score, node.${property} AS vector,
                  [(node)-[:IN_CATEGORY]->(c:Category) | c.id] AS categoryIds
           ORDER BY score DESC LIMIT toInteger($limit)`,
});

/**
 * Exact nearest neighbours inside the filtered set: when filters are narrow, the index's global
 * top-k may hold none of the allowed products. Same score scale as the index ((1 + cos) / 2).
 */
const filteredScanQuery = (property: string) => ({
  name: `recommendation.filteredScan.${property}`,
  cypher: `MATCH (node:Product) WHERE node.${property} IS NOT NULL AND ${FILTER}
           WITH node, vector.similarity.cosine(node.${property}, $vector) AS score
           ORDER BY score DESC LIMIT toInteger($limit)
           RETURN node.id AS id, score, node.${property} AS vector,
                  [(node)-[:IN_CATEGORY]->(c:Category) | c.id] AS categoryIds`,
});

const userVectorQuery = (property: string) => ({
  name: `recommendation.userVector.${property}`,
  cypher: `MATCH (u:User {id: $userId})
           RETURN u.${property} AS vector,
                  COUNT { (u)-[r:INTERACTED]->() WHERE r.at >= datetime({epochMillis: toInteger($since)}) } AS freshEvents,
                  COUNT { (u)-[:INTERACTED]->() } AS events`,
});

const recentItemsQuery = (property: string) => ({
  name: `recommendation.recentItems.${property}`,
  cypher: `MATCH (:User {id: $userId})-[r:INTERACTED]->(p:Product)
           RETURN p.id AS productId, p.title AS title, r.type AS type, r.weight AS weight, r.at.epochMillis AS at,
                  p.${property} AS vector
           ORDER BY r.at DESC LIMIT toInteger($limit)`,
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

  async candidates(slot: Slot, vector: number[], k: number, limit: number, filter: CandidateFilter): Promise<CandidateRow[]> {
    return this.db.readOne<CandidateRow>(candidatesQuery(SLOTS[slot].productIndex, SLOTS[slot].property), { vector, k, limit, ...filter });
  }

  async filteredScan(slot: Slot, vector: number[], limit: number, filter: CandidateFilter): Promise<CandidateRow[]> {
    return this.db.readOne<CandidateRow>(filteredScanQuery(SLOTS[slot].property), { vector, limit, ...filter });
  }

  async userVector(slot: Slot, userId: string, since: number): Promise<{ vector: number[] | null; freshEvents: number; events: number } | undefined> {
    return (await this.db.readOne<{ vector: number[] | null; freshEvents: number; events: number }>(userVectorQuery(SLOTS[slot].property), { userId, since }))[0];
  }

  async recentItems(slot: Slot, userId: string, limit: number): Promise<RecentItemRow[]> {
    return this.db.readOne<RecentItemRow>(recentItemsQuery(SLOTS[slot].property), { userId, limit });
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

/**
 * Streams the graph out for training: events and products as record streams, so memory stays
 * bounded by what the caller keeps (typed arrays), not by driver result buffers.
 */
import type { Database } from '../db/database';

export interface EventRow {
  userId: string;
  productId: string;
  at: number;
  type: string;
  rating: number | null;
}

export interface ProductTextRow {
  id: string;
  title: string;
  description: string | null;
  categoryIds: string[];
  categoryNames: string[];
  reviews: string[];
  textHash: string | null;
}

const EVENTS = {
  name: 'snapshot.events',
  cypher: `MATCH (u:User)-[r:INTERACTED]->(p:Product)
           RETURN u.id AS userId, p.id AS productId, r.at.epochMillis AS at, r.type AS type, r.rating AS rating`,
};

const PRODUCTS = {
  name: 'snapshot.products',
  cypher: `MATCH (p:Product)
           RETURN p.id AS id, p.title AS title, p.description AS description, p.textHash AS textHash,
                  [(p)-[:IN_CATEGORY]->(c:Category) | c.id] AS categoryIds,
                  [(p)-[:IN_CATEGORY]->(c:Category) | c.name] AS categoryNames,
                  [(p)<-[r:INTERACTED]-() WHERE r.reviewText IS NOT NULL | r.reviewText][..3] AS reviews
           ORDER BY p.id`,
};

const TEXT_EMBEDDINGS = {
  name: 'snapshot.textEmbeddings',
  cypher: 'MATCH (p:Product) WHERE p.textEmbedding IS NOT NULL RETURN p.id AS id, p.textEmbedding AS vector',
};

const WRITE_TEXT_EMBEDDINGS = {
  name: 'snapshot.writeTextEmbeddings',
  cypher: `UNWIND $rows AS row MATCH (p:Product {id: row.id})
           CALL db.create.setNodeVectorProperty(p, 'textEmbedding', row.vector)
           SET p.textHash = row.hash`,
};

export class SnapshotRepository {
  constructor(private readonly db: Database) {}

  streamEvents(): AsyncIterable<EventRow> {
    return this.db.stream<EventRow>(EVENTS);
  }

  streamProducts(): AsyncIterable<ProductTextRow> {
    return this.db.stream<ProductTextRow>(PRODUCTS);
  }

  streamTextEmbeddings(): AsyncIterable<{ id: string; vector: number[] }> {
    return this.db.stream<{ id: string; vector: number[] }>(TEXT_EMBEDDINGS);
  }

  async writeTextEmbeddings(rows: { id: string; vector: number[]; hash: string }[]): Promise<void> {
    await this.db.writeOne(WRITE_TEXT_EMBEDDINGS, { rows });
  }
}

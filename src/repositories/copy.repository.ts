/** Cypher for generated copy and the assistant: a product's facts as the copy may state them. */
import type { Database } from '../db/database';

export interface ProductFactsRecord {
  id: string;
  title: string;
  description: string | null;
  price: number | null;
  currency: string | null;
  brand: string | null;
  categoryNames: string[];
  reviews: string[];
}

const FACTS = {
  name: 'copy.productFacts',
  cypher: `UNWIND $ids AS id
           MATCH (p:Product {id: id})
           RETURN p.id AS id, p.title AS title, p.description AS description, p.price AS price, p.currency AS currency,
                  p.brand AS brand,
                  [(p)-[:IN_CATEGORY]->(c:Category) | c.name] AS categoryNames,
                  [(p)<-[r:INTERACTED]-() WHERE r.reviewText IS NOT NULL | r.reviewText][..3] AS reviews`,
};

export class CopyRepository {
  constructor(private readonly db: Database) {}

  async productFacts(ids: readonly string[]): Promise<ProductFactsRecord[]> {
    return this.db.readOne<ProductFactsRecord>(FACTS, { ids });
  }
}

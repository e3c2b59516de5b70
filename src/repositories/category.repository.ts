/** Cypher for categories and the product→category links; category_id constraint backs lookups. */
import type { Database } from '../db/database';
import type { CategoryRecord } from '../domain/records';

export interface CategoryRow {
  id: string;
  name: string;
  parentId: string | null;
}

const BY_IDS = {
  name: 'category.byIds',
  cypher: `UNWIND $ids AS id MATCH (c:Category {id: id})
           OPTIONAL MATCH (c)-[:SUBCATEGORY_OF]->(parent:Category)
           RETURN c.id AS id, c.name AS name, parent.id AS parentId`,
};

const ALL = {
  name: 'category.all',
  cypher: `MATCH (c:Category) OPTIONAL MATCH (c)-[:SUBCATEGORY_OF]->(parent:Category)
           RETURN c.id AS id, c.name AS name, parent.id AS parentId ORDER BY c.id LIMIT toInteger($limit)`,
};

const BY_PRODUCTS = {
  name: 'category.byProducts',
  cypher: `UNWIND $productIds AS pid MATCH (:Product {id: pid})-[:IN_CATEGORY]->(c:Category)
           OPTIONAL MATCH (c)-[:SUBCATEGORY_OF]->(parent:Category)
           RETURN pid AS productId, c.id AS id, c.name AS name, parent.id AS parentId ORDER BY c.id`,
};

const UPSERT = {
  name: 'category.upsert',
  cypher: `UNWIND $categories AS row
           MERGE (c:Category {id: row.id}) SET c.name = row.name
           WITH c, row WHERE row.parentId IS NOT NULL
           MERGE (parent:Category {id: row.parentId}) ON CREATE SET parent.name = row.parentId
           MERGE (c)-[:SUBCATEGORY_OF]->(parent)`,
};

const CATEGORY_NAMES = { name: 'profile.categoryNames', cypher: 'MATCH (c:Category) RETURN c.id AS id, c.name AS name' };

export class CategoryRepository {
  constructor(private readonly db: Database) {}

  async findByIds(ids: readonly string[]): Promise<CategoryRow[]> {
    return this.db.readOne<CategoryRow>(BY_IDS, { ids });
  }

  async all(limit: number): Promise<CategoryRow[]> {
    return this.db.readOne<CategoryRow>(ALL, { limit });
  }

  async findByProductIds(productIds: readonly string[]): Promise<(CategoryRow & { productId: string })[]> {
    return this.db.readOne<CategoryRow & { productId: string }>(BY_PRODUCTS, { productIds });
  }

  async upsert(categories: CategoryRecord[]): Promise<void> {
    await this.db.writeOne(UPSERT, {
      categories: categories.map((c) => ({ id: c.id, name: c.name, parentId: c.parentId ?? null })),
    });
  }

  /** Every category's name, streamed (segment labels). */
  streamCategoryNames(): AsyncIterable<{ id: string; name: string }> {
    return this.db.stream<{ id: string; name: string }>(CATEGORY_NAMES);
  }
}

/** Cypher for categories and the product→category links; category_id constraint backs lookups. */
import type { Database } from '../db/database';
import type { CategoryRecord } from '../domain/records';

export interface CategoryRow {
  id: string;
  name: string;
  parentId: string | null;
}

/**
 * A category `c` as a map; the parent is read only when asked for (a pattern comprehension, not an
 * OPTIONAL MATCH that multiplies rows).
 */
export const CATEGORY_ROW = (withParent: boolean): string =>
  withParent ? '{id: c.id, name: c.name, parentId: head([(c)-[:SUBCATEGORY_OF]->(parent:Category) | parent.id])}' : '{id: c.id, name: c.name}';

const BY_IDS = {
  name: 'category.byIds',
  cypher: `UNWIND $ids AS id MATCH (c:Category {id: id})
           OPTIONAL MATCH (c)-[:SUBCATEGORY_OF]->(parent:Category)
           RETURN c.id AS id, c.name AS name, parent.id AS parentId`,
};

const UPDATED_SINCE = {
  name: 'category.updatedSince',
  cypher: `MATCH (c:Category) WHERE c.updatedAt > datetime({epochMillis: toInteger($since)})
           RETURN ${CATEGORY_ROW(true)} AS row`,
};

const ALL_ROWS = {
  name: 'category.allRows',
  cypher: `MATCH (c:Category) RETURN ${CATEGORY_ROW(true)} AS row`,
};

const ALL = {
  name: 'category.all',
  cypher: `MATCH (c:Category) OPTIONAL MATCH (c)-[:SUBCATEGORY_OF]->(parent:Category)
           RETURN c.id AS id, c.name AS name, parent.id AS parentId ORDER BY c.id LIMIT toInteger($limit)`,
};

const byProducts = (withParent: boolean) => ({
  name: 'category.byProducts',
  cypher: `UNWIND $productIds AS pid MATCH (:Product {id: pid})-[:IN_CATEGORY]->(c:Category)
           RETURN pid AS productId, ${CATEGORY_ROW(withParent)} AS row`,
});
const BY_PRODUCTS = { withParent: byProducts(true), withoutParent: byProducts(false) };

const UPSERT = {
  name: 'category.upsert',
  cypher: `UNWIND $categories AS row
           MERGE (c:Category {id: row.id}) SET c.name = row.name, c.updatedAt = datetime()
           WITH c, row WHERE row.parentId IS NOT NULL
           MERGE (parent:Category {id: row.parentId}) ON CREATE SET parent.name = row.parentId, parent.updatedAt = datetime()
           MERGE (c)-[:SUBCATEGORY_OF]->(parent)`,
};

const CATEGORY_NAMES = { name: 'profile.categoryNames', cypher: 'MATCH (c:Category) RETURN c.id AS id, c.name AS name' };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class CategoryRepository {
  constructor(private readonly db: Database) {}

  async findByIds(ids: readonly string[]): Promise<CategoryRow[]> {
    return this.db.readOne<CategoryRow>(BY_IDS, { ids });
  }

  /** Every category with its parent, unordered: the serving cache's catalogue. */
  async allRows(): Promise<CategoryRow[]> {
    return (await this.db.readOne<{ row: CategoryRow }>(ALL_ROWS)).map((r) => ({ ...r.row, parentId: r.row.parentId ?? null }));
  }

  /** Categories written after `since` (epoch ms): the serving cache's change feed (V006's index). */
  async updatedSince(since: number): Promise<CategoryRow[]> {
    return (await this.db.readOne<{ row: CategoryRow }>(UPDATED_SINCE, { since })).map((r) => ({ ...r.row, parentId: r.row.parentId ?? null }));
  }

  async all(limit: number): Promise<CategoryRow[]> {
    return this.db.readOne<CategoryRow>(ALL, { limit });
  }

  /** The categories of these products, each product's in id order; parents read only `withParent`. */
  async findByProductIds(productIds: readonly string[], withParent = true): Promise<(CategoryRow & { productId: string })[]> {
    const rows = await this.db.readOne<{ productId: string; row: CategoryRow }>(withParent ? BY_PRODUCTS.withParent : BY_PRODUCTS.withoutParent, { productIds });
    return rows
      .map((r) => ({ ...r.row, parentId: r.row.parentId ?? null, productId: r.productId }))
      .sort((a, b) => compareText(a.productId, b.productId) || compareText(a.id, b.id));
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

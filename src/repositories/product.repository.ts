/**
 * Cypher for products. Lookups by id use the product_id constraint; pages are ordered by id so the
 * same index serves the ORDER BY and the cursor range.
 */
import type { Database } from '../db/database';
import type { ProductRecord } from '../domain/records';

export interface ProductRow {
  id: string;
  title: string;
  description: string | null;
  price: number | null;
  currency: string | null;
  brand: string | null;
  inStock: boolean | null;
}

export interface ProductFilterParams {
  /** Any of these categories, or a subcategory of one of them. */
  categoryIds: string[] | null;
  minPrice: number | null;
  maxPrice: number | null;
  inStock: boolean | null;
  brand: string | null;
  titleContains: string | null;
}

const FIELDS = `p.id AS id, p.title AS title, p.description AS description, p.price AS price,
                p.currency AS currency, p.brand AS brand, p.inStock AS inStock`;

const FILTER = `($categoryIds IS NULL OR EXISTS {
                   MATCH (p)-[:IN_CATEGORY]->(:Category)-[:SUBCATEGORY_OF*0..4]->(c:Category) WHERE c.id IN $categoryIds })
                AND ($minPrice IS NULL OR p.price >= $minPrice)
                AND ($maxPrice IS NULL OR p.price <= $maxPrice)
                AND ($inStock IS NULL OR p.inStock = $inStock)
                AND ($brand IS NULL OR p.brand = $brand)
                AND ($titleContains IS NULL OR toLower(p.title) CONTAINS toLower($titleContains))`;

const BY_IDS = {
  name: 'product.byIds',
  cypher: `UNWIND $ids AS id MATCH (p:Product {id: id}) RETURN ${FIELDS}`,
};

const PAGE = {
  name: 'product.page',
  cypher: `MATCH (p:Product) WHERE p.id > $after AND ${FILTER}
           RETURN ${FIELDS} ORDER BY p.id LIMIT toInteger($limit)`,
};

const COUNT = {
  name: 'product.count',
  cypher: `MATCH (p:Product) WHERE ${FILTER} RETURN count(p) AS count`,
};

const EXISTING_IDS = {
  name: 'product.existingIds',
  cypher: 'UNWIND $ids AS id MATCH (p:Product {id: id}) RETURN p.id AS id',
};

const UPSERT = {
  name: 'product.upsert',
  cypher: `UNWIND $products AS row
           MERGE (p:Product {id: row.id})
           ON CREATE SET p.createdAt = datetime()
           SET p.title = row.title, p.description = row.description, p.price = row.price,
               p.currency = row.currency, p.brand = row.brand, p.inStock = row.inStock, p.updatedAt = datetime()
           WITH p, row
           CALL (p) { MATCH (p)-[old:IN_CATEGORY]->() DELETE old }
           WITH p, row
           UNWIND row.categoryIds AS categoryId
           MERGE (c:Category {id: categoryId}) ON CREATE SET c.name = categoryId
           MERGE (p)-[:IN_CATEGORY]->(c)`,
};

/** A product's fields as upsert stores them: absent fields null, stock assumed. */
export function storedProduct(p: ProductRecord): ProductRow {
  return {
    id: p.id,
    title: p.title,
    description: p.description ?? null,
    price: p.price ?? null,
    currency: p.currency ?? null,
    brand: p.brand ?? null,
    inStock: p.inStock ?? true,
  };
}

export interface ProductFactsRow {
  id: string;
  price: number | null;
  categoryIds: string[];
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


const PRODUCT_FACTS = {
  name: 'profile.productFacts',
  cypher: `MATCH (p:Product) RETURN p.id AS id, p.price AS price, [(p)-[:IN_CATEGORY]->(c:Category) | c.id] AS categoryIds`,
};

const PRODUCTS = {
  name: 'snapshot.products',
  cypher: `MATCH (p:Product) WHERE $idPrefix IS NULL OR p.id STARTS WITH $idPrefix
           RETURN p.id AS id, p.title AS title, p.description AS description, p.textHash AS textHash,
                  [(p)-[:IN_CATEGORY]->(c:Category) | c.id] AS categoryIds,
                  [(p)-[:IN_CATEGORY]->(c:Category) | c.name] AS categoryNames,
                  [(p)<-[r:INTERACTED]-() WHERE r.reviewText IS NOT NULL | r.reviewText][..3] AS reviews
           ORDER BY p.id`,
};

const TEXT_EMBEDDINGS = {
  name: 'snapshot.textEmbeddings',
  cypher: `MATCH (p:Product) WHERE p.textEmbedding IS NOT NULL AND ($idPrefix IS NULL OR p.id STARTS WITH $idPrefix)
           RETURN p.id AS id, p.textEmbedding AS vector`,
};

const WRITE_TEXT_EMBEDDINGS = {
  name: 'snapshot.writeTextEmbeddings',
  cypher: `UNWIND $rows AS row MATCH (p:Product {id: row.id})
           CALL db.create.setNodeVectorProperty(p, 'textEmbedding', row.vector)
           SET p.textHash = row.hash`,
};

export class ProductRepository {
  constructor(private readonly db: Database) {}

  async findByIds(ids: readonly string[]): Promise<ProductRow[]> {
    return this.db.readOne<ProductRow>(BY_IDS, { ids });
  }

  async page(filter: ProductFilterParams, after: string | null, limit: number): Promise<ProductRow[]> {
    return this.db.readOne<ProductRow>(PAGE, { ...filter, after: after ?? '', limit });
  }

  async count(filter: ProductFilterParams): Promise<number> {
    const rows = await this.db.readOne<{ count: number }>(COUNT, { ...filter });
    return rows[0]?.count ?? 0;
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    const rows = await this.db.readOne<{ id: string }>(EXISTING_IDS, { ids });
    return new Set(rows.map((r) => r.id));
  }

  async upsert(products: ProductRecord[]): Promise<void> {
    await this.db.writeOne(UPSERT, {
      products: products.map((p) => ({ ...storedProduct(p), categoryIds: p.categoryIds })),
    });
  }

  /** Price and categories of every product, for fitting the profile model. */
  streamProductFacts(): AsyncIterable<ProductFactsRow> {
    return this.db.stream<ProductFactsRow>(PRODUCT_FACTS);
  }

  /**
   * Every product's text (with categories and a few reviews), for the text encoder and the training
   * snapshot; only ids under `idPrefix` when given (tests train on their own shop alone).
   */
  streamProducts(idPrefix: string | null = null): AsyncIterable<ProductTextRow> {
    return this.db.stream<ProductTextRow>(PRODUCTS, { idPrefix });
  }

  streamTextEmbeddings(idPrefix: string | null = null): AsyncIterable<{ id: string; vector: number[] }> {
    return this.db.stream<{ id: string; vector: number[] }>(TEXT_EMBEDDINGS, { idPrefix });
  }

  async writeTextEmbeddings(rows: { id: string; vector: number[]; hash: string }[]): Promise<void> {
    await this.db.writeOne(WRITE_TEXT_EMBEDDINGS, { rows });
  }
}

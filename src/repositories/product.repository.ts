/**
 * Cypher for products. Lookups by id use the product_id constraint; pages are ordered by id so the
 * same index serves the ORDER BY and the cursor range.
 */
import type { Database, Query } from '../db/database';
import { MAX_REVIEWS } from '../domain/product-text';
import type { ProductRecord } from '../domain/records';
import { CATEGORY_ROW, CategoryRow } from './category.repository';
import { CandidateFilter, FILTER as CANDIDATE_FILTER, CandidateList, CandidateRow, CandidateSearch, EXACT_SCORE, FILTER_SEEN, OWN_EXTRA, ScoredIdRow, ScoredProductRow, ScoreSearch, SEARCHED_ROW, SEEN, toCandidate } from './candidate.cypher';
import { perSlot, Slot, SLOTS } from './model-version.repository';

export interface ProductRow {
  id: string;
  title: string;
  description: string | null;
  price: number | null;
  currency: string | null;
  brand: string | null;
  inStock: boolean | null;
}

/** A product with its categories (ordered by id), as the catalogue reads return it. */
export interface CatalogueProductRow extends ProductRow {
  categoryIds: string[];
}

/** A product's properties a read can ask for beside its id. */
export const PRODUCT_FIELDS = ['title', 'description', 'price', 'currency', 'brand', 'inStock'] as const;
export type ProductField = (typeof PRODUCT_FIELDS)[number];

/** What one read needs of each product: these properties, and its categories (with their parents) or not. */
export interface ProductSelection {
  fields: readonly ProductField[];
  categories: 'none' | 'rows' | 'rowsWithParent';
}

export const WHOLE_PRODUCT: ProductSelection = { fields: PRODUCT_FIELDS, categories: 'none' };

/** A product as a selection read it: properties outside `fields` are absent; `categories` when asked for. */
export type SelectedProductRow = ProductRow & { categories?: CategoryRow[] };

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

/** The given products that pass a candidate filter (`node` as the candidate sources name it). */
const ALLOWED_IDS = {
  name: 'product.allowedIds',
  cypher: `UNWIND $ids AS id MATCH (node:Product {id: id}) WHERE ${CANDIDATE_FILTER} RETURN node.id AS id`,
};

const BY_IDS = {
  name: 'product.byIds',
  cypher: `UNWIND $ids AS id MATCH (p:Product {id: id}) RETURN ${FIELDS}`,
};

const PAGE = {
  name: 'product.page',
  cypher: `MATCH (p:Product) WHERE p.id > $after AND ${FILTER}
           RETURN ${FIELDS} ORDER BY p.id LIMIT toInteger($limit)`,
};

/** The serving cache's catalogue load and change feed: every property and the category ids. */
const CATALOGUE_ROW = `${FIELDS}, [(p)-[:IN_CATEGORY]->(c:Category) | c.id] AS categoryIds`;

const CATALOGUE_PAGE = {
  name: 'product.cataloguePage',
  cypher: `MATCH (p:Product) WHERE p.id > $after RETURN ${CATALOGUE_ROW} ORDER BY p.id LIMIT toInteger($limit)`,
};

const CATALOGUE_BY_IDS = {
  name: 'product.catalogueByIds',
  cypher: `UNWIND $ids AS id MATCH (p:Product {id: id}) RETURN ${CATALOGUE_ROW}`,
};

/** The RETURN items of a selection; property names come from PRODUCT_FIELDS only, never from input. */
function selectedReturn(selection: ProductSelection): string {
  const items = ['p.id AS id', ...PRODUCT_FIELDS.filter((f) => selection.fields.includes(f)).map((f) => `p.${f} AS ${f}`)];
  if (selection.categories !== 'none') {
    items.push(`[(p)-[:IN_CATEGORY]->(c:Category) | ${CATEGORY_ROW(selection.categories === 'rowsWithParent')}] AS categories`);
  }
  return items.join(', ');
}

function selectionKey(selection: ProductSelection): string {
  return `${PRODUCT_FIELDS.filter((f) => selection.fields.includes(f)).join(',')}|${selection.categories}`;
}

/** Statements by selection, built once each: a handful of distinct selections per schema. */
const selectedStatements = new Map<string, { byIds: Query; page: Query }>();

function selectedStatement(selection: ProductSelection): { byIds: Query; page: Query } {
  const key = selectionKey(selection);
  let statements = selectedStatements.get(key);
  if (!statements) {
    const returned = selectedReturn(selection);
    statements = {
      byIds: { name: 'product.byIds', cypher: `UNWIND $ids AS id MATCH (p:Product {id: id}) RETURN ${returned}` },
      page: {
        name: 'product.page',
        cypher: `MATCH (p:Product) WHERE p.id > $after AND ${FILTER} RETURN ${returned} ORDER BY p.id LIMIT toInteger($limit)`,
      },
    };
    selectedStatements.set(key, statements);
  }
  return statements;
}

const COUNT = {
  name: 'product.count',
  cypher: `MATCH (p:Product) WHERE ${FILTER} RETURN count(p) AS count`,
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
           MERGE (c:Category {id: categoryId}) ON CREATE SET c.name = categoryId, c.updatedAt = datetime()
           MERGE (p)-[:IN_CATEGORY]->(c)`,
};

/** Categories in id order, sorted here rather than by Neo4j: a product has a handful. */
function sortCategories(rows: SelectedProductRow[]): SelectedProductRow[] {
  for (const row of rows) row.categories?.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows;
}

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
                  COLLECT { MATCH (p)<-[r:INTERACTED]-() WHERE r.reviewText IS NOT NULL
                            RETURN r.reviewText ORDER BY r.at, r.eventId LIMIT ${MAX_REVIEWS} } AS reviews
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

/** The text vector index's width (null when there is none). */
const TEXT_INDEX_DIM = {
  name: 'product.textIndexDimension',
  cypher: `SHOW VECTOR INDEXES YIELD name, options WHERE name = 'product_text_embedding'
           RETURN options.indexConfig['vector.dimensions'] AS dim`,
};
const DROP_TEXT_INDEX = { name: 'product.dropTextIndex', cypher: 'DROP INDEX product_text_embedding IF EXISTS' };
/** Vectors of another width can neither join the new index nor be compared with the encoder's. */
const CLEAR_TEXT_EMBEDDINGS = {
  name: 'product.clearTextEmbeddings',
  cypher: `MATCH (p:Product) WHERE p.textEmbedding IS NOT NULL
           CALL (p) { REMOVE p.textEmbedding, p.textHash } IN TRANSACTIONS OF 10000 ROWS`,
};
const CREATE_TEXT_INDEX = {
  name: 'product.createTextIndex',
  cypher: `CREATE VECTOR INDEX product_text_embedding IF NOT EXISTS FOR (p:Product) ON p.textEmbedding
           OPTIONS {indexConfig: {\`vector.dimensions\`: toInteger($dim), \`vector.similarity_function\`: 'cosine'}}`,
};

// Vector searches of products in the active slot's index (model-version.repository.ts SLOTS).

const candidatesQuery = (index: string, property: string) => ({
  name: `recommendation.candidates.${index}`,
  cypher: `${SEEN}
           WITH u, seen, CASE WHEN $excludeInteracted THEN COUNT { (u)-[:INTERACTED]->() } ELSE 0 END AS events
           CALL db.index.vector.queryNodes('${index}', toInteger($k) + ${OWN_EXTRA}, $vector) YIELD node, score
           WHERE ${FILTER_SEEN}
           WITH node, score ORDER BY score DESC LIMIT 2 * toInteger($limit)
           WITH node, ${EXACT_SCORE(property, '$vector')} AS score ORDER BY score DESC, node.id LIMIT toInteger($limit)
           RETURN ${SEARCHED_ROW(property)} AS row`,
});

/**
 * candidatesQuery without the products' fields, for a caller that holds them: about half its Neo4j time. Asks for k plus the user's interaction count (capped),
 * as the fold-in path does.
 */
const scoresQuery = (index: string, property: string) => ({
  name: `recommendation.scores.${index}`,
  cypher: `${SEEN}
           WITH u, seen, COUNT { (u)-[:INTERACTED]->() } AS events
           CALL db.index.vector.queryNodes('${index}', toInteger($k) + ${OWN_EXTRA}, $vector) YIELD node, score
           WHERE ${FILTER_SEEN}
           WITH node, score ORDER BY score DESC LIMIT 2 * toInteger($limit)
           WITH node, ${EXACT_SCORE(property, '$vector')} AS score ORDER BY score DESC, node.id LIMIT toInteger($limit)
           RETURN [node.id, score] AS row`,
});

/**
 * Exact nearest neighbours inside the filtered set: when filters are narrow, the index's global
 * top-k may hold none of the allowed products. Same score scale as the index ((1 + cos) / 2);
 * allowed products without a vector in the slot come last (score 0), so the scan is every answer.
 */
const filteredScanQuery = (property: string) => ({
  name: `recommendation.filteredScan.${property}`,
  cypher: `${SEEN}
           MATCH (node:Product) WHERE ${FILTER_SEEN}
           WITH node, coalesce(vector.similarity.cosine(node.${property}, $vector), 0.0) AS score
           ORDER BY score DESC, node.id LIMIT toInteger($limit)
           RETURN ${SEARCHED_ROW(property)} AS row`,
});

const productEmbeddingsQuery = (property: string) => ({
  name: `recommendation.productEmbeddings.${property}`,
  cypher: `UNWIND $ids AS id MATCH (p:Product {id: id}) WHERE p.${property} IS NOT NULL RETURN p.id AS id, p.${property} AS vector`,
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

const TEXT_SEARCH = {
  name: 'recommendation.textSearch',
  cypher: `CALL db.index.vector.queryNodes('product_text_embedding', toInteger($limit), $vector) YIELD node, score
           RETURN node.id AS id, score`,
};

// Looks products up by id (the Product id constraint's index); the score is the vector index's, (1 + cos) / 2.
const TEXT_SCORES = {
  name: 'recommendation.textScores',
  cypher: `MATCH (p:Product) WHERE p.id IN $ids AND p.textEmbedding IS NOT NULL
           RETURN p.id AS id, vector.similarity.cosine(p.textEmbedding, $vector) AS score`,
};

const SIMILAR_BY_TEXT = {
  name: 'recommendation.similarByText',
  cypher: `CALL db.index.vector.queryNodes('product_text_embedding', toInteger($k), $vector) YIELD node, score
           WHERE node.id <> $id RETURN node.id AS id, score LIMIT toInteger($limit)`,
};

const UPDATED_SINCE = {
  name: 'product.updatedSince',
  cypher: `MATCH (p:Product) WHERE p.updatedAt > datetime({epochMillis: toInteger($since)}) RETURN p.id AS id`,
};

// Built once per slot: requests reuse these instead of rebuilding kilobytes of statement text per call.
const CANDIDATES = perSlot((slot) => candidatesQuery(SLOTS[slot].productIndex, SLOTS[slot].property));
const FILTERED_SCAN = perSlot((slot) => filteredScanQuery(SLOTS[slot].property));
const SCORES = perSlot((slot) => scoresQuery(SLOTS[slot].productIndex, SLOTS[slot].property));

export class ProductRepository {
  constructor(private readonly db: Database) {}

  async findByIds(ids: readonly string[]): Promise<ProductRow[]> {
    return this.db.readOne<ProductRow>(BY_IDS, { ids });
  }

  /** The products that exist among `ids`, with only what `selection` asks for. */
  async findSelected(ids: readonly string[], selection: ProductSelection): Promise<SelectedProductRow[]> {
    return sortCategories(await this.db.readOne<SelectedProductRow>(selectedStatement(selection).byIds, { ids }));
  }

  async page(filter: ProductFilterParams, after: string | null, limit: number): Promise<ProductRow[]> {
    return this.db.readOne<ProductRow>(PAGE, { ...filter, after: after ?? '', limit });
  }

  /** A page in id order with only what `selection` asks for (keyset: ids after `after`). */
  async selectedPage(filter: ProductFilterParams, after: string | null, limit: number, selection: ProductSelection): Promise<SelectedProductRow[]> {
    return sortCategories(await this.db.readOne<SelectedProductRow>(selectedStatement(selection).page, { ...filter, after: after ?? '', limit }));
  }

  /** Products with ids after `after`, in id order, with their category ids: the serving cache's catalogue. */
  async cataloguePage(after: string, limit: number): Promise<CatalogueProductRow[]> {
    return this.db.readOne<CatalogueProductRow>(CATALOGUE_PAGE, { after, limit });
  }

  async catalogueByIds(ids: readonly string[]): Promise<CatalogueProductRow[]> {
    return this.db.readOne<CatalogueProductRow>(CATALOGUE_BY_IDS, { ids });
  }

  async count(filter: ProductFilterParams): Promise<number> {
    const rows = await this.db.readOne<{ count: number }>(COUNT, { ...filter });
    return rows[0]?.count ?? 0;
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

  async textIndexDimension(): Promise<number | null> {
    const [row] = await this.db.readOne<{ dim: number | null }>(TEXT_INDEX_DIM);
    return row?.dim ?? null;
  }

  /**
   * Makes product_text_embedding `dim` wide: when the encoder changed width, the old index and
   * every old text vector go, and the index is created anew (embed-text then re-encodes all).
   */
  async resizeTextIndex(dim: number): Promise<void> {
    await this.db.autoCommit(DROP_TEXT_INDEX);
    await this.db.autoCommit(CLEAR_TEXT_EMBEDDINGS);
    await this.db.autoCommit(CREATE_TEXT_INDEX, { dim });
  }

  /** Which of `ids` pass `filter`, exactly as the candidate sources apply it. */
  async allowedIds(ids: string[], filter: CandidateFilter): Promise<string[]> {
    return (await this.db.readOne<{ id: string }>(ALLOWED_IDS, { ...filter, ids })).map((r) => r.id);
  }

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

  async filteredScan(slot: Slot, search: Omit<CandidateSearch, 'k' | 'maxExtra'>, filter: CandidateFilter): Promise<CandidateRow[]> {
    const rows = await this.db.readOne<{ row: CandidateList }>(FILTERED_SCAN[slot], { ...filter, ...search });
    return rows.map((r) => toCandidate(r.row));
  }

  async productEmbeddings(slot: Slot, ids: string[]): Promise<{ id: string; vector: number[] }[]> {
    return this.db.readOne<{ id: string; vector: number[] }>(productEmbeddingsQuery(SLOTS[slot].property), { ids });
  }

  async productVectors(slot: Slot, id: string): Promise<{ vector: number[] | null; textVector: number[] | null } | undefined> {
    return (await this.db.readOne<{ vector: number[] | null; textVector: number[] | null }>(productVectorQuery(SLOTS[slot].property), { id }))[0];
  }

  /** Writes a new product's vector; past `maxNew` such products the active version's lists stop serving. */
  async writeProductVector(slot: Slot, id: string, vector: number[], maxNew: number): Promise<void> {
    await this.db.writeOne(writeProductVector(SLOTS[slot].property), { id, vector, maxNew });
  }

  async textSearch(vector: number[], limit: number): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(TEXT_SEARCH, { vector, limit });
  }

  /** How close these products' text is to a query vector, on textSearch's scale. */
  async textScores(vector: number[], ids: readonly string[]): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(TEXT_SCORES, { vector, ids });
  }

  async similarByText(id: string, vector: number[], limit: number): Promise<ScoredProductRow[]> {
    return this.db.readOne<ScoredProductRow>(SIMILAR_BY_TEXT, { id, vector, k: limit + 1, limit });
  }

  /** Ids of products written after `since` (epoch ms): the serving cache's change feed (V005's index). */
  async updatedSince(since: number): Promise<string[]> {
    return (await this.db.readOne<{ id: string }>(UPDATED_SINCE, { since })).map((r) => r.id);
  }
}

/**
 * Catalogue reads and writes: products, categories and their pages. Reads come from the serving
 * cache's copy of the catalogue while it is current (no Neo4j round trip), else from Neo4j with only
 * the properties the caller selected.
 */
import type { CategoryRecord, ProductRecord, UserRecord } from '../domain/records';
import type { CategoryRepository, CategoryRow } from '../repositories/category.repository';
import { decodeCursor, encodeCursor } from '../shared/cursor';
import { ProductFilterParams, ProductRepository, ProductSelection, SelectedProductRow, storedProduct, WHOLE_PRODUCT } from '../repositories/product.repository';
import type { Catalogue } from './recommendation/serving-cache/catalogue';
import type { UserRepository } from '../repositories/user.repository';
import { Page, pageSize } from '../shared/page';
import type { ChangeSignals } from './change-signals';

/** Embeds written products' text at once (product-discovery.service.ts), so newcomers are recommendable the day they arrive. */
export interface ProductTextIndexer {
  indexProducts(products: { id: string; title: string; description: string | null; categoryNames: string[] }[]): Promise<void>;
}

export class CatalogService {
  constructor(
    private readonly products: ProductRepository,
    private readonly categories: CategoryRepository,
    private readonly users: UserRepository,
    private readonly maxPageSize: number,
    private readonly textIndexer: ProductTextIndexer | null = null,
    /** Where written products are announced (the serving cache subscribes). */
    private readonly signals: ChangeSignals | null = null,
    /** The serving cache's catalogue while it is current, else null (ServingCache.catalogue). */
    private readonly memory: () => Catalogue | null = () => null,
  ) {}

  async productPage(
    filter: ProductFilterParams,
    first: number | null | undefined,
    after: string | null | undefined,
    selection: ProductSelection = WHOLE_PRODUCT,
  ): Promise<Page<SelectedProductRow>> {
    const size = pageSize(first, this.maxPageSize);
    const afterId = after ? String(decodeCursor(after, 1)[0]) : null;
    const memory = this.memory();
    const rows = memory
      ? withCategories(memory, memory.page(filter, afterId, size + 1), selection)
      : await this.products.selectedPage(filter, afterId, size + 1, selection);
    return {
      items: rows.slice(0, size).map((row) => ({ node: row, cursor: encodeCursor([row.id]) })),
      hasNextPage: rows.length > size,
      hasPreviousPage: afterId !== null,
      totalCount: async () => this.memory()?.count(filter) ?? this.products.count(filter),
    };
  }

  /** The products that exist among `ids` (any order), with what `selection` asks for. */
  async productsByIds(ids: readonly string[], selection: ProductSelection = WHOLE_PRODUCT): Promise<SelectedProductRow[]> {
    const memory = this.memory();
    if (!memory) return this.products.findSelected(ids, selection);
    return withCategories(memory, ids.flatMap((id) => memory.product(id) ?? []), selection);
  }

  async categoriesByIds(ids: readonly string[]): Promise<CategoryRow[]> {
    const memory = this.memory();
    return memory ? ids.flatMap((id) => memory.category(id) ?? []) : this.categories.findByIds(ids);
  }

  /** The categories of these products, each product's in id order; parents are read only `withParent`. */
  async categoriesOfProducts(productIds: readonly string[], withParent: boolean): Promise<(CategoryRow & { productId: string })[]> {
    const memory = this.memory();
    if (!memory) return this.categories.findByProductIds(productIds, withParent);
    return productIds.flatMap((productId) => memory.categoriesOf(productId).map((c) => ({ ...c, productId })));
  }

  async upsertProducts(products: ProductRecord[], categories: CategoryRecord[] = []): Promise<number> {
    if (categories.length > 0) await this.categories.upsert(categories);
    await this.products.upsert(products);
    const categoryIds = [...new Set([...products.flatMap((p) => p.categoryIds), ...categories.map((c) => c.id)])];
    const written = await this.categories.findByIds(categoryIds);
    const names = new Map(written.map((c) => [c.id, c.name]));
    const rows = products.map(storedProduct);
    this.signals?.emit('categoriesChanged', written);
    this.signals?.emit('productsChanged', rows.map((row, i) => ({ ...row, categoryIds: products[i].categoryIds })));
    await this.textIndexer?.indexProducts(
      rows.map((row, i) => ({ id: row.id, title: row.title, description: row.description, categoryNames: products[i].categoryIds.map((c) => names.get(c) ?? c) })),
    );
    return products.length;
  }

  async upsertUsers(users: UserRecord[]): Promise<number> {
    return this.users.upsert(users);
  }

  /** Categories in id order, at most `limit`. */
  async allCategories(limit: number): Promise<CategoryRow[]> {
    return this.memory()?.allCategories(limit) ?? this.categories.all(limit);
  }
}

/** Memory rows hold every property; categories are added when the selection asks for them. */
function withCategories(memory: Catalogue, rows: SelectedProductRow[], selection: ProductSelection): SelectedProductRow[] {
  return selection.categories === 'none' ? rows : rows.map((row) => ({ ...row, categories: memory.categoriesOf(row.id) }));
}

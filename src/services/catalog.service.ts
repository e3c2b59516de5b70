/** Catalogue reads and writes: products, categories and their pages. */
import type { CategoryRecord, ProductRecord, UserRecord } from '../domain/records';
import type { CategoryRepository } from '../repositories/category.repository';
import { decodeCursor, encodeCursor } from '../shared/cursor';
import { ProductFilterParams, ProductRepository, ProductRow, storedProduct } from '../repositories/product.repository';
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
  ) {}

  async productPage(filter: ProductFilterParams, first: number | null | undefined, after: string | null | undefined): Promise<Page<ProductRow>> {
    const size = pageSize(first, this.maxPageSize);
    const afterId = after ? String(decodeCursor(after, 1)[0]) : null;
    const rows = await this.products.page(filter, afterId, size + 1);
    return {
      items: rows.slice(0, size).map((row) => ({ node: row, cursor: encodeCursor([row.id]) })),
      hasNextPage: rows.length > size,
      hasPreviousPage: afterId !== null,
      totalCount: () => this.products.count(filter),
    };
  }

  async upsertProducts(products: ProductRecord[], categories: CategoryRecord[] = []): Promise<number> {
    if (categories.length > 0) await this.categories.upsert(categories);
    await this.products.upsert(products);
    const categoryIds = [...new Set(products.flatMap((p) => p.categoryIds))];
    const names = new Map((await this.categories.findByIds(categoryIds)).map((c) => [c.id, c.name]));
    const rows = products.map(storedProduct);
    this.signals?.emit('productsChanged', rows);
    await this.textIndexer?.indexProducts(
      rows.map((row, i) => ({ id: row.id, title: row.title, description: row.description, categoryNames: products[i].categoryIds.map((c) => names.get(c) ?? c) })),
    );
    return products.length;
  }

  async upsertUsers(users: UserRecord[]): Promise<number> {
    return this.users.upsert(users);
  }

  async allCategories(limit: number): ReturnType<CategoryRepository['all']> {
    return this.categories.all(limit);
  }
}

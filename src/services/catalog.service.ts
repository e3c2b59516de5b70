/** Catalogue reads and writes: products, categories and their pages. */
import { BadInputError } from '../errors';
import type { CategoryRecord, ProductRecord, UserRecord } from '../domain/records';
import type { CategoryRepository } from '../repositories/category.repository';
import { decodeCursor, encodeCursor } from '../shared/cursor';
import { ProductFilterParams, ProductRepository, ProductRow, storedProduct } from '../repositories/product.repository';
import type { UserRepository } from '../repositories/user.repository';
import { Page, pageSize } from '../shared/page';

export interface WrittenProduct {
  row: ProductRow;
  categoryNames: string[];
}

export class CatalogService {
  constructor(
    private readonly products: ProductRepository,
    private readonly categories: CategoryRepository,
    private readonly users: UserRepository,
    private readonly maxPageSize: number,
    /**
     * Called after products are written, as stored and with their category names: the serving
     * cache takes the new fields, and their text is embedded (newcomers placed in the model space).
     */
    private readonly onProductsWritten: (products: WrittenProduct[]) => Promise<void> = async () => undefined,
  ) {}

  async productPage(filter: ProductFilterParams, first: number | null | undefined, after: string | null | undefined): Promise<Page<ProductRow>> {
    if (filter.minPrice !== null && filter.maxPrice !== null && filter.minPrice > filter.maxPrice) {
      throw new BadInputError('filter.minPrice is greater than filter.maxPrice');
    }
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
    for (const p of products) {
      if (!p.id || !p.title) throw new BadInputError('every product needs an id and a title');
      if (p.price !== undefined && p.price !== null && !(p.price >= 0)) throw new BadInputError(`product "${p.id}" has a negative price`);
    }
    if (categories.length > 0) await this.categories.upsert(categories);
    await this.products.upsert(products);
    const categoryIds = [...new Set(products.flatMap((p) => p.categoryIds))];
    const names = new Map((await this.categories.findByIds(categoryIds)).map((c) => [c.id, c.name]));
    await this.onProductsWritten(
      products.map((p) => ({
        row: storedProduct(p),
        categoryNames: p.categoryIds.map((c) => names.get(c) ?? c),
      })),
    );
    return products.length;
  }

  async upsertUsers(users: UserRecord[]): Promise<number> {
    for (const u of users) {
      if (!u.id) throw new BadInputError('every user needs an id');
      if (u.createdAt && Number.isNaN(Date.parse(u.createdAt))) throw new BadInputError(`user "${u.id}" has an invalid createdAt`);
    }
    return this.users.upsert(users);
  }

  async allCategories(limit: number): ReturnType<CategoryRepository['all']> {
    return this.categories.all(limit);
  }
}

/**
 * The catalogue as the serving cache holds it, for catalogue reads: products (the ProductTable the
 * lists use, plus each product's categories) and the category tree. Pages are in id order with a
 * keyset cursor and filters meaning what product.repository.ts's FILTER means, so a page from
 * memory is the page Neo4j gives.
 */
import type { CategoryRow } from '../../../repositories/category.repository';
import type { CatalogueProductRow, ProductFilterParams, ProductRow } from '../../../repositories/product.repository';
import type { ProductTable } from './product-table';

/** How deep a category filter looks below the categories it names (FILTER's SUBCATEGORY_OF*0..4). */
const SUBCATEGORY_DEPTH = 4;

export class Catalogue {
  private readonly categoryIdsAt: (string[] | undefined)[] = [];
  private readonly categories = new Map<string, CategoryRow>();
  /** Ids of products with a row, in id order; rebuilt after a new product arrives. */
  private sorted: string[] | null = null;
  private sortedCategories: CategoryRow[] | null = null;

  constructor(private readonly products: ProductTable) {}

  setProduct({ categoryIds, ...row }: ProductRow & { categoryIds?: string[] }): void {
    const isNew = this.products.rowOf(row.id) === null;
    this.products.set(row);
    // A write signal without categories keeps the ones read (only upserts say which they are).
    if (categoryIds) this.categoryIdsAt[this.products.positionOf(row.id)] = [...categoryIds].sort(compareText);
    if (isNew) this.sorted = null;
  }

  setCategory(row: CategoryRow): void {
    this.categories.set(row.id, row);
    this.sortedCategories = null;
  }

  product(id: string): CatalogueProductRow | null {
    const row = this.products.rowOf(id);
    return row && { ...row, categoryIds: this.categoryIdsAt[this.products.positionOf(id)] ?? [] };
  }

  category(id: string): CategoryRow | null {
    return this.categories.get(id) ?? null;
  }

  /** A product's categories in id order (a category not read yet is left out until it is). */
  categoriesOf(productId: string): CategoryRow[] {
    const row = this.products.rowOf(productId);
    if (!row) return [];
    const ids = this.categoryIdsAt[this.products.positionOf(productId)] ?? [];
    return ids.flatMap((id) => this.categories.get(id) ?? []);
  }

  /** Categories in id order, at most `limit`. */
  allCategories(limit: number): CategoryRow[] {
    this.sortedCategories ??= [...this.categories.values()].sort((a, b) => compareText(a.id, b.id));
    return this.sortedCategories.slice(0, limit);
  }

  /** Up to `limit` products matching `filter` with ids after `after`, in id order. */
  page(filter: ProductFilterParams, after: string | null, limit: number): ProductRow[] {
    const ids = this.sortedIds();
    const matches = this.matcher(filter);
    const rows: ProductRow[] = [];
    for (let i = after === null ? 0 : upperBound(ids, after); i < ids.length && rows.length < limit; i++) {
      const row = this.products.rowOf(ids[i]) as ProductRow;
      if (matches(row)) rows.push(row);
    }
    return rows;
  }

  count(filter: ProductFilterParams): number {
    const matches = this.matcher(filter);
    let count = 0;
    for (const id of this.sortedIds()) if (matches(this.products.rowOf(id) as ProductRow)) count += 1;
    return count;
  }

  get productCount(): number {
    return this.sortedIds().length;
  }

  private sortedIds(): string[] {
    if (!this.sorted) {
      const ids: string[] = [];
      for (let position = 0; position < this.products.size; position++) if (this.products.row(position)) ids.push(this.products.idAt(position));
      this.sorted = ids.sort(compareText);
    }
    return this.sorted;
  }

  /** FILTER's conditions over a row: a null property fails a condition on it, as in Cypher. */
  private matcher(filter: ProductFilterParams): (row: ProductRow) => boolean {
    const allowed = filter.categoryIds ? new Set(filter.categoryIds) : null;
    const title = filter.titleContains?.toLowerCase() ?? null;
    return (row) =>
      (allowed === null || this.inCategories(row.id, allowed)) &&
      (filter.minPrice === null || (row.price !== null && row.price >= filter.minPrice)) &&
      (filter.maxPrice === null || (row.price !== null && row.price <= filter.maxPrice)) &&
      (filter.inStock === null || row.inStock === filter.inStock) &&
      (filter.brand === null || row.brand === filter.brand) &&
      (title === null || row.title.toLowerCase().includes(title));
  }

  /** In one of `allowed` or a category up to SUBCATEGORY_DEPTH levels below one. */
  inCategories(productId: string, allowed: Set<string>): boolean {
    for (const id of this.categoryIdsAt[this.products.positionOf(productId)] ?? []) {
      let category = this.categories.get(id);
      if (allowed.has(id)) return true;
      for (let depth = 0; depth < SUBCATEGORY_DEPTH && category?.parentId; depth++) {
        if (allowed.has(category.parentId)) return true;
        category = this.categories.get(category.parentId);
      }
    }
    return false;
  }
}

/** Code-unit order, as Cypher orders strings. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first index whose id is greater than `id`. */
function upperBound(ids: string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

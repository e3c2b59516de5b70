/** Builds a small catalogue inside a test's own namespace, through the same services the API uses. */
import type { Dataset } from '../../src/domain/records';
import type { Services } from '../../src/app';

export interface Catalogue {
  prefix: string;
  categoryIds: string[];
  productIds: string[];
}

export async function makeCatalogue(services: Services, prefix: string, products = 30): Promise<Catalogue> {
  const categoryIds = [`${prefix}cat-root`, `${prefix}cat-a`, `${prefix}cat-b`];
  await services.catalog.upsertProducts(
    Array.from({ length: products }, (_, i) => ({
      id: `${prefix}p${String(i).padStart(3, '0')}`,
      title: `${prefix} product ${i}`,
      description: `Description of product ${i}`,
      price: 10 + i,
      currency: 'EUR',
      brand: i % 2 === 0 ? 'Acme' : 'Globex',
      inStock: i % 5 !== 0,
      categoryIds: [i % 2 === 0 ? categoryIds[1] : categoryIds[2]],
    })),
    [
      { id: categoryIds[0], name: 'Root' },
      { id: categoryIds[1], name: 'A', parentId: categoryIds[0] },
      { id: categoryIds[2], name: 'B', parentId: categoryIds[0] },
    ],
  );
  return { prefix, categoryIds, productIds: Array.from({ length: products }, (_, i) => `${prefix}p${String(i).padStart(3, '0')}`) };
}

export function event(prefix: string, n: number, userId: string, productId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { eventId: `${prefix}e${n}`, userId, productId, type: 'VIEW', at: new Date(1700000000000 + n * 1000).toISOString(), ...extra };
}

/** The same dataset with every id under a prefix, so a test's graph never collides with another's. */
export function prefixDataset(dataset: Dataset, prefix: string): Dataset {
  const p = (id: string): string => `${prefix}${id}`;
  return {
    name: `${prefix}${dataset.name}`,
    users: dataset.users.map((u) => ({ ...u, id: p(u.id) })),
    categories: dataset.categories.map((c) => ({ ...c, id: p(c.id), parentId: c.parentId ? p(c.parentId) : undefined })),
    products: dataset.products.map((x) => ({ ...x, id: p(x.id), categoryIds: x.categoryIds.map(p) })),
    interactions: dataset.interactions.map((e) => ({ ...e, eventId: p(e.eventId), userId: p(e.userId), productId: p(e.productId) })),
  };
}

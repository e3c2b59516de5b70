import type { Dataset } from '../../src/domain/records';

/** The data set with every id prefixed, so suites that load the same fixture do not meet in the test database. */
export function prefixedDataset(dataset: Dataset, prefix: string): Dataset {
  const p = (id: string): string => `${prefix}${id}`;
  return {
    ...dataset,
    users: dataset.users.map((u) => ({ ...u, id: p(u.id) })),
    categories: dataset.categories.map((c) => ({ ...c, id: p(c.id), ...(c.parentId ? { parentId: p(c.parentId) } : {}) })),
    products: dataset.products.map((x) => ({ ...x, id: p(x.id), categoryIds: x.categoryIds.map(p) })),
    interactions: dataset.interactions.map((e) => ({ ...e, eventId: p(e.eventId), userId: p(e.userId), productId: p(e.productId) })),
  };
}

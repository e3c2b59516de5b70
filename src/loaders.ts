/**
 * Per-request DataLoaders: every by-id lookup and every per-parent list is batched, so a query for
 * 50 users with their interactions and products costs a fixed handful of Cypher round trips.
 */
import DataLoader from 'dataloader';
import type { InteractionType } from './domain/records';
import type { CategoryRepository, CategoryRow } from './repositories/category.repository';
import type { CatalogService } from './services/catalog.service';
import type { InteractionPageArgs, InteractionRepository, InteractionRow, UserEventRow } from './repositories/interaction.repository';
import type { ProductRepository, ProductRow, ProductSelection, SelectedProductRow } from './repositories/product.repository';
import type { ProfileModelRepository } from './repositories/profile-model.repository';
import type { SegmentRepository, SegmentRow } from './repositories/segment.repository';
import type { UserExtras, UserRepository, UserRow, UserWithExtrasRow } from './repositories/user.repository';
import type { CandidateListRepository } from './repositories/candidate-list.repository';

export interface Repositories {
  users: UserRepository;
  products: ProductRepository;
  categories: CategoryRepository;
  interactions: InteractionRepository;
  profileModels: ProfileModelRepository;
  segments: SegmentRepository;
  candidateLists: CandidateListRepository;
}

function byId<T extends { id: string }>(fetch: (ids: readonly string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await fetch(ids);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

export class Loaders {
  readonly user: DataLoader<string, UserRow | null>;
  readonly product: DataLoader<string, ProductRow | null>;
  readonly category: DataLoader<string, CategoryRow | null>;
  readonly segment: DataLoader<string, SegmentRow | null>;
  /** The user's segment in the serving run (active model version first). */
  readonly segmentOfUser: DataLoader<string, SegmentRow | null>;
  /** The user's latest events with product price and categories, for profiles. */
  readonly profileEvents: DataLoader<string, UserEventRow[]>;
  /** One loader per distinct page arguments, so a page of many users is one query. */
  private readonly interactionPages = new Map<string, DataLoader<string, InteractionRow[]>>();
  private readonly interactionCounts = new Map<string, DataLoader<string, number>>();
  private readonly usersWithExtras = new Map<string, DataLoader<string, UserWithExtrasRow | null>>();
  /** One loader per distinct selection, so products read with fewer properties are not reused for more. */
  private readonly selectedProducts = new Map<string, DataLoader<string, SelectedProductRow | null>>();
  private readonly productLoaderOf = new WeakMap<ProductSelection, DataLoader<string, SelectedProductRow | null>>();
  private readonly productCategories = new Map<boolean, DataLoader<string, CategoryRow[]>>();

  constructor(
    private readonly repos: Repositories,
    /** Catalogue reads: from the serving cache's copy when current, else Neo4j. */
    private readonly catalog: CatalogService,
  ) {
    this.user = byId((ids) => repos.users.findByIds(ids));
    this.product = byId((ids) => catalog.productsByIds(ids));
    this.category = byId((ids) => catalog.categoriesByIds(ids));
    this.segment = byId((ids) => repos.segments.findByIds(ids));
    this.segmentOfUser = new DataLoader(async (userIds) => {
      const rows = new Map((await repos.segments.ofUsers(userIds)).map((r) => [r.userId, r]));
      return userIds.map((id) => rows.get(id) ?? null);
    });
    this.profileEvents = new DataLoader(async (userIds) => {
      const groups = groupBy(await repos.interactions.eventsOfUsers(userIds), (r) => r.userId);
      return userIds.map((id) => groups.get(id) ?? []);
    });
  }

  /** Products with only what `selection` asks for. */
  productsWith(selection: ProductSelection): DataLoader<string, SelectedProductRow | null> {
    // Resolvers pass the same selection object for every item of a list: the key is built once.
    let loader = this.productLoaderOf.get(selection);
    if (!loader) {
      const key = JSON.stringify(selection);
      loader = this.selectedProducts.get(key) ?? byId((ids) => this.catalog.productsByIds(ids, selection));
      this.selectedProducts.set(key, loader);
      this.productLoaderOf.set(selection, loader);
    }
    return loader;
  }

  /** Each product's categories in id order; their parents read only `withParent`. */
  categoriesOfProduct(withParent: boolean): DataLoader<string, CategoryRow[]> {
    let loader = this.productCategories.get(withParent);
    if (!loader) {
      loader = new DataLoader(async (productIds) => {
        const groups = groupBy(await this.catalog.categoriesOfProducts(productIds, withParent), (r) => r.productId);
        return productIds.map((id) => groups.get(id) ?? []);
      });
      this.productCategories.set(withParent, loader);
    }
    return loader;
  }

  /**
   * Users with their extras (a page of interactions and its count, the segment) in one statement;
   * the extras are primed into interactionsOfUser, interactionCountOfUser and segmentOfUser, which
   * the fields below the user then find without another round trip.
   */
  usersWith(extras: UserExtras): DataLoader<string, UserWithExtrasRow | null> {
    const key = JSON.stringify(extras);
    let loader = this.usersWithExtras.get(key);
    if (!loader) {
      loader = byId(async (ids) => {
        const rows = await this.repos.users.findWithExtras(ids, extras);
        for (const row of rows) {
          if (extras.page && row.interactions) this.interactionsOfUser(extras.page).prime(row.id, row.interactions);
          if (extras.page && row.interactionCount !== null) this.interactionCountOfUser(extras.page.types).prime(row.id, row.interactionCount);
          if (extras.segment) this.segmentOfUser.prime(row.id, row.segment);
        }
        return rows;
      });
      this.usersWithExtras.set(key, loader);
    }
    return loader;
  }

  interactionsOfUser(args: InteractionPageArgs): DataLoader<string, InteractionRow[]> {
    const key = JSON.stringify(args);
    let loader = this.interactionPages.get(key);
    if (!loader) {
      loader = new DataLoader(async (userIds) => {
        const groups = groupBy(await this.repos.interactions.pageByUsers(userIds, args), (r) => r.userId);
        return userIds.map((id) => groups.get(id) ?? []);
      });
      this.interactionPages.set(key, loader);
    }
    return loader;
  }

  interactionCountOfUser(types: InteractionType[] | null): DataLoader<string, number> {
    const key = JSON.stringify(types);
    let loader = this.interactionCounts.get(key);
    if (!loader) {
      loader = new DataLoader(async (userIds) => {
        const counts = await this.repos.interactions.countByUsers(userIds, types);
        return userIds.map((id) => counts.get(id) ?? 0);
      });
      this.interactionCounts.set(key, loader);
    }
    return loader;
  }
}

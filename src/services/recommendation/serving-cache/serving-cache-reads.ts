/**
 * What the serving cache reads from Neo4j, from the aggregate repositories: the catalogue, the
 * published users' lists in pages, users' latest events, and the change feed it polls. An
 * interface, so its tests can answer without Neo4j.
 */
import type { CandidateListRepository, ListedUserRow } from '../../../repositories/candidate-list.repository';
import type { InteractionRepository, LatestEventsRow } from '../../../repositories/interaction.repository';
import type { Slot } from '../../../repositories/model-version.repository';
import type { CategoryRepository, CategoryRow } from '../../../repositories/category.repository';
import type { CatalogueProductRow, ProductRepository } from '../../../repositories/product.repository';
import type { ChangedUserRow, UserRepository } from '../../../repositories/user.repository';

export interface Changes {
  /** Users with events recorded after `since`. */
  users: ChangedUserRow[];
  products: CatalogueProductRow[];
  categories: CategoryRow[];
  /** Neo4j's clock when it answered: the next poll's `since`, less an overlap. */
  now: number;
}

export interface ServingCacheReads {
  /** Products with ids after `after`, in id order, with their category ids. */
  products(after: string, limit: number): Promise<CatalogueProductRow[]>;
  /** Every category with its parent. */
  categories(): Promise<CategoryRow[]>;
  /** Users with a stored list in the slot and ids after `after`, in id order, with their latest events. */
  listedUsers(slot: Slot, args: { after: string; limit: number; since: number; recentLimit: number }): Promise<ListedUserRow[]>;
  /** The same for these users (those with a list), in no order. */
  listedUsersById(slot: Slot, args: { ids: string[]; since: number; recentLimit: number }): Promise<ListedUserRow[]>;
  /** Changes recorded after `since`; the changed products as stored. */
  changesSince(since: number): Promise<Changes>;
  /** The latest events of these users (those that exist), for fold-in. */
  latestEvents(userIds: string[], args: { since: number; recentLimit: number }): Promise<LatestEventsRow[]>;
}

export class Neo4jServingCacheReads implements ServingCacheReads {
  constructor(
    private readonly repositories: {
      products: ProductRepository;
      categories: CategoryRepository;
      users: UserRepository;
      interactions: InteractionRepository;
      candidateLists: CandidateListRepository;
    },
  ) {}

  products(after: string, limit: number): Promise<CatalogueProductRow[]> {
    return this.repositories.products.cataloguePage(after, limit);
  }

  categories(): Promise<CategoryRow[]> {
    return this.repositories.categories.allRows();
  }

  listedUsers(slot: Slot, args: { after: string; limit: number; since: number; recentLimit: number }): Promise<ListedUserRow[]> {
    return this.repositories.candidateLists.listedUsers(slot, args);
  }

  listedUsersById(slot: Slot, args: { ids: string[]; since: number; recentLimit: number }): Promise<ListedUserRow[]> {
    return this.repositories.candidateLists.listedUsersById(slot, args);
  }

  async changesSince(since: number): Promise<Changes> {
    // Neo4j's clock is read before the products: a product written in between is read again next poll (the overlap).
    const { users, now } = await this.repositories.users.eventsRecordedSince(since);
    const productIds = await this.repositories.products.updatedSince(since);
    const products = productIds.length > 0 ? await this.repositories.products.catalogueByIds(productIds) : [];
    const categories = await this.repositories.categories.updatedSince(since);
    return { users, products, categories, now };
  }

  latestEvents(userIds: string[], args: { since: number; recentLimit: number }): Promise<LatestEventsRow[]> {
    return this.repositories.interactions.latestEvents(userIds, args);
  }
}

/**
 * Cypher behind the serving cache (serving-cache.service.ts): the catalogue and the published
 * users' candidate lists read in pages, and the change feed it polls (V005's indexes).
 */
import type { Database, Query } from '../db/database';
import { perSlot, Slot, SLOTS } from './model-version.repository';
import { ProductFilterParams, ProductRepository, ProductRow } from './product.repository';
import { FRESH_EVENTS_OF_U, LATEST_EVENTS_OF_U } from './user-events.cypher';

/** [productId, type, weight, at epoch ms] of one of the user's latest events, newest first. */
export type RecentEventRow = [string, string, number, number];

export interface ListedUserRow {
  id: string;
  ids: string[];
  scores: number[];
  /** '' where no recent product explains the candidate. */
  closestIds: string[];
  closestSimilarities: number[];
  /** Events at or after the version's training time: such a user is folded in, not served from the list. */
  freshEvents: number;
  recent: RecentEventRow[];
}

export interface Changes {
  /** Users with events recorded after `since`. */
  userIds: string[];
  products: ProductRow[];
  /** Neo4j's clock when it answered: the next poll's `since`, less an overlap. */
  now: number;
}

const listedUsersQuery = (slot: Slot): Query => {
  const { lists } = SLOTS[slot];
  return {
    name: `servingCache.listedUsers.${slot}`,
    cypher: `MATCH (u:User) WHERE u.id > $after AND u.${lists.ids} IS NOT NULL
           WITH u ORDER BY u.id LIMIT toInteger($limit)
           ${LATEST_EVENTS_OF_U('[p.id, r.type, r.weight, r.at.epochMillis]')}
           RETURN u.id AS id, u.${lists.ids} AS ids, u.${lists.scores} AS scores,
                  u.${lists.closestIds} AS closestIds, u.${lists.closestSimilarities} AS closestSimilarities,
                  ${FRESH_EVENTS_OF_U} AS freshEvents, recent`,
  };
};
const LISTED_USERS = perSlot(listedUsersQuery);

const CHANGES = {
  name: 'servingCache.changes',
  cypher: `CALL { MATCH (u:User) WHERE u.eventsRecordedAt > datetime({epochMillis: toInteger($since)}) RETURN collect(u.id) AS userIds }
           CALL { MATCH (p:Product) WHERE p.updatedAt > datetime({epochMillis: toInteger($since)}) RETURN collect(p.id) AS productIds }
           RETURN userIds, productIds, datetime().epochMillis AS now`,
};

const WHOLE_CATALOGUE: ProductFilterParams = { categoryIds: null, minPrice: null, maxPrice: null, inStock: null, brand: null, titleContains: null };

export class ServingCacheRepository {
  private readonly catalogue: ProductRepository;

  constructor(private readonly db: Database) {
    this.catalogue = new ProductRepository(db);
  }

  /** Products with ids after `after`, in id order. */
  async products(after: string, limit: number): Promise<ProductRow[]> {
    return this.catalogue.page(WHOLE_CATALOGUE, after, limit);
  }

  /** Users with a stored list in the slot and ids after `after`, in id order, with their latest events. */
  async listedUsers(slot: Slot, args: { after: string; limit: number; since: number; recentLimit: number }): Promise<ListedUserRow[]> {
    return this.db.readOne<ListedUserRow>(LISTED_USERS[slot], args);
  }

  /** Changes recorded after `since`; the changed products are read as stored, when there are any. */
  async changesSince(since: number): Promise<Changes> {
    const [row] = await this.db.readOne<{ userIds: string[]; productIds: string[]; now: number }>(CHANGES, { since });
    const products = row.productIds.length > 0 ? await this.catalogue.findByIds(row.productIds) : [];
    return { userIds: row.userIds, products, now: row.now };
  }
}

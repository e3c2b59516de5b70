/**
 * Cypher behind the serving cache (serving-cache.service.ts): the catalogue and the published
 * users' candidate lists read in pages, and the change feed it polls (V005's indexes).
 */
import type { Database, Query } from '../db/database';
import { perSlot, Slot, SLOTS } from './model-version.repository';
import { ProductFilterParams, ProductRepository, ProductRow } from './product.repository';
import { FRESH_EVENTS_OF_U, LATEST_EVENTS_OF_U } from './interaction.repository';

/** [productId, type, weight, at epoch ms] of one of the user's latest events, newest first. */
export type RecentEventRow = [string, string, number, number];

/** A RecentEventRow in Cypher, over LATEST_EVENTS_OF_U's `r` and `p`. */
const RECENT_EVENT = '[p.id, r.type, r.weight, r.at.epochMillis]';

export interface ListedUserRow {
  id: string;
  ids: string[];
  scores: number[];
  /** Events at or after the version's training time: such a user is folded in, not served from the list. */
  freshEvents: number;
  recent: RecentEventRow[];
}

/** A user's latest events, re-read after they acted: the input of their fold-in. */
export interface LatestEventsRow {
  id: string;
  /** Events at or after the version's training time; 0 for a user whose new events are backdated. */
  freshEvents: number;
  recent: RecentEventRow[];
  /** The user's change-feed stamp as of this read (epoch ms). */
  recordedAt: number | null;
}

/** [user id, when events were last recorded for them, epoch ms] */
export type ChangedUserRow = [string, number];

export interface Changes {
  /** Users with events recorded after `since`. */
  users: ChangedUserRow[];
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
           ${LATEST_EVENTS_OF_U(RECENT_EVENT)}
           RETURN u.id AS id, u.${lists.ids} AS ids, u.${lists.scores} AS scores,
                  ${FRESH_EVENTS_OF_U} AS freshEvents, recent`,
  };
};
const LISTED_USERS = perSlot(listedUsersQuery);

const LATEST_EVENTS = {
  name: 'servingCache.latestEvents',
  cypher: `UNWIND $userIds AS userId
           MATCH (u:User {id: userId})
           ${LATEST_EVENTS_OF_U(RECENT_EVENT)}
           RETURN u.id AS id, ${FRESH_EVENTS_OF_U} AS freshEvents, recent, u.eventsRecordedAt.epochMillis AS recordedAt`,
};

const CHANGES = {
  name: 'servingCache.changes',
  cypher: `CALL { MATCH (u:User) WHERE u.eventsRecordedAt > datetime({epochMillis: toInteger($since)}) RETURN collect([u.id, u.eventsRecordedAt.epochMillis]) AS users }
           CALL { MATCH (p:Product) WHERE p.updatedAt > datetime({epochMillis: toInteger($since)}) RETURN collect(p.id) AS productIds }
           RETURN users, productIds, datetime().epochMillis AS now`,
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
    const [row] = await this.db.readOne<{ users: ChangedUserRow[]; productIds: string[]; now: number }>(CHANGES, { since });
    const products = row.productIds.length > 0 ? await this.catalogue.findByIds(row.productIds) : [];
    return { users: row.users, products, now: row.now };
  }

  /** The latest events of these users (those that exist), for fold-in. */
  async latestEvents(userIds: string[], args: { since: number; recentLimit: number }): Promise<LatestEventsRow[]> {
    return this.db.readOne<LatestEventsRow>(LATEST_EVENTS, { userIds, ...args });
  }
}

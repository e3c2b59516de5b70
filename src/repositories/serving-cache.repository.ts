/**
 * Cypher behind the serving cache (serving-cache.service.ts): the catalogue and the published
 * users' candidate lists read in pages, and the change feed it polls (V005's indexes).
 */
import type { Database, Query } from '../db/database';
import { Slot, SLOTS } from './model-version.repository';
import type { ProductRow } from './product.repository';

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

type ProductList = [string, string, string | null, number | null, string | null, string | null, boolean | null];

const PRODUCT_LIST = `[p.id, p.title, p.description, p.price, p.currency, p.brand, p.inStock]`;

function toProduct([id, title, description, price, currency, brand, inStock]: ProductList): ProductRow {
  return { id, title, description, price, currency, brand, inStock };
}

const PRODUCT_PAGE = {
  name: 'servingCache.products',
  cypher: `MATCH (p:Product) WHERE p.id > $after RETURN ${PRODUCT_LIST} AS row ORDER BY p.id LIMIT toInteger($limit)`,
};

const listedUsersQuery = (slot: Slot): Query => {
  const { lists } = SLOTS[slot];
  return {
    name: `servingCache.listedUsers.${slot}`,
    cypher: `MATCH (u:User) WHERE u.id > $after AND u.${lists.ids} IS NOT NULL
           WITH u ORDER BY u.id LIMIT toInteger($limit)
           CALL (u) {
             MATCH (u)-[r:INTERACTED]->(p:Product)
             WITH r, p ORDER BY r.at DESC LIMIT toInteger($recentLimit)
             RETURN collect([p.id, r.type, r.weight, r.at.epochMillis]) AS recent
           }
           RETURN u.id AS id, u.${lists.ids} AS ids, u.${lists.scores} AS scores,
                  u.${lists.closestIds} AS closestIds, u.${lists.closestSimilarities} AS closestSimilarities,
                  COUNT { (u)-[r:INTERACTED]->() WHERE r.at >= datetime({epochMillis: toInteger($since)}) } AS freshEvents,
                  recent`,
  };
};
const LISTED_USERS: Record<Slot, Query> = { a: listedUsersQuery('a'), b: listedUsersQuery('b') };

const CHANGES = {
  name: 'servingCache.changes',
  cypher: `CALL { MATCH (u:User) WHERE u.eventsRecordedAt > datetime({epochMillis: toInteger($since)}) RETURN collect(u.id) AS userIds }
           CALL { MATCH (p:Product) WHERE p.updatedAt > datetime({epochMillis: toInteger($since)}) RETURN collect(${PRODUCT_LIST}) AS products }
           RETURN userIds, products, datetime().epochMillis AS now`,
};

export class ServingCacheRepository {
  constructor(private readonly db: Database) {}

  /** Products with ids after `after`, in id order. */
  async products(after: string, limit: number): Promise<ProductRow[]> {
    const rows = await this.db.readOne<{ row: ProductList }>(PRODUCT_PAGE, { after, limit });
    return rows.map((r) => toProduct(r.row));
  }

  /** Users with a stored list in the slot and ids after `after`, in id order, with their latest events. */
  async listedUsers(slot: Slot, args: { after: string; limit: number; since: number; recentLimit: number }): Promise<ListedUserRow[]> {
    return this.db.readOne<ListedUserRow>(LISTED_USERS[slot], args);
  }

  async changesSince(since: number): Promise<Changes> {
    const [row] = await this.db.readOne<{ userIds: string[]; products: ProductList[]; now: number }>(CHANGES, { since });
    return { userIds: row.userIds, products: row.products.map(toProduct), now: row.now };
  }
}

/** Cypher for users. Relies on the user_id uniqueness constraint for every lookup by id. */
import type { Database } from '../db/database';
import type { UserRecord } from '../domain/records';
import { INTERACTION_COUNT_OF_U, INTERACTION_PAGE_OF_U, InteractionPageArgs, InteractionRow } from './interaction.repository';
import { perSlot, Slot, SLOTS } from './model-version.repository';

export interface UserRow {
  id: string;
  createdAt: string | null;
  country: string | null;
}

const BY_IDS = {
  name: 'user.byIds',
  cypher: `UNWIND $ids AS id MATCH (u:User {id: id})
           RETURN u.id AS id, toString(u.createdAt) AS createdAt, u.country AS country`,
};

/** A user with a page of their events (and how many the page's types allow, when asked for). */
export interface UserWithInteractionsRow extends UserRow {
  interactions: InteractionRow[];
  interactionCount: number | null;
}

const withInteractions = (withCount: boolean) => ({
  name: 'user.withInteractions',
  cypher: `UNWIND $ids AS id MATCH (u:User {id: id})
           ${INTERACTION_PAGE_OF_U}
           RETURN u.id AS id, toString(u.createdAt) AS createdAt, u.country AS country, interactions,
                  ${withCount ? INTERACTION_COUNT_OF_U : 'null'} AS interactionCount`,
});
const WITH_INTERACTIONS = { counted: withInteractions(true), uncounted: withInteractions(false) };

const UPSERT = {
  name: 'user.upsert',
  cypher: `UNWIND $users AS row
           MERGE (u:User {id: row.id})
           ON CREATE SET u.createdAt = coalesce(datetime(row.createdAt), datetime())
           SET u.country = coalesce(row.country, u.country),
               u.age = coalesce(row.age, u.age), u.gender = coalesce(row.gender, u.gender),
               u.occupation = coalesce(row.occupation, u.occupation), u.zip = coalesce(row.zip, u.zip)
           RETURN count(u) AS count`,
};

const userEmbeddingQuery = (property: string) => ({
  name: `recommendation.userEmbedding.${property}`,
  cypher: `MATCH (u:User {id: $userId}) RETURN u.${property} AS vector`,
});

const USER_EMBEDDING = perSlot((slot) => userEmbeddingQuery(SLOTS[slot].property));

/** [user id, when events were last recorded for them, epoch ms] */
export type ChangedUserRow = [string, number];

const EVENTS_RECORDED_SINCE = {
  name: 'user.eventsRecordedSince',
  cypher: `CALL { MATCH (u:User) WHERE u.eventsRecordedAt > datetime({epochMillis: toInteger($since)}) RETURN collect([u.id, u.eventsRecordedAt.epochMillis]) AS users }
           RETURN users, datetime().epochMillis AS now`,
};

export class UserRepository {
  constructor(private readonly db: Database) {}

  async findByIds(ids: readonly string[]): Promise<UserRow[]> {
    return this.db.readOne<UserRow>(BY_IDS, { ids });
  }

  /** The users that exist among `ids`, each with a page of their events: existence and page in one statement. */
  async findWithInteractions(ids: readonly string[], page: InteractionPageArgs, withCount: boolean): Promise<UserWithInteractionsRow[]> {
    const rows = await this.db.readOne<UserWithInteractionsRow>(withCount ? WITH_INTERACTIONS.counted : WITH_INTERACTIONS.uncounted, { ids, ...page });
    for (const row of rows) row.interactions = row.interactions.map((event) => ({ ...event, userId: row.id }));
    return rows;
  }

  async upsert(users: UserRecord[]): Promise<number> {
    const rows = await this.db.writeOne<{ count: number }>(UPSERT, {
      users: users.map((u) => ({
        id: u.id,
        createdAt: u.createdAt ?? null,
        country: u.country ?? null,
        age: u.age ?? null,
        gender: u.gender ?? null,
        occupation: u.occupation ?? null,
        zip: u.zip ?? null,
      })),
    });
    return rows[0]?.count ?? 0;
  }

  async userEmbedding(slot: Slot, userId: string): Promise<number[] | null> {
    return (await this.db.readOne<{ vector: number[] | null }>(USER_EMBEDDING[slot], { userId }))[0]?.vector ?? null;
  }

  /** Users with events recorded after `since` (the serving cache's change feed, V005's index), and Neo4j's clock. */
  async eventsRecordedSince(since: number): Promise<{ users: ChangedUserRow[]; now: number }> {
    return (await this.db.readOne<{ users: ChangedUserRow[]; now: number }>(EVENTS_RECORDED_SINCE, { since }))[0];
  }
}

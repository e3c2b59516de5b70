/** Cypher for users. Relies on the user_id uniqueness constraint for every lookup by id. */
import type { Database } from '../db/database';
import type { UserRecord } from '../domain/records';
import { INTERACTION_COUNT_OF_U, INTERACTION_PAGE_OF_U, InteractionPageArgs, InteractionRow } from './interaction.repository';
import { SEGMENT_OF_U, SegmentRow } from './segment.repository';
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

/** What to read with users, in the same statement: a page of their events, its count, their segment. */
export interface UserExtras {
  page: InteractionPageArgs | null;
  withCount: boolean;
  segment: boolean;
}

/** A user with the extras asked for (null when not asked for). */
export interface UserWithExtrasRow extends UserRow {
  interactions: InteractionRow[] | null;
  interactionCount: number | null;
  segment: SegmentRow | null;
}

const withExtras = (extras: UserExtras) => ({
  name: 'user.withExtras',
  cypher: `UNWIND $ids AS id MATCH (u:User {id: id})
           ${extras.page ? INTERACTION_PAGE_OF_U : 'WITH u, null AS interactions'}
           ${extras.segment ? SEGMENT_OF_U : ''}
           RETURN u.id AS id, toString(u.createdAt) AS createdAt, u.country AS country, interactions,
                  ${extras.withCount ? INTERACTION_COUNT_OF_U : 'null'} AS interactionCount,
                  ${extras.segment ? 'segment' : 'null'} AS segment`,
});
/** Built once per combination of extras (at most 8). */
const WITH_EXTRAS = new Map<string, { name: string; cypher: string }>();

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

  /** The users that exist among `ids`, each with the extras asked for: existence and extras in one statement. */
  async findWithExtras(ids: readonly string[], extras: UserExtras): Promise<UserWithExtrasRow[]> {
    const key = `${extras.page !== null}|${extras.withCount}|${extras.segment}`;
    let query = WITH_EXTRAS.get(key);
    if (!query) {
      query = withExtras(extras);
      WITH_EXTRAS.set(key, query);
    }
    const page = extras.page ?? { types: null, afterAt: null, afterEventId: null, limit: 0 };
    const rows = await this.db.readOne<UserWithExtrasRow>(query, { ids, ...page });
    for (const row of rows) row.interactions = row.interactions?.map((event) => ({ ...event, userId: row.id })) ?? null;
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

/** Cypher for users. Relies on the user_id uniqueness constraint for every lookup by id. */
import type { Database } from '../db/database';
import type { UserRecord } from '../domain/records';

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

const UPSERT = {
  name: 'user.upsert',
  cypher: `UNWIND $users AS row
           MERGE (u:User {id: row.id})
           ON CREATE SET u.createdAt = coalesce(datetime(row.createdAt), datetime())
           SET u.country = coalesce(row.country, u.country)
           RETURN count(u) AS count`,
};

export class UserRepository {
  constructor(private readonly db: Database) {}

  async findByIds(ids: readonly string[]): Promise<UserRow[]> {
    return this.db.readOne<UserRow>(BY_IDS, { ids });
  }

  async upsert(users: UserRecord[]): Promise<number> {
    const rows = await this.db.writeOne<{ count: number }>(UPSERT, {
      users: users.map((u) => ({ id: u.id, createdAt: u.createdAt ?? null, country: u.country ?? null })),
    });
    return rows[0]?.count ?? 0;
  }
}

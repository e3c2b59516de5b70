/**
 * Migration history and lock, kept in the graph like neo4j-migrations does:
 * (:__Neo4jMigration) nodes chained by [:MIGRATED_TO], and a single lock node guarded by a constraint.
 */
import type { Database, Tx } from '../db/database';

export interface AppliedMigration {
  version: number;
  description: string;
  checksum: string;
  appliedAt: string;
}

const ENSURE_LOCK_CONSTRAINT = {
  name: 'migration.ensureLockConstraint',
  cypher: 'CREATE CONSTRAINT migration_lock_id IF NOT EXISTS FOR (l:__Neo4jMigrationsLock) REQUIRE l.id IS UNIQUE',
};

const ACQUIRE_LOCK = {
  name: 'migration.acquireLock',
  cypher: 'CREATE (:__Neo4jMigrationsLock {id: $namespace, owner: $owner, lockedAt: datetime()})',
};

const READ_LOCK = {
  name: 'migration.readLock',
  cypher: 'MATCH (l:__Neo4jMigrationsLock {id: $namespace}) RETURN l.owner AS owner, toString(l.lockedAt) AS lockedAt',
};

const RELEASE_LOCK = {
  name: 'migration.releaseLock',
  cypher: 'MATCH (l:__Neo4jMigrationsLock {id: $namespace}) WHERE $owner IS NULL OR l.owner = $owner DELETE l',
};

const APPLIED = {
  name: 'migration.applied',
  cypher: `MATCH (m:__Neo4jMigration {namespace: $namespace})
           RETURN m.version AS version, m.description AS description, m.checksum AS checksum,
                  toString(m.appliedAt) AS appliedAt
           ORDER BY m.version`,
};

const RECORD = {
  name: 'migration.record',
  cypher: `OPTIONAL MATCH (last:__Neo4jMigration {namespace: $namespace}) WHERE NOT (last)-[:MIGRATED_TO]->()
           CREATE (m:__Neo4jMigration {namespace: $namespace, version: $version, description: $description, checksum: $checksum,
                                       appliedAt: datetime(), appliedBy: $owner})
           FOREACH (_ IN CASE WHEN last IS NULL THEN [] ELSE [1] END | CREATE (last)-[:MIGRATED_TO]->(m))`,
};

/**
 * `namespace` separates independent migration chains in one database (the application's is
 * "affinity"); tests use their own so they never touch the real history.
 */
export class MigrationRepository {
  constructor(
    private readonly db: Database,
    private readonly namespace: string,
  ) {}

  async ensureLockConstraint(): Promise<void> {
    await this.db.autoCommit(ENSURE_LOCK_CONSTRAINT);
  }

  /** Returns false when another process holds the lock (the constraint rejects a second lock node). */
  async tryLock(owner: string): Promise<boolean> {
    try {
      await this.db.writeOne(ACQUIRE_LOCK, { owner, namespace: this.namespace });
      return true;
    } catch (error) {
      if (error instanceof Error && 'code' in error && String((error as { code: unknown }).code).includes('ConstraintValidationFailed')) {
        return false;
      }
      throw error;
    }
  }

  async currentLock(): Promise<{ owner: string; lockedAt: string } | undefined> {
    const rows = await this.db.readOne<{ owner: string; lockedAt: string }>(READ_LOCK, { namespace: this.namespace });
    return rows[0];
  }

  /** Without an owner, removes whoever's lock (the `--unlock` escape hatch after a crash). */
  async unlock(owner: string | null): Promise<void> {
    await this.db.writeOne(RELEASE_LOCK, { owner, namespace: this.namespace });
  }

  async applied(): Promise<AppliedMigration[]> {
    return this.db.readOne<AppliedMigration>(APPLIED, { namespace: this.namespace });
  }

  async runStatement(statement: string): Promise<void> {
    await this.db.autoCommit({ name: 'migration.statement', cypher: statement });
  }

  async record(migration: { version: number; description: string; checksum: string; owner: string }): Promise<void> {
    await this.db.write((tx: Tx) => tx.run(RECORD, { ...migration, namespace: this.namespace }));
  }
}

/**
 * Applies pending migrations in version order under a lock; refuses to run when an applied
 * file was edited (checksum mismatch), because the graph would no longer match the files.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { MigrationRepository } from '../repositories/migration.repository';
import type { Database } from './database';
import { MigrationFile, readMigrations, substitute } from './migration-file';

export class MigrationError extends Error {}

export interface MigrateOptions {
  dir: string;
  placeholders: Record<string, string | number>;
  log?: (line: string) => void;
}

export interface MigrationStatus {
  applied: number;
  pending: MigrationFile[];
}

export class Migrator {
  private readonly repo: MigrationRepository;
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(db: Database, namespace = 'affinity') {
    this.repo = new MigrationRepository(db, namespace);
  }

  /** Pending files, after checking that every applied one is unchanged. */
  async status(dir: string): Promise<MigrationStatus> {
    const files = readMigrations(dir);
    const applied = await this.repo.applied();
    const byVersion = new Map(files.map((f) => [f.version, f]));
    for (const done of applied) {
      const file = byVersion.get(done.version);
      if (!file) {
        throw new MigrationError(`Migration V${pad(done.version)} is recorded in the graph but its file is missing from ${dir}`);
      }
      if (file.checksum !== done.checksum) {
        throw new MigrationError(
          `Migration ${file.file} was edited after it was applied (checksum ${done.checksum.slice(0, 12)} in the graph, ` +
            `${file.checksum.slice(0, 12)} on disk). Applied migrations never change: revert the edit and add a new V${pad(
              files[files.length - 1].version + 1,
            )}__... file instead.`,
        );
      }
    }
    const appliedVersions = new Set(applied.map((a) => a.version));
    return { applied: applied.length, pending: files.filter((f) => !appliedVersions.has(f.version)) };
  }

  async migrate(options: MigrateOptions): Promise<MigrationFile[]> {
    const log = options.log ?? (() => undefined);
    await this.repo.ensureLockConstraint();
    if (!(await this.repo.tryLock(this.owner)) && !(await this.takeOverStaleLock())) {
      const lock = await this.repo.currentLock();
      throw new MigrationError(
        `Another migration is running (lock held by ${lock?.owner ?? 'unknown'} since ${lock?.lockedAt ?? '?'}). ` +
          'If no migration is running, remove the stale lock with "affinity migrate --unlock".',
      );
    }
    try {
      const { pending } = await this.status(options.dir);
      for (const migration of pending) {
        log(`applying ${migration.file} (${migration.statements.length} statements)`);
        for (const statement of migration.statements) {
          await this.repo.runStatement(substitute(statement, options.placeholders));
        }
        await this.repo.record({ ...migration, owner: this.owner });
      }
      if (pending.length === 0) log('database is up to date');
      return pending;
    } finally {
      await this.repo.unlock(this.owner);
    }
  }

  /**
   * A migration that died (killed, or Neo4j vanished before it could unlock) leaves its lock behind.
   * When the holder ran on this host and its process is gone, the lock is provably stale.
   */
  private async takeOverStaleLock(): Promise<boolean> {
    const lock = await this.repo.currentLock();
    if (!lock) return this.repo.tryLock(this.owner);
    const [host, pid] = lock.owner.split(':');
    if (host !== hostname() || processAlive(Number(pid))) return false;
    await this.repo.unlock(lock.owner);
    return this.repo.tryLock(this.owner);
  }

  async forceUnlock(): Promise<void> {
    await this.repo.unlock(null);
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pad(version: number): string {
  return String(version).padStart(3, '0');
}

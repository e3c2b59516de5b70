import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Services } from '../../src/app';
import { MigrationError, Migrator } from '../../src/db/migrator';
import { ns, testServices } from '../support/runtime';

/** Each test gets its own migration namespace and folder, so the application's history is never touched. */
function migrationDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affinity-mig-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('migrate', () => {
  let services: Services;
  beforeAll(() => {
    services = testServices();
  });
  afterAll(async () => {
    await services.db.close();
  });

  async function countMarkers(tag: string): Promise<number> {
    const rows = await services.db.readOne<{ n: number }>({ name: 't', cypher: 'MATCH (m:MigrationTestMarker {tag: $tag}) RETURN count(m) AS n' }, { tag });
    return rows[0].n;
  }

  it('applies pending files in version order, records history as a chain, and is a no-op the second time', async () => {
    const tag = ns('order');
    const dir = migrationDir({
      'V002__Second.cypher': `MATCH (m:MigrationTestMarker {tag: '${tag}', step: 1}) SET m.step = 2;`,
      'V001__First.cypher': `CREATE (:MigrationTestMarker {tag: '${tag}', step: 1});`,
    });
    const migrator = new Migrator(services.db, tag);
    const applied = await migrator.migrate({ dir, placeholders: {} });
    expect(applied.map((m) => m.version)).toEqual([1, 2]);
    const rows = await services.db.readOne<{ step: number }>({ name: 't', cypher: 'MATCH (m:MigrationTestMarker {tag: $tag}) RETURN m.step AS step' }, { tag });
    expect(rows).toEqual([{ step: 2 }]);
    const chain = await services.db.readOne<{ n: number }>(
      { name: 't', cypher: 'MATCH (:__Neo4jMigration {namespace: $tag, version: 1})-[:MIGRATED_TO]->(b:__Neo4jMigration {version: 2}) RETURN count(b) AS n' },
      { tag },
    );
    expect(chain[0].n).toBe(1);
    expect(await migrator.migrate({ dir, placeholders: {} })).toEqual([]);
    expect(await countMarkers(tag)).toBe(1);
  });

  it('refuses to run when an applied file was edited', async () => {
    const tag = ns('edit');
    const file = `CREATE (:MigrationTestMarker {tag: '${tag}'});`;
    const dir = migrationDir({ 'V001__Marker.cypher': file });
    const migrator = new Migrator(services.db, tag);
    await migrator.migrate({ dir, placeholders: {} });
    fs.writeFileSync(path.join(dir, 'V001__Marker.cypher'), `${file}\nCREATE (:MigrationTestMarker {tag: '${tag}'});`);
    fs.writeFileSync(path.join(dir, 'V002__More.cypher'), `CREATE (:MigrationTestMarker {tag: '${tag}'});`);
    await expect(migrator.migrate({ dir, placeholders: {} })).rejects.toThrow(/V001__Marker.cypher was edited after it was applied/);
    expect(await countMarkers(tag)).toBe(1);
  });

  it('lets only one of two concurrent migrations run, and the other fails with a clear error', async () => {
    const tag = ns('lock');
    // A slow statement keeps the lock held long enough for the second migrator to meet it.
    const dir = migrationDir({
      'V001__Slow.cypher': `UNWIND range(1, 150000) AS i CREATE (:MigrationTestFiller {tag: '${tag}'});\nCREATE (:MigrationTestMarker {tag: '${tag}'});`,
    });
    const results = await Promise.allSettled([
      new Migrator(services.db, tag).migrate({ dir, placeholders: {} }),
      new Promise((r) => setTimeout(r, 100)).then(() => new Migrator(services.db, tag).migrate({ dir, placeholders: {} })),
    ]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toBeInstanceOf(MigrationError);
    expect(String(rejected[0].reason.message)).toMatch(/Another migration is running/);
    expect(await countMarkers(tag)).toBe(1);
    // The lock is released afterwards: a later run goes through (and has nothing to do).
    expect(await new Migrator(services.db, tag).migrate({ dir, placeholders: {} })).toEqual([]);
    await services.db.autoCommit(
      { name: 't', cypher: 'MATCH (n:MigrationTestFiller {tag: $tag}) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS' },
      { tag },
    );
  });

  it('takes over a lock left by a dead process on this host, but not one held by a live process', async () => {
    const tag = ns('stale');
    const dir = migrationDir({ 'V001__Marker.cypher': `CREATE (:MigrationTestMarker {tag: '${tag}'});` });
    const lockAs = (owner: string) =>
      services.db.writeOne({ name: 't', cypher: 'CREATE (:__Neo4jMigrationsLock {id: $tag, owner: $owner, lockedAt: datetime()})' }, { tag, owner });
    await lockAs(`${os.hostname()}:${process.pid}:other`);
    await expect(new Migrator(services.db, tag).migrate({ dir, placeholders: {} })).rejects.toThrow(/Another migration is running/);
    await new Migrator(services.db, tag).forceUnlock();
    await lockAs(`${os.hostname()}:2147483:dead`);
    expect((await new Migrator(services.db, tag).migrate({ dir, placeholders: {} })).map((m) => m.version)).toEqual([1]);
    expect(await countMarkers(tag)).toBe(1);
  });

  it('has applied the project migrations: constraints and vector indexes exist', async () => {
    const rows = await services.db.readOne<{ name: string }>({ name: 't', cypher: 'SHOW INDEXES YIELD name RETURN name' });
    const names = rows.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['user_id', 'product_id', 'interaction_event_id', 'product_text_embedding', 'product_embedding', 'user_embedding']));
    const status = await new Migrator(services.db).status(path.join(services.config.projectRoot, 'migrations'));
    expect(status.pending).toEqual([]);
  });
});

import * as path from 'node:path';
import type { Command } from 'commander';
import { Migrator } from '../../db/migrator';
import { withRuntime } from '../runtime';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending migrations from migrations/ in order (checksummed, under a lock)')
    .option('--status', 'list pending migrations without applying them')
    .option('--unlock', 'remove a stale migration lock left by a crashed run')
    .action(async (options: { status?: boolean; unlock?: boolean }) => {
      await withRuntime(async ({ config, services }) => {
        const migrator = new Migrator(services.db);
        const dir = path.join(config.projectRoot, 'migrations');
        if (options.unlock) {
          await migrator.forceUnlock();
          console.log('migration lock removed');
          return;
        }
        if (options.status) {
          const status = await migrator.status(dir);
          console.log(`${status.applied} applied, ${status.pending.length} pending${status.pending.map((p) => `\n  ${p.file}`).join('')}`);
          return;
        }
        const applied = await migrator.migrate({
          dir,
          placeholders: { textEmbeddingDim: config.embeddings.textDim, graphEmbeddingDim: config.embeddings.graphDim },
          log: (line) => console.log(line),
        });
        console.log(`migrations: ${applied.length} applied`);
      });
    });
}

import * as path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { createSchema } from '../../graphql/schema';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('write the GraphQL SDL to schema/schema.graphql (the checked-in contract)')
    .action(async () => {
      const config = loadConfig();
      const file = path.join(config.projectRoot, 'schema', 'schema.graphql');
      await createSchema({ emitTo: file });
      console.log(`wrote ${file}`);
    });
}

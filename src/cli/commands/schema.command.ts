import * as path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { createPartnerSchema, createSchema } from '../../graphql/schema';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('write the GraphQL SDL to schema/schema.graphql and the partner schema to schema/partner.graphql (the checked-in contracts)')
    .action(async () => {
      const config = loadConfig();
      const file = path.join(config.projectRoot, 'schema', 'schema.graphql');
      await createSchema({ emitTo: file });
      console.log(`wrote ${file}`);
      const partnerFile = path.join(config.projectRoot, 'schema', 'partner.graphql');
      await createPartnerSchema({ emitTo: partnerFile });
      console.log(`wrote ${partnerFile}`);
    });
}

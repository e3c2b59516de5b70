import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { operationRoles, roleTableMarkdown, withRoleTable } from '../../auth/role-table';
import { loadConfig } from '../../config';

export function registerRoles(program: Command): void {
  program
    .command('roles')
    .description('print the role x operation table from the resolvers (--readme: write it into README.md)')
    .option('--readme', 'replace the table in README.md')
    .action(async (options: { readme?: boolean }) => {
      const table = roleTableMarkdown(await operationRoles());
      if (!options.readme) return console.log(table);
      const file = path.join(loadConfig().projectRoot, 'README.md');
      fs.writeFileSync(file, withRoleTable(fs.readFileSync(file, 'utf8'), table));
      console.log(`wrote the role table into ${file}`);
    });
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { allows, operationRoles, roleTableMarkdown, withRoleTable } from '../../../src/auth/role-table';

describe('role × operation table', () => {
  it('in the README is the one the resolvers declare (regenerate: affinity roles --readme)', async () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    const table = roleTableMarkdown(await operationRoles());
    expect(withRoleTable(readme, table)).toBe(readme);
  });

  it('covers every root operation and lets admin through everywhere', async () => {
    const rows = await operationRoles();
    const names = rows.map((r) => r.operation);
    for (const op of ['Query.user', 'Query.recommendations', 'Query.neighborhood', 'Mutation.recordInteractions', 'Mutation.upsertProducts']) {
      expect(names).toContain(op);
    }
    expect(rows.every((r) => allows(r.roles, 'admin'))).toBe(true);
    expect(allows(['analyst'], 'frontend')).toBe(false);
    expect(allows([], 'partner')).toBe(true);
  });
});

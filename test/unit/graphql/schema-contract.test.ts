/**
 * schema/schema.graphql is the contract clients and reviewers read: it must be what the resolvers
 * emit. Built in-process exactly as `affinity schema` does; on failure run `affinity schema` (or
 * `npm run affinity -- schema` after a build) and review the diff.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPartnerSchema, createSchema } from '../../../src/graphql/schema';

describe('schema/schema.graphql', () => {
  it('matches the SDL the resolvers emit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affinity-schema-'));
    try {
      const emitted = path.join(dir, 'schema.graphql');
      await createSchema({ emitTo: emitted });
      const checkedIn = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'schema', 'schema.graphql'), 'utf8');
      expect(fs.readFileSync(emitted, 'utf8')).toBe(checkedIn);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('schema/partner.graphql', () => {
  it('matches the SDL the partner resolvers emit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'affinity-partner-schema-'));
    try {
      const emitted = path.join(dir, 'partner.graphql');
      await createPartnerSchema({ emitTo: emitted });
      const checkedIn = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'schema', 'partner.graphql'), 'utf8');
      expect(fs.readFileSync(emitted, 'utf8')).toBe(checkedIn);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { checksumOf, parseMigrationName, splitStatements, substitute } from '../../../src/db/migration-file';

describe('migration files', () => {
  it('parses V<version>__<Description>.cypher names and refuses others', () => {
    expect(parseMigrationName('V001__Create_constraints.cypher')).toEqual({ version: 1, description: 'Create constraints' });
    expect(parseMigrationName('V12__X.cypher')).toEqual({ version: 12, description: 'X' });
    expect(parseMigrationName('001_create.cypher')).toBeUndefined();
    expect(parseMigrationName('V001__Create.sql')).toBeUndefined();
  });

  it('splits statements on a trailing semicolon and drops comment lines', () => {
    const text = '// header\nCREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x);\nCREATE (:B {s: "a;b"})\n  SET x = 1;\n\n';
    expect(splitStatements(text)).toEqual(['CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)', 'CREATE (:B {s: "a;b"})\n  SET x = 1']);
  });

  it('gives the same checksum for CRLF and LF and a different one for any edit', () => {
    expect(checksumOf('A;\r\nB;')).toBe(checksumOf('A;\nB;'));
    expect(checksumOf('A;\nB;')).not.toBe(checksumOf('A;\nB ;'));
  });

  it('fills {{placeholders}} from config and refuses unknown ones', () => {
    expect(substitute('`vector.dimensions`: {{dim}}', { dim: 384 })).toBe('`vector.dimensions`: 384');
    expect(() => substitute('{{nope}}', {})).toThrow('Unknown placeholder {{nope}}');
  });
});

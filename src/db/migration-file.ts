/**
 * Migration files in the neo4j-migrations style: `V001__Create_constraints.cypher`, statements ending
 * in `;`, `//` comment lines. The checksum covers the file as written, so an applied file that is
 * edited later is detected and refused.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface MigrationFile {
  version: number;
  description: string;
  file: string;
  checksum: string;
  statements: string[];
}

const NAME = /^V(\d+)__([A-Za-z0-9_]+)\.cypher$/;

export function parseMigrationName(file: string): { version: number; description: string } | undefined {
  const match = NAME.exec(file);
  if (!match) return undefined;
  return { version: Number(match[1]), description: match[2].replace(/_/g, ' ') };
}

export function checksumOf(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

/** Splits on `;` at the end of a line; comments (whole `//` lines) are dropped. */
export function splitStatements(text: string): string[] {
  const body = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  return body
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `{{name}}` placeholders take values from config (vector dimensions); unknown names are an error. */
export function substitute(statement: string, values: Record<string, string | number>): string {
  return statement.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`Unknown placeholder {{${name}}} in migration`);
    return String(values[name]);
  });
}

export function readMigrations(dir: string): MigrationFile[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cypher'));
  const migrations = files.map((file) => {
    const name = parseMigrationName(file);
    if (!name) throw new Error(`Migration file "${file}" does not match V<version>__<Description>.cypher`);
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    return { ...name, file, checksum: checksumOf(text), statements: splitStatements(text) };
  });
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      throw new Error(`Two migrations share version ${migrations[i].version}: ${migrations[i - 1].file}, ${migrations[i].file}`);
    }
  }
  return migrations;
}

import type { Config } from '../../../src/config';
import { checkDisk, checkJava, checkNode, formatDoctor, javaMajor, MIN_FREE_BYTES } from '../../../src/cli/doctor';

const local = { neo4j: { local: true, uri: 'bolt://127.0.0.1:7687' } } as Config;

describe('affinity doctor checks', () => {
  it('checks Node against package.json engines', () => {
    expect(checkNode('20.19.0', '>=20')).toMatchObject({ ok: true });
    expect(checkNode('18.20.1', '>=20')).toEqual({ check: 'node', ok: false, detail: expect.stringContaining('does not satisfy package.json engines ">=20"') });
  });

  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_402"', 8],
    ['no version here', undefined],
  ])('reads the Java major version of %j', (output, major) => {
    expect(javaMajor(output)).toBe(major);
  });

  it('asks for Java 17 for the local Neo4j only', () => {
    expect(checkJava(local, () => 'openjdk version "17.0.15"')).toMatchObject({ ok: true });
    expect(checkJava(local, () => 'java version "1.8.0_402"')).toMatchObject({ ok: false, detail: 'Java 8 found; the local Neo4j needs Java 17 or later' });
    expect(checkJava(local, () => { throw new Error('ENOENT'); }).detail).toMatch(/^no java on PATH: install Java 17/);
    expect(checkJava({ neo4j: { local: false, uri: 'neo4j+s://x.databases.neo4j.io' } } as Config, () => '')).toMatchObject({ ok: true });
  });

  it('asks for room on disk below 2 GiB free', () => {
    expect(checkDisk('/data', () => MIN_FREE_BYTES)).toMatchObject({ ok: true, detail: '2.0 GiB free under /data' });
    expect(checkDisk('/data', () => 1024 ** 3)).toMatchObject({ ok: false, detail: expect.stringMatching(/^only 1\.0 GiB free under \/data: free some/) });
  });

  it('prints one aligned line per check, OK or FIX', () => {
    expect(formatDoctor([{ check: 'node', ok: true, detail: '20.19.0' }, { check: 'migrations', ok: false, detail: 'run "affinity migrate"' }])).toBe(
      'OK   node        20.19.0\nFIX  migrations  run "affinity migrate"',
    );
  });
});

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Journal, JournalFullError, readRecords } from '../../../src/journal/journal';

interface Rec {
  id: number;
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'journal-'));
}

function journal(dir: string, flushed: Rec[][], overrides: Partial<ConstructorParameters<typeof Journal<Rec>>[0]> = {}): Journal<Rec> {
  return new Journal<Rec>({
    dir,
    name: 'test',
    flush: async (records) => void flushed.push(records),
    batchSize: 3,
    flushIntervalMs: 60_000,
    maxUnflushed: 1000,
    ...overrides,
  });
}

/** A segment file as a process that has exited left it: its pid is dead by the time we look. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

describe('Journal', () => {
  it('acknowledges appends once on disk, in one group per sync, and flushes them in batches', async () => {
    const dir = tmpDir();
    const flushed: Rec[][] = [];
    const j = journal(dir, flushed);
    await j.start();
    await Promise.all(Array.from({ length: 7 }, (_, id) => j.append({ id })));
    const [segment] = fs.readdirSync(dir);
    expect(readRecords<Rec>(fs.readFileSync(path.join(dir, segment))).map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(j.backlog).toBe(7);
    await j.flushNow();
    expect(flushed.map((b) => b.map((r) => r.id))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(j.backlog).toBe(0);
    await j.stop();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('keeps records whose flush failed and flushes them on the next attempt', async () => {
    const dir = tmpDir();
    const flushed: Rec[][] = [];
    let fail = true;
    const j = journal(dir, flushed, { flush: async (r) => (fail ? Promise.reject(new Error('down')) : void flushed.push(r)) });
    await j.start();
    await j.append({ id: 1 });
    await expect(j.flushNow()).rejects.toThrow('down');
    fail = false;
    await j.flushNow();
    expect(flushed).toEqual([[{ id: 1 }]]);
    await j.stop();
  });

  it('refuses appends while too many records wait for the database', async () => {
    const j = journal(tmpDir(), [], { maxUnflushed: 2 });
    await j.start();
    await j.append({ id: 1 });
    await j.append({ id: 2 });
    await expect(j.append({ id: 3 })).rejects.toBeInstanceOf(JournalFullError);
    await j.stop();
  });

  it("replays a dead process's segment at start, dropping a torn last line, and deletes it", async () => {
    const dir = tmpDir();
    const pid = deadPid();
    fs.writeFileSync(path.join(dir, `test-${pid}-abcdef.seg`), '{"id":1}\n{"id":2}\n{"id":');
    fs.writeFileSync(path.join(dir, `other-${pid}-abcdef.seg`), '{"id":9}\n');
    const flushed: Rec[][] = [];
    const j = journal(dir, flushed);
    expect(await j.start()).toEqual([{ id: 1 }, { id: 2 }]);
    expect(flushed).toEqual([[{ id: 1 }, { id: 2 }]]);
    await j.stop();
    expect(fs.readdirSync(dir)).toEqual([`other-${pid}-abcdef.seg`]);
  });

  it("leaves a live process's segments alone", async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, `test-${process.ppid}-abcdef.seg`), '{"id":1}\n');
    const j = journal(dir, []);
    expect(await j.start()).toEqual([]);
    await j.stop();
    expect(fs.readdirSync(dir)).toEqual([`test-${process.ppid}-abcdef.seg`]);
  });
});

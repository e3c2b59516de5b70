/**
 * A local append-only journal for writes that must be acknowledged fast and never lost (design §8a):
 * `append` resolves once the record is on disk (group commit: the records that arrive while one
 * fdatasync runs share the next), and a background writer hands them to `flush` (e.g. a Neo4j write)
 * in batches. Records are JSON lines in segment files; a segment is deleted once all its records
 * were flushed. A process that dies leaves its segments behind; `start` claims those of dead
 * processes (an atomic rename, so two starting processes never replay one file) and flushes them
 * before anything else. A record may so reach `flush` twice (flushed, then the process died before
 * deleting its segment): `flush` must be idempotent (e.g. by a unique record id).
 *
 * Generic: clicks use it now; any other high-rate write (interaction events) can.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface JournalOptions<T> {
  /** Directory of the segment files; created when missing. */
  dir: string;
  /** Names this journal's segments (`<name>-<pid>-<random>.seg`), so journals can share a directory. */
  name: string;
  /** Writes a batch durably and idempotently; a throw keeps the batch for the next attempt. */
  flush(records: T[]): Promise<void>;
  /** At most this many records per flush call. */
  batchSize: number;
  /** How often the background writer flushes. */
  flushIntervalMs: number;
  /** Appends are refused (JournalFullError) while this many records wait for flushing (e.g. the database is down). */
  maxUnflushed: number;
}

/** The journal cannot take a record now; it may later (callers answer "unavailable, retry"). */
export class JournalUnavailableError extends Error {}

/** maxUnflushed records already wait for the database. */
export class JournalFullError extends JournalUnavailableError {}

/** Errors of a disk that refuses writes (full, over quota, file too large, read-only): not a bug, an outage. */
const STORE_REFUSALS = new Set(['ENOSPC', 'EDQUOT', 'EFBIG', 'EROFS']);

interface PendingRecord<T> {
  line: Buffer;
  record: T;
  done: (error?: unknown) => void;
}

interface Segment<T> {
  file: string;
  /** Written and synced, not yet flushed. */
  records: T[];
  /** Bytes written and synced: a failed group's partial write is cut back to this. */
  bytes: number;
  /** A failed group may have left part of a line that could not be cut: the next group starts with a newline. */
  torn: boolean;
}

const SEGMENT = /^(.+)-(\d+)-([0-9a-f]+)\.seg$/;
const NEWLINE = Buffer.from('\n');

export class Journal<T> {
  private current: { handle: fs.promises.FileHandle; segment: Segment<T> } | undefined;
  /** Sealed segments whose records still need flushing, oldest first. */
  private sealed: Segment<T>[] = [];
  private pending: PendingRecord<T>[] = [];
  private writing: Promise<void> | undefined;
  /** The group being written and synced, on the handle that was current when it began. */
  private inFlight: Promise<void> = Promise.resolve();
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unflushed = 0;
  private stopped = false;

  constructor(private readonly options: JournalOptions<T>) {}

  /**
   * Claims and flushes the segments dead processes left; returns their records. A segment whose
   * flush fails (the database is down) is kept, in order, for the background writer to retry;
   * `onError` hears each failed flush (the records stay journaled).
   */
  async start(onError: (error: unknown) => void = () => undefined): Promise<T[]> {
    await fs.promises.mkdir(this.options.dir, { recursive: true });
    const replayed: T[] = [];
    const left: { file: string; at: number }[] = [];
    for (const file of await fs.promises.readdir(this.options.dir)) {
      const match = SEGMENT.exec(file);
      if (!match || match[1] !== this.options.name || isAlive(Number(match[2]))) continue;
      const stat = await fs.promises.stat(path.join(this.options.dir, file)).catch(() => null);
      if (stat) left.push({ file, at: stat.mtimeMs });
    }
    // Oldest first: a process sealed its segments in order, and their last writes are in that order.
    left.sort((a, b) => a.at - b.at);
    for (const { file } of left) {
      const claimed = path.join(this.options.dir, this.segmentName());
      try {
        await fs.promises.rename(path.join(this.options.dir, file), claimed);
      } catch {
        continue; // another process claimed it first
      }
      const records = readRecords<T>(await fs.promises.readFile(claimed));
      replayed.push(...records);
      this.sealed.push({ file: claimed, records, bytes: 0, torn: false });
      this.unflushed += records.length;
    }
    await this.flushSealed().catch(onError);
    await this.openSegment();
    this.timer = setInterval(() => void this.flushNow().catch(onError), this.options.flushIntervalMs);
    this.timer.unref();
    return replayed;
  }

  /** Resolves once the record is on disk; refused while too many records wait for the database. */
  append(record: T): Promise<void> {
    if (this.stopped || !this.current) return Promise.reject(new Error('the journal is not running'));
    if (this.unflushed + this.pending.length >= this.options.maxUnflushed) return Promise.reject(new JournalFullError('journal full: the database is not keeping up'));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line: Buffer.from(`${JSON.stringify(record)}\n`), record, done: (error) => (error ? reject(error) : resolve()) });
      this.writing ??= this.writeLoop();
    });
  }

  /** How many records append takes now before refusing (JournalFullError). */
  get room(): number {
    return Math.max(0, this.options.maxUnflushed - this.unflushed - this.pending.length);
  }

  /** Records appended but not yet flushed. */
  get backlog(): number {
    return this.unflushed;
  }

  /** Seals the current segment and flushes every sealed one; at most one run at a time. */
  flushNow(): Promise<void> {
    this.flushing ??= this.flushSealed().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Stops appends, writes and flushes what is left; segments that could not be flushed stay for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.writing;
    await this.flushing;
    try {
      await this.flushSealed();
    } finally {
      await this.current?.handle.close();
      if (this.current && this.current.segment.records.length === 0) await fs.promises.unlink(this.current.segment.file).catch(() => undefined);
      this.current = undefined;
    }
  }

  /** Group commit: everything pending goes out in one write and one fdatasync; then the next group. */
  private async writeLoop(): Promise<void> {
    while (this.pending.length > 0 && this.current) {
      const group = this.pending;
      this.pending = [];
      const written = this.writeGroup(this.current, group);
      this.inFlight = written;
      await written;
    }
    this.writing = undefined;
  }

  /** One write and one fdatasync for the group, then its records belong to the segment; never rejects. */
  private async writeGroup({ handle, segment }: { handle: fs.promises.FileHandle; segment: Segment<T> }, group: PendingRecord<T>[]): Promise<void> {
    const lines = Buffer.concat(group.map((p) => p.line));
    const data = segment.torn ? Buffer.concat([NEWLINE, lines]) : lines;
    try {
      // A write to a nearly full disk can be short (no error): the rest is retried, and fails with ENOSPC.
      for (let offset = 0; offset < data.length; ) offset += (await handle.write(data, offset)).bytesWritten;
      await handle.datasync();
    } catch (error) {
      // Refused records leave the file, so a replay never stores what a caller was told failed.
      segment.torn = await handle.truncate(segment.bytes).then(
        () => false,
        () => true,
      );
      const refused = storeRefusal(error);
      for (const p of group) p.done(refused);
      return;
    }
    segment.bytes += data.length;
    segment.torn = false;
    for (const p of group) segment.records.push(p.record);
    this.unflushed += group.length;
    for (const p of group) p.done();
  }

  private async flushSealed(): Promise<void> {
    // Seal: new groups go to a new segment from the synchronous swap on; the group in flight on the
    // old handle finishes (and adds its records to the old segment) before that handle is closed.
    if (this.current && this.current.segment.records.length > 0) {
      const next = await this.openedSegment();
      const old = this.current;
      this.current = next;
      await this.inFlight;
      await old.handle.close();
      this.sealed.push(old.segment);
    }
    while (this.sealed.length > 0) {
      const segment = this.sealed[0];
      const records = segment.records;
      while (records.length > 0) {
        const batch = records.slice(0, this.options.batchSize);
        await this.options.flush(batch);
        records.splice(0, batch.length);
        this.unflushed -= batch.length;
      }
      await fs.promises.unlink(segment.file);
      this.sealed.shift();
    }
  }

  private async openSegment(): Promise<void> {
    this.current = await this.openedSegment();
  }

  private async openedSegment(): Promise<{ handle: fs.promises.FileHandle; segment: Segment<T> }> {
    const file = path.join(this.options.dir, this.segmentName());
    return { handle: await fs.promises.open(file, 'a'), segment: { file, records: [], bytes: 0, torn: false } };
  }

  private segmentName(): string {
    return `${this.options.name}-${process.pid}-${randomBytes(6).toString('hex')}.seg`;
  }
}

/** A disk that refuses writes becomes JournalUnavailableError naming only the code (answers carry it; no paths); anything else stays as it is. */
function storeRefusal(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined || !STORE_REFUSALS.has(code)) return error;
  return new JournalUnavailableError(`the journal's disk refuses writes (${code})`, { cause: error });
}

/** The complete lines of a segment; a torn line (the process died mid-write, or a refused write could not be cut back; never acknowledged) is dropped. */
export function readRecords<T>(content: Buffer): T[] {
  const records: T[] = [];
  for (const line of content.toString('utf8').split('\n')) {
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      // a torn line: never acknowledged
    }
  }
  return records;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

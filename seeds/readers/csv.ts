/**
 * A small RFC 4180 CSV parser that works on chunks, so a file of a million rows is read as a stream
 * and never held as one string. No npm dependency: the seed step must run on a bare checkout.
 *
 * Accepted: quoted fields with embedded commas, quotes ("" inside quotes) and line breaks; CRLF, LF or
 * a lone CR as record ends; a UTF-8 BOM at the start; a quote inside an unquoted field is kept as a
 * literal character (real exports do this). Rejected with file:line: an unterminated quoted field and
 * text after a closing quote. Blank lines are skipped, which means a one-column file cannot carry an
 * empty value; none of our layouts has one column.
 */
import { createReadStream } from 'node:fs';

/** A problem in an input file; the message starts with `file:line:` so a person can jump to it. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'DataFileError';
  }
}

/** Several bad rows reported at once, so a user fixes a file in one pass rather than one row per run. */
export class DataFileErrors extends Error {
  constructor(readonly errors: DataFileError[], readonly truncated: boolean) {
    super(
      `${errors.length}${truncated ? '+' : ''} bad row(s):\n` +
        errors.map((e) => `  ${e.message}`).join('\n') +
        (truncated ? '\n  ... (further errors not shown)' : ''),
    );
    this.name = 'DataFileErrors';
  }
}

export interface CsvRecord {
  /** 1-based physical line on which the record starts. */
  line: number;
  fields: string[];
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/**
 * Push text in, get complete records out. Keeps only the unfinished tail of the input between calls.
 * A record is emitted only once its terminating line break has been seen (or at `end()`), because
 * until then the last field could still grow.
 */
export class CsvParser {
  private pending = '';
  private line = 1;
  private started = false;

  constructor(private readonly source: string = '<input>') {}

  push(chunk: string): CsvRecord[] {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.pending = this.pending.length === 0 ? chunk : this.pending + chunk;
    return this.drain(false);
  }

  end(): CsvRecord[] {
    const records = this.drain(true);
    this.pending = '';
    return records;
  }

  /**
   * Parses as many whole records as `pending` holds. When a record is cut by the chunk boundary it is
   * re-scanned from its start on the next push; records are short, so that costs little, and it keeps
   * the parser free of per-character resumable state (which is what makes it fast).
   */
  private drain(final: boolean): CsvRecord[] {
    const s = this.pending;
    const n = s.length;
    const out: CsvRecord[] = [];
    let i = 0;
    let line = this.line;

    records: while (i < n) {
      const startLine = line;
      let extraLines = 0; // line breaks inside quoted fields
      const fields: string[] = [];
      let j = i;
      for (;;) {
        if (j < n && s.charCodeAt(j) === QUOTE) {
          let k = j + 1;
          let segStart = k;
          let value = '';
          for (;;) {
            const q = s.indexOf('"', k);
            if (q < 0) {
              if (final) throw new DataFileError(this.source, startLine, 'unterminated quoted field');
              break records;
            }
            if (q + 1 >= n && !final) break records; // cannot tell `"` from `""` yet
            if (s.charCodeAt(q + 1) === QUOTE) {
              value += s.slice(segStart, q + 1);
              k = q + 2;
              segStart = k;
              continue;
            }
            value += s.slice(segStart, q);
            j = q + 1;
            break;
          }
          extraLines += countLineBreaks(value);
          fields.push(value);
        } else {
          let k = j;
          while (k < n) {
            const c = s.charCodeAt(k);
            if (c === COMMA || c === CR || c === LF) break;
            k++;
          }
          if (k >= n && !final) break records;
          fields.push(s.slice(j, k));
          j = k;
        }

        if (j >= n) {
          // Only reachable when final: the last record has no line break.
          if (!isBlank(fields)) out.push({ line: startLine, fields });
          i = n;
          line = startLine + extraLines + 1;
          break records;
        }
        const c = s.charCodeAt(j);
        if (c === COMMA) {
          j++;
          continue;
        }
        if (c === CR) {
          if (j + 1 >= n && !final) break records; // a LF may follow in the next chunk
          j += s.charCodeAt(j + 1) === LF ? 2 : 1;
        } else if (c === LF) {
          j++;
        } else {
          throw new DataFileError(
            this.source,
            startLine + extraLines,
            `unexpected ${JSON.stringify(s[j])} after a closing quote (quotes inside a quoted field must be doubled)`,
          );
        }
        if (!isBlank(fields)) out.push({ line: startLine, fields });
        line = startLine + extraLines + 1;
        i = j;
        continue records;
      }
    }

    this.pending = i === 0 ? s : s.slice(i);
    this.line = line;
    return out;
  }
}

function isBlank(fields: string[]): boolean {
  return fields.length === 1 && fields[0] === '';
}

function countLineBreaks(value: string): number {
  let count = 0;
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt(k);
    if (c === LF) count++;
    else if (c === CR && value.charCodeAt(k + 1) !== LF) count++;
  }
  return count;
}

/** Parses a whole string; for tests and small inputs. */
export function parseCsv(text: string, source = '<input>'): CsvRecord[] {
  const parser = new CsvParser(source);
  return [...parser.push(text), ...parser.end()];
}

/**
 * Streams the records of a UTF-8 file, one batch per 64 KiB chunk. Batches, not single records,
 * because every level of async generator costs a promise round trip per item: per-record yields
 * through three layers made reading 100k ratings several times slower.
 */
export async function* readCsvBatches(file: string): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser(file);
  // With an encoding set, the stream decodes multi-byte characters split across chunks correctly.
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  for await (const chunk of stream as AsyncIterable<string>) {
    const records = parser.push(chunk);
    if (records.length > 0) yield records;
  }
  const rest = parser.end();
  if (rest.length > 0) yield rest;
}

/** Streams the records of a UTF-8 file one at a time. */
export async function* readCsvRecords(file: string): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvBatches(file)) yield* batch;
}

export interface CsvRow {
  line: number;
  /** Value of a column by header name; '' for an empty field or a column the header lacks. */
  get(column: string): string;
  /** Trimmed value of a column, or undefined when the column is absent or the field is empty. */
  optional(column: string): string | undefined;
}

class HeaderRow implements CsvRow {
  constructor(
    readonly line: number,
    private readonly fields: string[],
    private readonly columns: ReadonlyMap<string, number>,
  ) {}

  get(column: string): string {
    const i = this.columns.get(column);
    return i === undefined ? '' : this.fields[i];
  }

  optional(column: string): string | undefined {
    const i = this.columns.get(column);
    if (i === undefined) return undefined;
    const v = this.fields[i].trim();
    return v === '' ? undefined : v;
  }
}

export interface CsvTableOptions {
  /** Columns that must appear in the header. */
  required: readonly string[];
}

/**
 * Streams batches of rows of a file with a header line, addressed by column name so column order is
 * free. A row with a different number of fields than the header is an error: silently shifting
 * columns would load wrong data.
 */
export async function* readCsvTableBatches(file: string, options: CsvTableOptions): AsyncGenerator<CsvRow[]> {
  let columns: Map<string, number> | undefined;
  let width = 0;
  for await (const records of readCsvBatches(file)) {
    const rows: CsvRow[] = [];
    for (const record of records) {
      if (!columns) {
        const header = new Map(record.fields.map((name, i) => [name.trim(), i]));
        const missing = options.required.filter((c) => !header.has(c));
        if (missing.length > 0) {
          throw new DataFileError(file, record.line, `header lacks column(s) ${missing.join(', ')}; found ${record.fields.join(', ')}`);
        }
        columns = header;
        width = record.fields.length;
        continue;
      }
      if (record.fields.length !== width) {
        throw new DataFileError(file, record.line, `expected ${width} fields as in the header, found ${record.fields.length}`);
      }
      rows.push(new HeaderRow(record.line, record.fields, columns));
    }
    if (rows.length > 0) yield rows;
  }
  if (!columns) throw new DataFileError(file, 1, 'empty file: a header line is required');
}

/** Streams rows of a file with a header line one at a time; see readCsvTableBatches. */
export async function* readCsvTable(file: string, options: CsvTableOptions): AsyncGenerator<CsvRow> {
  for await (const batch of readCsvTableBatches(file, options)) yield* batch;
}

/**
 * CSV reading for the seed step, streamed through csv-parse so a file of a million rows is never held
 * as one string. This module adds what the readers need on top: records numbered by the physical line
 * they start on, header-addressed rows, and errors that start with `file:line:`.
 *
 * Accepted: quoted fields with embedded commas, quotes ("" inside quotes) and line breaks; CRLF, LF or
 * a lone CR as record ends; a UTF-8 BOM at the start; a stray quote inside a field is kept as a
 * literal character (real exports do this; csv-parse's relax_quotes). Rejected with file:line: an
 * unterminated quoted field. Blank lines are skipped, which means a one-column file cannot carry an
 * empty value; none of our layouts has one column.
 *
 * Older GroupLens files are not CSV but the same shape: `CsvFormat` gives their separator (tab, `|`,
 * `::`), their Latin-1 encoding, and no quoting (their titles hold bare quotes).
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { CsvError, Info, Options, parse } from 'csv-parse';
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

/** How a delimited file is written; the defaults are RFC 4180 CSV in UTF-8. */
export interface CsvFormat {
  /** Field separator, one or more characters; default ','. */
  delimiter?: string;
  /** Default 'utf8'; GroupLens's ml-100k and ml-1m files are 'latin1'. */
  encoding?: BufferEncoding;
  /** Whether `"` quotes fields; default true. */
  quoted?: boolean;
}

export interface CsvRecord {
  /** 1-based physical line on which the record starts. */
  line: number;
  fields: string[];
}

const PARSE_OPTIONS: Options = {
  bom: true,
  relax_quotes: true,
  // Field counts are checked against the header by readCsvTableBatches, with a message of our own.
  relax_column_count: true,
  skip_empty_lines: true,
  // Listed explicitly so a file may mix them, as the hand-written reader allowed; auto-detection would
  // fix on the first one it meets.
  record_delimiter: ['\r\n', '\n', '\r'],
};

/** Records per yielded batch: one promise round trip per batch instead of per record. */
const BATCH = 1024;

/**
 * Physical line numbers from csv-parse's count. It gives the line on which a record ends and counts
 * CR and LF inside a quoted field one line each, so a CRLF there counts twice; this subtracts the
 * record's own breaks and the CRLFs seen so far.
 */
class LineCounter {
  /** Line on which the last complete record ended, and csv-parse's empty-line count then. */
  lastLine = 0;
  private lastEmptyLines = 0;
  private doubleCounted = 0;

  record(fields: string[], context: Info): CsvRecord {
    let breaks = 0;
    let crlf = 0;
    for (const field of fields) {
      for (let k = 0; k < field.length; k++) {
        const c = field.charCodeAt(k);
        if (c === 10) breaks++;
        else if (c === 13) {
          breaks++;
          if (field.charCodeAt(k + 1) === 10) crlf++;
        }
      }
    }
    const line = context.lines - this.doubleCounted - breaks;
    this.doubleCounted += crlf;
    this.lastLine = context.lines - this.doubleCounted;
    this.lastEmptyLines = context.empty_lines;
    return { line, fields };
  }

  /** Where a record that is still open at `error` started: after the last one and the blank lines since. */
  openRecordLine(error: CsvError): number {
    const skipped = typeof error.empty_lines === 'number' ? error.empty_lines - this.lastEmptyLines : 0;
    return this.lastLine + 1 + skipped;
  }
}

/**
 * Streams the records of a source, in batches: every level of async generator costs a promise round
 * trip per item, and per-record yields through three layers made reading 100k ratings several times slower.
 */
async function* parseBatches(input: Readable, source: string, format: CsvFormat = {}): AsyncGenerator<CsvRecord[]> {
  // Lines are counted in on_record, inside the parser: records parsed in the chunk that fails are
  // dropped with the stream, and the error's line must still follow them.
  const lines = new LineCounter();
  const toRecord = (fields: string[], context: Info): CsvRecord => lines.record(fields, context);
  // csv-parse's typings tie on_record's result to the columns option; without columns it is emitted as is.
  const options: Options = { ...PARSE_OPTIONS, delimiter: format.delimiter ?? ',', quote: format.quoted === false ? false : '"' };
  const parser = input.pipe(parse({ ...options, on_record: toRecord as unknown as Options['on_record'] }));
  // A read error on the input does not travel through pipe(); hand it to the parser so the loop sees it.
  input.on('error', (error) => parser.destroy(error));
  let batch: CsvRecord[] = [];
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) {
      batch.push(record);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new DataFileError(source, lines.openRecordLine(error), 'unterminated quoted field');
    }
    if (error instanceof CsvError) throw new DataFileError(source, lines.openRecordLine(error), error.message);
    throw error;
  }
  if (batch.length > 0) yield batch;
}

/** Parses a whole string; for tests and small inputs. */
export async function parseCsv(text: string, source = '<input>', format: CsvFormat = {}): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const batch of parseBatches(Readable.from([text]), source, format)) records.push(...batch);
  return records;
}

/** Streams the records of a file (UTF-8 CSV unless `format` says otherwise) in batches. */
export function readCsvBatches(file: string, format: CsvFormat = {}): AsyncGenerator<CsvRecord[]> {
  return parseBatches(createReadStream(file, { highWaterMark: 1 << 16, encoding: format.encoding ?? 'utf8' }), file, format);
}

/** Streams the records of a file one at a time. */
export async function* readCsvRecords(file: string, format: CsvFormat = {}): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvBatches(file, format)) yield* batch;
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
  /** The file's columns in order when it has no header line (GroupLens's `u.data`, `ratings.dat`, ...). */
  columns?: readonly string[];
  format?: CsvFormat;
}

/**
 * Streams batches of rows of a file with a header line, addressed by column name so column order is
 * free. A row with a different number of fields than the header is an error: silently shifting
 * columns would load wrong data.
 */
export async function* readCsvTableBatches(file: string, options: CsvTableOptions): AsyncGenerator<CsvRow[]> {
  let columns: Map<string, number> | undefined = options.columns ? new Map(options.columns.map((name, i) => [name, i])) : undefined;
  let width = options.columns?.length ?? 0;
  let sawRecord = false;
  for await (const records of readCsvBatches(file, options.format)) {
    const rows: CsvRow[] = [];
    for (const record of records) {
      sawRecord = true;
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
        const expected = options.columns ? `${width} fields (${options.columns.join(', ')})` : `${width} fields as in the header`;
        throw new DataFileError(file, record.line, `expected ${expected}, found ${record.fields.length}`);
      }
      rows.push(new HeaderRow(record.line, record.fields, columns));
    }
    if (rows.length > 0) yield rows;
  }
  if (!sawRecord) throw new DataFileError(file, 1, options.columns ? 'empty file' : 'empty file: a header line is required');
}

/** Streams rows of a file with a header line one at a time; see readCsvTableBatches. */
export async function* readCsvTable(file: string, options: CsvTableOptions): AsyncGenerator<CsvRow> {
  for await (const batch of readCsvTableBatches(file, options)) yield* batch;
}

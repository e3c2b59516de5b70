import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileError, parseCsv, readCsvRecords, readCsvTable } from '../../../seeds/readers/csv';

const fieldsOf = async (text: string): Promise<string[][]> => (await parseCsv(text)).map((r) => r.fields);

describe('parseCsv', () => {
  it('splits plain fields and keeps empty ones, including a trailing empty field', async () => {
    expect(await fieldsOf('a,b,c\n1,,3\n4,5,\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
      ['4', '5', ''],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', async () => {
    const text = 'id,text\n1,"a, b"\n2,"say ""hi"""\n3,"line one\nline two"\n4,""\n';
    expect(await fieldsOf(text)).toEqual([
      ['id', 'text'],
      ['1', 'a, b'],
      ['2', 'say "hi"'],
      ['3', 'line one\nline two'],
      ['4', ''],
    ]);
  });

  it('treats CRLF and a lone CR as record ends and keeps CRLF inside quotes', async () => {
    expect(await fieldsOf('a,b\r\n1,"x\r\ny"\r\n2,z\r3,w')).toEqual([
      ['a', 'b'],
      ['1', 'x\r\ny'],
      ['2', 'z'],
      ['3', 'w'],
    ]);
    const records = await parseCsv('a,b\r\n1,"x\r\ny"\r\n2,z\r3,"u\nv"\n4,w');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4, 5, 7]);
  });

  it('reads a last record without a line break, strips a BOM and skips blank lines', async () => {
    expect(await fieldsOf('\uFEFFa,b\n\n1,2\n\n3,4')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps a quote inside an unquoted field literally', async () => {
    expect(await fieldsOf('5" screen,x\n')).toEqual([['5" screen', 'x']]);
  });

  it('keeps text after a closing quote as written, like a stray quote elsewhere', async () => {
    expect(await fieldsOf('a,b\n"x"y,z\n')).toEqual([
      ['a', 'b'],
      ['"x"y', 'z'],
    ]);
  });

  it('numbers records by the physical line they start on, counting breaks inside quotes', async () => {
    const records = await parseCsv('h\n"a\nb\nc"\nnext\n\nlast\n');
    expect(records.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'h'],
      [2, 'a\nb\nc'],
      [5, 'next'],
      [7, 'last'],
    ]);
  });

  it('rejects an unterminated quoted field with the line where it starts', async () => {
    await expect(parseCsv('a\n"open\nstill open\n', 'f.csv')).rejects.toThrow('f.csv:2: unterminated quoted field');
    await expect(parseCsv('a\n\n\n"open\n', 'f.csv')).rejects.toThrow('f.csv:4: unterminated quoted field');
    await expect(parseCsv('"open\n', 'f.csv')).rejects.toBeInstanceOf(DataFileError);
  });
});

describe('readCsvRecords', () => {
  it('gives the same records when records are cut by the read chunk boundary', async () => {
    const tricky = 'id,text\r\n1,"a,""b""\r\nc"\r\n2,plain\r\n3,"end"';
    const expected = [
      ['id', 'text'],
      ['1', 'a,"b"\r\nc'],
      ['2', 'plain'],
      ['3', 'end'],
    ];
    expect(await fieldsOf(tricky)).toEqual(expected);
    // Larger than the 64 KiB read chunk, so some records are cut at arbitrary places.
    const dir = mkdtempSync(join(tmpdir(), 'affinity-csv-'));
    try {
      const copies = Math.ceil((1 << 17) / tricky.length);
      const file = join(dir, 'tricky.csv');
      writeFileSync(file, Array.from({ length: copies }, () => tricky).join('\r\n'));
      const read: string[][] = [];
      for await (const record of readCsvRecords(file)) read.push(record.fields);
      expect(read).toEqual(Array.from({ length: copies }, () => expected).flat());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readCsvRecords and readCsvTable', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'affinity-csv-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a file larger than one read chunk with multi-byte characters and quoted breaks intact', async () => {
    const rows = 20_000;
    const lines = ['id,title'];
    for (let i = 0; i < rows; i++) lines.push(i % 7 === 0 ? `${i},"Cité ${i}\nsecond line, é"` : `${i},Café ${i} — ü`);
    const file = join(dir, 'big.csv');
    writeFileSync(file, lines.join('\n') + '\n', 'utf8');

    let count = 0;
    let lastLine = 0;
    const wrong: string[] = [];
    for await (const record of readCsvRecords(file)) {
      if (count > 0) {
        const i = count - 1;
        const expected = i % 7 === 0 ? `Cité ${i}\nsecond line, é` : `Café ${i} — ü`;
        if (record.fields[0] !== String(i) || record.fields[1] !== expected) wrong.push(JSON.stringify(record));
      }
      lastLine = record.line;
      count++;
    }
    expect(wrong).toEqual([]);
    expect(count).toBe(rows + 1);
    // Row i starts on line 2 + i plus one extra line for each earlier two-line row (every 7th).
    const last = rows - 1;
    expect(lastLine).toBe(2 + last + Math.ceil(last / 7));
  });

  it('addresses fields by header name in any column order', async () => {
    const file = join(dir, 't.csv');
    writeFileSync(file, 'b, a ,c\n2,1,\n');
    const rows = [];
    for await (const row of readCsvTable(file, { required: ['a', 'b'] })) rows.push(row);
    expect(rows).toHaveLength(1);
    expect(rows[0].line).toBe(2);
    expect(rows[0].get('a')).toBe('1');
    expect(rows[0].get('b')).toBe('2');
    expect(rows[0].optional('c')).toBeUndefined();
    expect(rows[0].optional('missing')).toBeUndefined();
  });

  it('names the missing header columns and the file', async () => {
    const file = join(dir, 'items.csv');
    writeFileSync(file, 'id,name\n1,x\n');
    const read = async (): Promise<void> => {
      for await (const _ of readCsvTable(file, { required: ['id', 'title'] })) void _;
    };
    await expect(read()).rejects.toThrow(`${file}:1: header lacks column(s) title`);
  });

  it('rejects a row whose field count differs from the header, with its line', async () => {
    const file = join(dir, 'x.csv');
    writeFileSync(file, 'a,b\n1,2\n1,2,3\n');
    const read = async (): Promise<void> => {
      for await (const _ of readCsvTable(file, { required: ['a'] })) void _;
    };
    await expect(read()).rejects.toThrow(`${file}:3: expected 2 fields as in the header, found 3`);
  });

  it('rejects an empty file', async () => {
    const file = join(dir, 'empty.csv');
    writeFileSync(file, '');
    const read = async (): Promise<void> => {
      for await (const _ of readCsvTable(file, { required: [] })) void _;
    };
    await expect(read()).rejects.toThrow('a header line is required');
  });

  it('reads a headerless Latin-1 file with a multi-character separator and bare quotes', async () => {
    const file = join(dir, 'movies.dat');
    writeFileSync(file, Buffer.from('73::Misérables, Les (1995)::Drama\n74::"Bambi" Meets Godzilla (1969)::Comedy\n', 'latin1'));
    const rows: string[][] = [];
    for await (const row of readCsvTable(file, { required: [], columns: ['id', 'title', 'genres'], format: { delimiter: '::', encoding: 'latin1', quoted: false } })) {
      rows.push([String(row.line), row.get('id'), row.get('title'), row.get('genres')]);
    }
    expect(rows).toEqual([
      ['1', '73', 'Misérables, Les (1995)', 'Drama'],
      ['2', '74', '"Bambi" Meets Godzilla (1969)', 'Comedy'],
    ]);
  });

  it('names the columns of a headerless file when a row has another number of fields', async () => {
    const file = join(dir, 'u.data');
    writeFileSync(file, '1\t2\t3\t4\n1\t2\n');
    const read = async (): Promise<void> => {
      for await (const _ of readCsvTable(file, { required: [], columns: ['user', 'item', 'rating', 'ts'], format: { delimiter: '\t' } })) void _;
    };
    await expect(read()).rejects.toThrow(`${file}:2: expected 4 fields (user, item, rating, ts), found 2`);
  });
});

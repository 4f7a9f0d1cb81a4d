import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CsvReader,
  type CsvRecord,
  csvLine,
  detectDelimiter,
} from '../../src/services/erp-import/pipeline/csv';
import {
  ImportFileError,
  JsonArrayReader,
  type JsonRecord,
  NdjsonReader,
} from '../../src/services/erp-import/pipeline/json-records';

/** Feeds `text` cut at `cuts` (as a stream would), answering the records and the unclosed quote if any. */
function readCsv(text: string, cuts: number[] = [], delimiter = ';') {
  const reader = new CsvReader(delimiter.charCodeAt(0));
  const out: CsvRecord[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    reader.push(text.slice(at, cut), (r) => out.push(r));
    at = cut;
  }
  reader.push(text.slice(at), (r) => out.push(r));
  const unclosed = reader.finish((r) => out.push(r));
  return { records: out, unclosed };
}

const cellsOf = (records: CsvRecord[]) => records.map((r) => [r.rowNo, r.cells]);

describe('CSV records', () => {
  it('reads quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF and a missing last line break', () => {
    const { records, unclosed } = readCsv('a;b;c\r\n1;"x;y";"say ""hi"""\r\n2;"two\nlines";\n\n3;;z');
    expect(unclosed).toBeNull();
    expect(cellsOf(records)).toEqual([
      [0, ['a', 'b', 'c']],
      [1, ['1', 'x;y', 'say "hi"']],
      [2, ['2', 'two\nlines', '']],
      [4, ['3', '', 'z']],
    ]);
    expect(records[1]?.raw).toBe('1;"x;y";"say ""hi"""');
  });

  it('gives the same records however the text is cut into pieces', () => {
    const text = 'sku;name;qty\r\nA;"semi;colon";1\nB;"multi\r\nline ""quoted""";2\n\nC;plain;3\n"D";"";\n';
    const whole = readCsv(text);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
        const cut = readCsv(text, cuts);
        expect(cellsOf(cut.records)).toEqual(cellsOf(whole.records));
        expect(cut.records.map((r) => r.raw)).toEqual(whole.records.map((r) => r.raw));
      }),
    );
  });

  it('a stray quote or text after a closing quote is a fault of that row only', () => {
    const { records } = readCsv('a;b\nx"y;1\n"q"z;2\nok;3\n');
    expect(records.map((r) => [r.rowNo, r.fault?.cell ?? null])).toEqual([
      [0, null],
      [1, 0],
      [2, 0],
      [3, null],
    ]);
    expect(records[3]?.cells).toEqual(['ok', '3']);
  });

  it('a quote never closed is reported with the row it opened in', () => {
    expect(readCsv('a;b\n1;2\n3;"open\n4;5\n').unclosed).toEqual({ unclosedQuoteAtRow: 2 });
  });

  it('finds the delimiter of the header, ignoring quoted ones', () => {
    expect(detectDelimiter('sku;name;qty\nx,y')).toEqual({ delimiter: ';', tabs: 0 });
    expect(detectDelimiter('sku,"a;b;c",qty')).toEqual({ delimiter: ',', tabs: 0 });
    expect(detectDelimiter('sku\tname')).toEqual({ delimiter: null, tabs: 1 });
    expect(csvLine(['a', 'b;c', 'say "x"', 'l\nm'], ';')).toBe('a;"b;c";"say ""x""";"l\nm"');
  });
});

function readJson(reader: NdjsonReader | JsonArrayReader, text: string, cuts: number[] = []) {
  const out: JsonRecord[] = [];
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    reader.push(text.slice(at, cut), (r) => out.push(r));
    at = cut;
  }
  reader.push(text.slice(at), (r) => out.push(r));
  reader.finish((r) => out.push(r));
  return out.map((r) => [r.rowNo, r.value, r.fault === null]);
}

describe('JSON records', () => {
  const array = ' [ {"sku":"A","n":[1,{"x":"]"}]}, {"sku":"B \\" ,"} ,\n 7, "s", null, {"bad": } ] ';

  it('reads an array element by element, whatever the cuts; a bad element is a fault of its row', () => {
    const whole = readJson(new JsonArrayReader(), array);
    expect(whole).toEqual([
      [1, { sku: 'A', n: [1, { x: ']' }] }, true],
      [2, { sku: 'B " ,' }, true],
      [3, 7, true],
      [4, 's', true],
      [5, null, true],
      [6, undefined, false],
    ]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: array.length }), { maxLength: 10 }), (cuts) => {
        expect(readJson(new JsonArrayReader(), array, cuts)).toEqual(whole);
      }),
    );
  });

  it('a broken array is an error of the file, naming the row', () => {
    expect(() => readJson(new JsonArrayReader(), '{"sku":"A"}')).toThrow(ImportFileError);
    expect(() => readJson(new JsonArrayReader(), '[{"a":1} {"b":2}]')).toThrow(/after element 1/);
    expect(() => readJson(new JsonArrayReader(), '[{"a":1},{"b":2}')).toThrow(/not closed/);
    expect(readJson(new JsonArrayReader(), '[]')).toEqual([]);
  });

  it('reads NDJSON line by line; line n is row n and blank lines count', () => {
    const text = '{"a":1}\r\n\n{"a":2}\nnope\n{"a":3}';
    expect(readJson(new NdjsonReader(), text, [3, 9, 10])).toEqual([
      [1, { a: 1 }, true],
      [3, { a: 2 }, true],
      [4, undefined, false],
      [5, { a: 3 }, true],
    ]);
  });
});

import { AppError, type FieldIssue } from '../../../domain/errors';
import { CsvReader, type CsvRecord, detectDelimiter } from './csv';
import { ImportFileError, JsonArrayReader, type JsonRecord } from './json-records';
import { MAX_HEADER_BYTES } from './limits';
import { checkColumnNames, type KindColumns } from './records';

export type ImportFormat = 'csv' | 'ndjson' | 'json';
export type ImportEncoding = 'utf-8' | 'windows-1252';

/** What the first bytes of an upload told: the CSV delimiter (null: one column, or not CSV). */
export interface Head {
  delimiter: ',' | ';' | null;
}

const refuse = (message: string, issues: FieldIssue[] = []): AppError =>
  new AppError('validation_failed', message, issues);
const atBody = (path: string, message: string): FieldIssue[] => [{ in: 'body', path, message }];

export const startsWithUtf8Bom = (b: Uint8Array) => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

/** The text of the first bytes; an upload that must be UTF-8 (JSON) and is not is refused here. */
function headText(format: ImportFormat, bytes: Uint8Array, charset: ImportEncoding | null): string {
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  if (format !== 'csv' || charset === 'utf-8' || startsWithUtf8Bom(bytes)) {
    try {
      return utf8.decode(bytes, { stream: true });
    } catch {
      throw refuse('The body is not UTF-8 text', atBody('body', 'send UTF-8 (JSON must be UTF-8)'));
    }
  }
  if (charset === 'windows-1252') return new TextDecoder('windows-1252').decode(bytes);
  try {
    return utf8.decode(bytes, { stream: true });
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

// a header names columns: any control character but tab and line breaks means this is not text
const BINARY = /(?![\t\n\r])\p{Cc}/u;

/**
 * Checks the start of an upload before anything is stored: 'more' until the CSV header line (or the first
 * JSON record) is complete, then the delimiter and the column names against the kind. Every refusal is a
 * 400 whose `errors[].path` names the column at fault (or `header` / `body`).
 */
export function checkHead(
  format: ImportFormat,
  cols: KindColumns,
  bytes: Uint8Array,
  ended: boolean,
  charset: ImportEncoding | null,
): Head | 'more' {
  const text = headText(format, bytes, charset).replace(/^\uFEFF/, '');
  if (ended && text.trim() === '')
    throw refuse('The body is empty', atBody('body', 'send a header and rows'));
  if (BINARY.test(text))
    throw refuse('The body is binary data, not text', atBody('body', 'send CSV, NDJSON or a JSON array'));
  const head =
    format === 'csv'
      ? csvHead(cols, text, ended)
      : format === 'ndjson'
        ? ndjsonHead(cols, text, ended)
        : jsonHead(cols, text, ended);
  if (head === 'more' && bytes.length > MAX_HEADER_BYTES)
    throw refuse(
      `The header or first record is longer than ${MAX_HEADER_BYTES} bytes`,
      atBody('body', 'too long'),
    );
  return head;
}

function csvHead(cols: KindColumns, text: string, ended: boolean): Head | 'more' {
  let quoted = false;
  let end = -1;
  for (let i = 0; i < text.length && end < 0; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (text[i] === '\n' && !quoted) end = i;
  }
  if (end < 0 && !ended) return 'more';
  const line = end < 0 ? text : text.slice(0, end);
  const { delimiter, tabs } = detectDelimiter(line);
  if (delimiter === null && tabs > 0)
    throw refuse(
      'The header is tab-separated; separate columns with a comma or a semicolon',
      atBody('header', 'tab-separated'),
    );
  let header: CsvRecord | undefined;
  const reader = new CsvReader((delimiter ?? ',').charCodeAt(0));
  reader.push(`${line}\n`, (r) => {
    header ??= r;
  });
  if (!header || header.fault || reader.finish(() => {}))
    throw refuse(
      'The header line cannot be read',
      atBody('header', header?.fault?.reason ?? 'unclosed quote'),
    );
  const glued = header.cells.filter((cell) => /[;,\t]/.test(cell));
  if (glued.length > 0)
    throw refuse(
      `The header names a column with a delimiter inside it: the file is not ${delimiter === ';' ? 'semicolon' : 'comma'}-separated as it seems`,
      glued.map((cell) => ({
        in: 'body',
        path: cell,
        message: 'wrong delimiter: one column holds several names',
      })),
    );
  const named = checkColumnNames(cols, header.cells);
  if (!named.ok) throw refuse('The header does not match the columns of this import', named.issues);
  return { delimiter };
}

function jsonKeys(cols: KindColumns, value: unknown, where: string): Head {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw refuse(`${where} is not a JSON object`, atBody('body', 'each record is a JSON object'));
  const named = checkColumnNames(cols, Object.keys(value));
  if (!named.ok) throw refuse(`${where} does not match the columns of this import`, named.issues);
  return { delimiter: null };
}

function ndjsonHead(cols: KindColumns, text: string, ended: boolean): Head | 'more' {
  const lines = text.split('\n');
  const complete = ended ? lines : lines.slice(0, -1);
  const first = complete.findIndex((l) => l.trim() !== '');
  if (first < 0) return ended ? jsonKeys(cols, undefined, 'The body') : 'more';
  let value: unknown;
  try {
    value = JSON.parse(complete[first] ?? '');
  } catch {
    throw refuse(`Line ${first + 1} is not JSON`, atBody('body', 'send one JSON object per line'));
  }
  return jsonKeys(cols, value, `Line ${first + 1}`);
}

function jsonHead(cols: KindColumns, text: string, ended: boolean): Head | 'more' {
  const reader = new JsonArrayReader();
  let first: JsonRecord | undefined;
  try {
    reader.push(text, (r) => {
      first ??= r;
    });
    if (!first && ended) reader.finish(() => {});
  } catch (err) {
    if (err instanceof ImportFileError)
      throw refuse(
        err.message,
        atBody(
          'body',
          text.trimStart().startsWith('{')
            ? 'send an array of objects, or NDJSON as application/x-ndjson'
            : 'send a JSON array of objects',
        ),
      );
    throw err;
  }
  if (!first) return ended ? { delimiter: null } : 'more';
  if (first.fault) throw refuse(`Element 1 of the array: ${first.fault}`, atBody('body', first.fault));
  return jsonKeys(cols, first.value, 'Element 1 of the array');
}

import type { MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { AppError } from '../domain/errors';
import {
  countFilledLines,
  parseOrderText,
  type RawLine,
  type Row,
  rowsToLines,
  textRows,
} from '../domain/quick-order/parse';
import { readXlsxRows, XlsxRefused } from '../domain/quick-order/xlsx';
import type { AppContext, AppEnv } from '../http/context';
import { validBody } from '../http/validate';
import { text } from './schemas';

/**
 * Reading what people paste or upload, for the routes that take it (quick order, list and part number
 * imports): `text/plain` or `text/csv`, JSON `{ "text": … }`, or `multipart/form-data` with a `file` (CSV or
 * XLSX). The size is bounded before this runs (http/middleware.ts); here: text that is not UTF-8 or holds
 * control characters (binary garbage) is a 400, an empty list a 400, more than `maxLines` lines a 413.
 */
export const PastedText = v.strictObject({ text: text({ max: 2_000_000, multiline: true }) });

const isJson = (c: AppContext) =>
  /^application\/(.+\+)?json\s*(;|$)/i.test(c.req.header('content-type') ?? '');

/** The JSON body's schema, checked (and documented) only when the body is JSON. */
export function whenJson<S extends v.GenericSchema>(schema: S): MiddlewareHandler<AppEnv> {
  const check = validBody(schema);
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => (isJson(c) ? check(c, next) : next());
  return Object.assign(middleware, check);
}

const CONTROL = /(?![\t\n\r])\p{Cc}|\uFFFD/u;
const XLSX_TYPES = /spreadsheetml|ms-excel|officedocument/i;

const badBody = (message: string, path = 'text') =>
  new AppError('validation_failed', message, [{ in: 'body', path, message }]);

function decodeText(bytes: Uint8Array, path: string): string {
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw badBody('The text is not UTF-8: send text, a CSV or an XLSX file', path);
  }
  if (CONTROL.test(decoded))
    throw badBody(
      'The text holds control characters (is it a binary file?): send text, a CSV or an XLSX file',
      path,
    );
  return decoded;
}

function bounded(lines: RawLine[], maxLines: number): RawLine[] {
  if (lines.length === 0) throw badBody('Nothing to read: the list has no lines with content');
  if (lines.length > maxLines)
    throw new AppError(
      'payload_too_large',
      `At most ${maxLines.toLocaleString('en')} lines per call; this has ${lines.length.toLocaleString('en')}`,
      [{ in: 'body', path: 'text', message: `${lines.length} lines sent, at most ${maxLines}` }],
    );
  return lines;
}

/** What was sent: text (a paste, a CSV) or the rows of a spreadsheet. */
export type Upload = { kind: 'text'; text: string } | { kind: 'rows'; rows: Row[] };

/** The body as text or spreadsheet rows, whatever form it came in (a zip bomb or garbage is a 400). */
export async function readUpload(c: AppContext): Promise<Upload> {
  const type = c.req.header('content-type') ?? '';
  if (isJson(c)) {
    const body = (c.req as unknown as { valid(target: 'json'): { text: string } }).valid('json');
    return { kind: 'text', text: body.text };
  }
  if (/^multipart\/form-data/i.test(type)) {
    const form = await c.req.formData().catch(() => {
      throw badBody('The form data cannot be read', 'file');
    });
    const file: unknown = form.get('file');
    if (!(file instanceof File)) throw badBody('Send the list as the form field "file"', 'file');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
    if (zip || XLSX_TYPES.test(file.type) || /\.xlsx$/i.test(file.name)) {
      try {
        return { kind: 'rows', rows: readXlsxRows(bytes) };
      } catch (err) {
        if (err instanceof XlsxRefused)
          throw badBody(`The spreadsheet cannot be read: ${err.message}`, 'file');
        throw err;
      }
    }
    return { kind: 'text', text: decodeText(bytes, 'file') };
  }
  return { kind: 'text', text: decodeText(new Uint8Array(await c.req.arrayBuffer()), 'text') };
}

/** Refuses more than `maxLines` filled lines or rows (413), counted before anything is parsed. */
export function checkLineCount(upload: Upload, maxLines: number): void {
  const filled =
    upload.kind === 'text'
      ? countFilledLines(upload.text)
      : upload.rows.filter((r) => r.cells.some((c) => c.trim() !== '')).length;
  if (filled === 0) bounded([], maxLines);
  // one more for a header row
  if (filled > maxLines + 1) bounded(new Array(filled), maxLines);
}

/** The rows of an upload (part numbers, list items): text split by its delimiter, or the sheet's rows. */
export async function readUploadRows(c: AppContext, maxLines: number): Promise<Row[]> {
  const upload = await readUpload(c);
  checkLineCount(upload, maxLines);
  return upload.kind === 'text' ? textRows(upload.text) : upload.rows;
}

function fromText(input: string, maxLines: number): RawLine[] {
  // counted before parsing: 5,000 lines are refused without the work of reading them
  const filled = countFilledLines(input);
  if (filled > maxLines) return bounded(new Array(filled), maxLines);
  return bounded(parseOrderText(input), maxLines);
}

function fromRows(rows: Row[], maxLines: number): RawLine[] {
  const filled = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (filled.length > maxLines + 1) return bounded(new Array(filled.length), maxLines);
  return bounded(rowsToLines(rows), maxLines);
}

/** The order lines of the request body, whatever form it came in. */
export async function readOrderLines(c: AppContext, maxLines: number): Promise<RawLine[]> {
  const upload = await readUpload(c);
  return upload.kind === 'text' ? fromText(upload.text, maxLines) : fromRows(upload.rows, maxLines);
}

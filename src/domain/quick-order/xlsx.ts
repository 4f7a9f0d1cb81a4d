import { XMLParser } from 'fast-xml-parser';
import type { Row } from './parse';
import { readEntry, ZipRefused, zipEntries } from './zip';

/**
 * The first worksheet of an XLSX workbook as rows of cell texts, read with bounds on everything: the ZIP
 * (entries, declared and actual inflated sizes: zip.ts), the XML (no DOCTYPE or entity declarations, so no
 * entity expansion), the rows and the columns kept. A formula cell gives its last computed value (what
 * the sheet shows); a merged range gives its value to every cell it covers (as it looks on screen).
 */
export const XLSX_LIMITS = { maxEntries: 1_000, maxEntryBytes: 8 * 1024 * 1024 };
const MAX_ROWS = 10_000;
const MAX_COLUMNS = 64;

export { ZipRefused as XlsxRefused };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ['row', 'c', 'si', 'r', 'sheet', 'Relationship', 'mergeCell'].includes(name),
});

type Node = Record<string, unknown>;
const asNode = (x: unknown): Node => (typeof x === 'object' && x !== null ? (x as Node) : {});
const asList = (x: unknown): Node[] =>
  Array.isArray(x) ? x.map(asNode) : x === undefined ? [] : [asNode(x)];
/** A text node: a string, or an element with attributes whose text is under `#text`. */
const textOf = (x: unknown): string =>
  typeof x === 'string'
    ? x
    : typeof x === 'number'
      ? String(x)
      : typeof asNode(x)['#text'] === 'string'
        ? String(asNode(x)['#text'])
        : '';
/** `<si>` or `<is>`: plain `<t>`, or rich text runs `<r><t>`. */
const richText = (node: Node): string =>
  node.t !== undefined
    ? textOf(node.t)
    : asList(node.r)
        .map((r) => textOf(r.t))
        .join('');

function xmlOf(bytes: Uint8Array, name: string): Node {
  const text = new TextDecoder().decode(bytes);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new ZipRefused(`${name} declares a DOCTYPE or entities`);
  try {
    return asNode(parser.parse(text));
  } catch {
    throw new ZipRefused(`${name} is not valid XML`);
  }
}

/** "BC12" → column 54 (0-based), or -1. */
function columnOf(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? '';
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return letters ? n - 1 : -1;
}
const rowOf = (ref: string): number => Number(/\d+$/.exec(ref)?.[0] ?? 0);

function firstSheetPath(read: (name: string) => Node | null): string {
  const workbook = read('xl/workbook.xml');
  const rels = read('xl/_rels/workbook.xml.rels');
  const first = asList(asNode(asNode(workbook?.workbook).sheets).sheet)[0];
  const rid = first ? String(first['@r:id'] ?? '') : '';
  const rel = asList(asNode(rels?.Relationships).Relationship).find((r) => r['@Id'] === rid);
  const target = rel ? String(rel['@Target'] ?? '') : '';
  if (!target) return 'xl/worksheets/sheet1.xml';
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

/** The rows of the first worksheet, numbered as the sheet numbers them; throws `XlsxRefused` with the reason. */
export function readXlsxRows(bytes: Uint8Array): Row[] {
  const entries = new Map(zipEntries(bytes, XLSX_LIMITS).map((e) => [e.name, e]));
  const read = (name: string): Node | null => {
    const entry = entries.get(name);
    return entry ? xmlOf(readEntry(bytes, entry, XLSX_LIMITS), name) : null;
  };
  const sheetPath = firstSheetPath(read);
  const sheet = read(sheetPath);
  if (!sheet) throw new ZipRefused('no worksheet in this workbook');
  const strings = asList(asNode(read('xl/sharedStrings.xml')?.sst).si).map(richText);
  const worksheet = asNode(sheet.worksheet);
  const grid = new Map<number, string[]>();
  const rows = asList(asNode(worksheet.sheetData).row).slice(0, MAX_ROWS);
  for (const [i, row] of rows.entries()) {
    const number = Number(row['@r'] ?? i + 1) || i + 1;
    const cells: string[] = [];
    for (const [j, c] of asList(row.c).entries()) {
      const column = c['@r'] ? columnOf(String(c['@r'])) : j;
      if (column < 0 || column >= MAX_COLUMNS) continue;
      const type = String(c['@t'] ?? 'n');
      const raw = textOf(c.v);
      cells[column] =
        type === 's'
          ? (strings[Number(raw)] ?? '')
          : type === 'inlineStr'
            ? richText(asNode(c.is))
            : type === 'b'
              ? raw === '1'
                ? 'TRUE'
                : 'FALSE'
              : raw;
    }
    // control characters never belong in a reference or a note (and break logs and CSV exports)
    grid.set(
      number,
      Array.from(cells, (x) => (x ?? '').replace(/[\p{Cc}\p{Cs}]/gu, ' ')),
    );
  }
  fillMerged(grid, asList(asNode(worksheet.mergeCells).mergeCell));
  return [...grid.entries()]
    .sort(([a], [b]) => a - b)
    .map(([line, cells]) => ({ line, cells, text: cells.join('\t') }));
}

/** A merged range shows its first cell's value in every cell: so does the row read here. */
function fillMerged(grid: Map<number, string[]>, merged: Node[]): void {
  for (const m of merged.slice(0, MAX_ROWS)) {
    const [from = '', to = ''] = String(m['@ref'] ?? '').split(':');
    const [c0, r0, c1, r1] = [columnOf(from), rowOf(from), columnOf(to), rowOf(to)];
    if (c0 < 0 || c1 < c0 || r1 < r0 || r1 - r0 > MAX_ROWS) continue;
    const value = grid.get(r0)?.[c0] ?? '';
    for (let r = r0; r <= r1; r++) {
      const cells = grid.get(r);
      if (!cells) continue;
      for (let c = c0; c <= Math.min(c1, MAX_COLUMNS - 1); c++) if (!cells[c]) cells[c] = value;
    }
  }
}

/**
 * What people paste or upload as an order list, turned into lines: a reference, a quantity as typed and a
 * note, each with its line number and original text. Pure; what a line means is decided later (resolve.ts).
 *
 * Accepted: lines copied from a spreadsheet (tab separated), CSV with commas or semicolons (quoted fields,
 * with or without a header row), "SKU qty [note]", "qty x SKU [note]", "SKU;qty;note", and JSON lines
 * (`{"sku": "…", "quantity": 3, "note": "…"}`). Blank lines are skipped but counted in the numbering.
 */
export interface RawLine {
  /** 1-based line (or spreadsheet row) number in the input */
  line: number;
  /** the line as sent, cut at ORIGINAL_TEXT_LENGTH */
  text: string;
  reference: string;
  /** the quantity as typed; null when the line gives none */
  quantity: string | null;
  note: string | null;
}

export interface Row {
  line: number;
  cells: string[];
  text: string;
}

export const ORIGINAL_TEXT_LENGTH = 300;
const NOTE_LENGTH = 500;
const REFERENCE_LENGTH = 64;
const SAMPLE_LINES = 50;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const plain = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

const REFERENCE_HEADERS = new Set([
  ...['sku', 'ref', 'reference', 'references', 'article', 'artikel', 'artikelnummer', 'item', 'itemnumber'],
  ...['code', 'partnumber', 'part', 'pn', 'product', 'produit', 'codearticle', 'refarticle', 'bestellnummer'],
]);
const QUANTITY_HEADERS = new Set([
  'qty',
  'qte',
  'quantity',
  'quantite',
  'quantities',
  'menge',
  'anzahl',
  'qt',
  'nb',
]);
const NOTE_HEADERS = new Set([
  'note',
  'notes',
  'comment',
  'comments',
  'commentaire',
  'bemerkung',
  'remark',
  'memo',
]);

/** Columns of the reference, quantity and note: from a header row, or the first three. */
interface Columns {
  reference: number;
  quantity: number;
  note: number;
}

function headerColumns(cells: readonly string[]): Columns | null {
  const names = cells.map(plain);
  const reference = names.findIndex((n) => REFERENCE_HEADERS.has(n));
  const quantity = names.findIndex((n) => QUANTITY_HEADERS.has(n));
  if (reference < 0 && quantity < 0) return null;
  const note = names.findIndex((n) => NOTE_HEADERS.has(n));
  return {
    reference: reference >= 0 ? reference : quantity === 0 ? 1 : 0,
    quantity: quantity >= 0 ? quantity : -1,
    note,
  };
}

/** Splits one delimited line; double quotes group (and `""` escapes) as in CSV. */
export function splitDelimited(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

const unquotedCount = (line: string, ch: string) => splitDelimited(line, ch).length - 1;

/** Tab if any line has one, else `;` or `,` when most lines have it outside quotes, else none (spaces). */
function delimiterOf(lines: readonly string[]): string | null {
  const sample = lines.slice(0, SAMPLE_LINES);
  if (sample.some((l) => l.includes('\t'))) return '\t';
  const half = Math.max(1, Math.ceil(sample.length / 2));
  if (sample.filter((l) => unquotedCount(l, ';') > 0).length >= half) return ';';
  if (sample.filter((l) => unquotedCount(l, ',') > 0).length >= half) return ',';
  return null;
}

const QTY_FIRST = /^(\d+(?:[.,]\d+)?)\s*[xX×*]\s*(\S+)(?:\s+(.*))?$/;

/** "SKU qty note" or "qty x SKU note", split on spaces. */
function spaced(text: string): Pick<RawLine, 'reference' | 'quantity' | 'note'> {
  const first = QTY_FIRST.exec(text);
  if (first) return { quantity: first[1] ?? null, reference: first[2] ?? '', note: first[3] ?? null };
  const [reference = '', quantity, ...rest] = text.split(/\s+/);
  return { reference, quantity: quantity ?? null, note: rest.length > 0 ? rest.join(' ') : null };
}

const JSON_KEYS = {
  reference: ['sku', 'reference', 'ref', 'partNumber'],
  quantity: ['quantity', 'qty'],
  note: ['note', 'comment'],
};

/** A JSON line: `{"sku": …, "quantity": …, "note": …}`; anything else in braces is a line without a reference. */
function jsonLine(text: string): Pick<RawLine, 'reference' | 'quantity' | 'note'> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { reference: '', quantity: null, note: null };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { reference: '', quantity: null, note: null };
  const o = value as Record<string, unknown>;
  const pick = (keys: string[]) => {
    const found = keys.map((k) => o[k]).find((x) => typeof x === 'string' || typeof x === 'number');
    return found === undefined ? null : String(found);
  };
  return {
    reference: pick(JSON_KEYS.reference) ?? '',
    quantity: pick(JSON_KEYS.quantity),
    note: pick(JSON_KEYS.note),
  };
}

function tidy(line: number, text: string, parts: Pick<RawLine, 'reference' | 'quantity' | 'note'>): RawLine {
  const quantity = parts.quantity?.trim() || null;
  const note = parts.note?.trim() || null;
  return {
    line,
    text: clip(text, ORIGINAL_TEXT_LENGTH),
    reference: clip(parts.reference.trim(), REFERENCE_LENGTH + 1),
    quantity: quantity === null ? null : clip(quantity, 40),
    note: note === null ? null : clip(note, NOTE_LENGTH),
  };
}

/** Lines of cells (delimited text or a spreadsheet), the first one a header when it names its columns. */
export function rowsToLines(rows: readonly Row[]): RawLine[] {
  const filled = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const first = filled[0];
  const header = first ? headerColumns(first.cells) : null;
  const columns: Columns = header ?? { reference: 0, quantity: 1, note: 2 };
  const body = header ? filled.slice(1) : filled;
  return body.map((r) =>
    tidy(r.line, r.text, {
      reference: r.cells[columns.reference] ?? '',
      quantity: columns.quantity >= 0 ? (r.cells[columns.quantity] ?? null) : null,
      note: columns.note >= 0 ? (r.cells[columns.note] ?? null) : null,
    }),
  );
}

/** Lines of a paste or a CSV file. */
export function parseOrderText(input: string): RawLine[] {
  const physical = input.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const numbered = physical.map((text, i) => ({ line: i + 1, text })).filter((l) => l.text.trim() !== '');
  const isJson = (t: string) => /^\s*\{.*\}\s*$/.test(t);
  const json = numbered.filter((l) => isJson(l.text));
  const other = numbered.filter((l) => !isJson(l.text));
  const delimiter = delimiterOf(other.map((l) => l.text));
  const fromOther =
    delimiter === null
      ? other.map((l) => tidy(l.line, l.text, spaced(l.text.trim())))
      : rowsToLines(
          other.map((l) => ({ line: l.line, text: l.text, cells: splitDelimited(l.text, delimiter) })),
        );
  const fromJson = json.map((l) => tidy(l.line, l.text, jsonLine(l.text.trim())));
  return [...fromOther, ...fromJson].sort((a, b) => a.line - b.line);
}

/** A delimited text (tab, semicolon or comma; spaces when none) as rows of cells, blank lines left out. */
export function textRows(input: string): Row[] {
  const numbered = input
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((text, i) => ({ line: i + 1, text }))
    .filter((l) => l.text.trim() !== '');
  const delimiter = delimiterOf(numbered.map((l) => l.text));
  return numbered.map((l) => ({
    line: l.line,
    text: clip(l.text, ORIGINAL_TEXT_LENGTH),
    cells: delimiter === null ? l.text.trim().split(/\s+/) : splitDelimited(l.text, delimiter),
  }));
}

/** How many non-blank lines a text holds, counted before parsing (the 413 check needs no parse). */
export function countFilledLines(input: string): number {
  let n = 0;
  for (const line of input.split(/\r\n|\n|\r/)) if (line.trim() !== '') n++;
  return n;
}

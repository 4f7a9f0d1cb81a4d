import { type CharReader, type CharWriter, CorruptPart, stringChars, uintChars } from './chars';

/**
 * SKUs inside a block, each written against the one before it (the first against ""):
 *   0–123  the shared prefix length × 4 + the rest's length (0–3), then the rest (ASCII)
 *   124    the shared prefix length and the rest, in full
 *   125    the previous SKU with its trailing number one higher, same width ("AB-000123" → "AB-000124")
 *   126    the same, higher by the number that follows
 * Catalogs number their SKUs, so most SKUs of a block cost one char.
 */
const COMPACT_LIMIT = 124;
const ESCAPED = 124;
const NEXT = 125;
const PLUS = 126;
const MAX_DIGITS = 15;

const isAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
};

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

export const commonPrefix = (a: string, b: string): number => {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
};

/** Where the trailing run of digits starts, or −1 when there is none (or it is too long to add to). */
function digitsFrom(s: string): number {
  let i = s.length;
  while (i > 0 && isDigit(s.charCodeAt(i - 1))) i--;
  return i === s.length || s.length - i > MAX_DIGITS ? -1 : i;
}

const bumped = (previous: string, from: number, by: number): string | null => {
  const width = previous.length - from;
  const next = String(Number(previous.slice(from)) + by).padStart(width, '0');
  return next.length === width ? previous.slice(0, from) + next : null;
};

/** How much higher `sku`'s trailing number is than `previous`'s, when that is all that differs. */
function increment(previous: string, sku: string): number | null {
  if (previous.length !== sku.length || previous.length === 0) return null;
  const from = digitsFrom(previous);
  if (from < 0 || digitsFrom(sku) > from || commonPrefix(previous, sku) < from) return null;
  const by = Number(sku.slice(from)) - Number(previous.slice(from));
  return by >= 1 ? by : null;
}

type Form =
  | { kind: 'next' }
  | { kind: 'plus'; by: number }
  | { kind: 'compact'; shared: number; rest: string }
  | { kind: 'escaped'; shared: number; rest: string };

function formOf(previous: string, sku: string): Form {
  const by = increment(previous, sku);
  if (by === 1) return { kind: 'next' };
  const shared = commonPrefix(previous, sku);
  const rest = sku.slice(shared);
  const candidates: Form[] = [{ kind: 'escaped', shared, rest }];
  if (shared * 4 + rest.length < COMPACT_LIMIT && rest.length <= 3 && isAscii(rest))
    candidates.push({ kind: 'compact', shared, rest });
  if (by !== null) candidates.push({ kind: 'plus', by });
  return candidates.reduce((best, f) => (charsOf(f) < charsOf(best) ? f : best));
}

function charsOf(form: Form): number {
  switch (form.kind) {
    case 'next':
      return 1;
    case 'plus':
      return 1 + uintChars(form.by);
    case 'compact':
      return 1 + form.rest.length;
    case 'escaped':
      return 1 + uintChars(form.shared) + stringChars(form.rest);
  }
}

export const skuChars = (previous: string, sku: string): number => charsOf(formOf(previous, sku));

export function writeSku(out: CharWriter, previous: string, sku: string): void {
  const form = formOf(previous, sku);
  switch (form.kind) {
    case 'next':
      out.code(NEXT);
      return;
    case 'plus':
      out.code(PLUS);
      out.uint(form.by);
      return;
    case 'compact':
      out.code(form.shared * 4 + form.rest.length);
      for (let i = 0; i < form.rest.length; i++) out.code(form.rest.charCodeAt(i));
      return;
    case 'escaped':
      out.code(ESCAPED);
      out.uint(form.shared);
      out.string(form.rest);
  }
}

/**
 * The next SKU of a block: the SKU itself, or by how much the previous SKU's trailing number goes up
 * (so a reader walking a block can compare numbers instead of building every SKU it passes).
 */
export function readSkuChange(r: CharReader, previous: string): string | number {
  const head = r.code();
  if (head < COMPACT_LIMIT) {
    const shared = head >> 2;
    const end = r.pos + (head & 3);
    if (shared > previous.length || end > r.text.length) throw new CorruptPart('SKU');
    const rest = r.text.substring(r.pos, end);
    r.pos = end;
    return previous.slice(0, shared) + rest;
  }
  if (head === ESCAPED) {
    const shared = r.uint();
    if (shared > previous.length) throw new CorruptPart('SKU prefix');
    return previous.slice(0, shared) + r.string();
  }
  if (head > PLUS) throw new CorruptPart('SKU form');
  const by = head === NEXT ? 1 : r.uint();
  if (by < 1) throw new CorruptPart('SKU increment');
  return by;
}

/** Whether a record's first char says its SKU is the previous one's with a higher trailing number. */
export const isIncrement = (code: number): boolean => code === NEXT || code === PLUS;

/** `sku` with its trailing number higher by `by` (same width), as an increment record says. */
export function incremented(sku: string, by: number): string {
  const from = digitsFrom(sku);
  const next = from < 0 ? null : bumped(sku, from, by);
  if (next === null) throw new CorruptPart('SKU increment');
  return next;
}

export function readSku(r: CharReader, previous: string): string {
  const change = readSkuChange(r, previous);
  return typeof change === 'number' ? incremented(previous, change) : change;
}

/**
 * How a walk compares SKUs with the one it looks for while only their trailing numbers change: when the
 * SKU passed has the wanted SKU's length and everything before its trailing number, the numbers decide.
 */
export function numericTarget(current: string, wanted: string): { base: number; target: number } | null {
  if (current.length !== wanted.length) return null;
  const from = digitsFrom(current);
  if (from < 0 || digitsFrom(wanted) > from || commonPrefix(current, wanted) < from) return null;
  return { base: Number(current.slice(from)), target: Number(wanted.slice(from)) };
}

/** A replacement SKU is usually a neighbour of the product's own: written as what it shares with it. */
export function relatedChars(own: string, related: string): number {
  const shared = commonPrefix(own, related);
  return uintChars(shared) + stringChars(related.slice(shared));
}

export function writeRelated(out: CharWriter, own: string, related: string): void {
  const shared = commonPrefix(own, related);
  out.uint(shared);
  out.string(related.slice(shared));
}

export function readRelated(r: CharReader, own: string): string {
  const shared = r.uint();
  if (shared > own.length) throw new CorruptPart('related SKU');
  return own.slice(0, shared) + r.string();
}

export function skipRelated(r: CharReader): void {
  r.skipInt();
  r.skipString();
}

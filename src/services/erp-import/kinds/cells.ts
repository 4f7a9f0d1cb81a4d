import type { ImportRecord, RowParse } from '../kind-spec';

/**
 * Reading the cells of one import record, pure. CSV cells arrive as text, JSON values with their type;
 * every reader takes both. A blank cell (empty or spaces only), a JSON `null` and a missing key are all
 * "absent". Column names are matched case-insensitively, surrounding spaces ignored, like CSV headers.
 *
 * The first cell at fault is the row's reject (its column as the record named it, and why).
 */

// C0/C1 controls and lone surrogates; multi-line text keeps tab, line feed and carriage return
const CONTROL = /[\p{Cc}\p{Cs}]/u;
const CONTROL_IN_MULTILINE = /(?![\t\n\r])\p{Cc}|\p{Cs}/u;
const INTEGER = /^[+-]?\d{1,16}$/;
// one separator, dot or comma, and no thousands grouping: "1234.50", "1234,50", "1234"
const DECIMAL = /^(\d{1,15})(?:[.,](\d{1,9}))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)$/;
const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);
const DAY_MS = 86_400_000;

/** Epoch ms of a calendar date at 00:00 UTC, or null when it is not a real date. */
function utcDay(y: number, m: number, d: number): number | null {
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? ms : null;
}

/** ISO-8601 instant with an offset (Z, +02:00, +0200) → epoch ms; fractions below the millisecond are cut. */
export function parseInstant(text: string): number | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const day = utcDay(Number(y), Number(mo), Number(d));
  const [hours, minutes, seconds] = [Number(h), Number(mi), Number(s ?? 0)];
  if (day === null || hours > 23 || minutes > 59 || seconds > 59) return null;
  let offset = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || 0)];
    if (oh > 18 || om > 59) return null;
    offset = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = Number((frac ?? '').slice(0, 3).padEnd(3, '0'));
  return day + ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms - offset;
}

/**
 * A non-negative decimal amount in its canonical text ("12.5" for "12,50"): the currency, which decides
 * how many decimals are allowed, is known only when the row is applied (`minorUnits`).
 */
export type DecimalText = string;

/** "12.5" → 1250 for a currency of exponent 2; null when it has more decimals than the currency. */
export function minorUnits(amount: DecimalText, exponent: number): number | null {
  const [units = '0', fraction = ''] = amount.split('.');
  if (fraction.length > exponent) return null;
  const minor = Number(units) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

interface TextOptions {
  max: number;
  multiline?: boolean;
}

/** Reads the cells of one record; after the first failure every reader answers a placeholder. */
export class Cells {
  private readonly byName = new Map<string, string>();
  private failure: { column: string; reason: string } | null = null;

  constructor(private readonly record: ImportRecord) {
    for (const key of Object.keys(record)) this.byName.set(key.trim().toLowerCase(), key);
  }

  /** The reject of the first cell at fault, or the parsed row. */
  result<R>(row: () => R): RowParse<R> {
    return this.failure ? { ok: false, ...this.failure } : { ok: true, row: row() };
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  /** Whether the record names the column at all (a CSV header or a JSON key), blank or not. */
  has(column: string): boolean {
    return this.byName.has(column.toLowerCase());
  }

  fail(column: string, reason: string): void {
    this.failure ??= { column: this.byName.get(column.toLowerCase()) ?? column, reason };
  }

  /** The value as received: undefined when absent or blank. */
  value(column: string): unknown {
    return this.raw(column);
  }

  private raw(column: string): unknown {
    const key = this.byName.get(column.toLowerCase());
    const value = key === undefined ? undefined : this.record[key];
    if (value === null || value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() === '') return undefined;
    return value;
  }

  private textOf(column: string, value: unknown, options: TextOptions): string | null {
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') {
      this.fail(column, 'must be text');
      return null;
    }
    const text = value.trim();
    if ((options.multiline ? CONTROL_IN_MULTILINE : CONTROL).test(text))
      this.fail(column, 'must not contain control characters');
    else if (text.length > options.max) this.fail(column, `at most ${options.max} characters`);
    else return text;
    return null;
  }

  requiredText(column: string, options: TextOptions): string {
    const value = this.raw(column);
    if (value === undefined) {
      this.fail(column, 'required');
      return '';
    }
    return this.textOf(column, value, options) ?? '';
  }

  optionalText(column: string, options: TextOptions): string | null {
    const value = this.raw(column);
    return value === undefined ? null : this.textOf(column, value, options);
  }

  integer(column: string, range: { min: number; max: number; fallback?: number }): number {
    const value = this.raw(column);
    const fallback = range.fallback ?? range.min;
    if (value === undefined) {
      if (range.fallback === undefined) this.fail(column, 'required');
      return fallback;
    }
    const n =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && INTEGER.test(value.trim())
          ? Number(value)
          : NaN;
    if (!Number.isSafeInteger(n)) this.fail(column, 'must be a whole number');
    else if (n < range.min || n > range.max)
      this.fail(column, `must be between ${range.min} and ${range.max.toLocaleString('en')}`);
    else return n;
    return fallback;
  }

  /**
   * A non-negative decimal: "12.50" or "12,50" (decimal comma) or a JSON number. One separator at most
   * and no thousands grouping, so "1,234" means 1.234 and "1.234,50" is refused rather than guessed.
   */
  decimal(column: string, required: boolean): DecimalText | null {
    const value = this.raw(column);
    if (value === undefined) {
      if (required) this.fail(column, 'required');
      return null;
    }
    const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
    const m = typeof text === 'string' ? DECIMAL.exec(text.trim()) : null;
    if (!m) {
      this.fail(
        column,
        'must be a non-negative decimal with at most one separator and no thousands grouping, e.g. 1234.50 or 1234,50',
      );
      return null;
    }
    const fraction = (m[2] ?? '').replace(/0+$/, '');
    const units = String(Number(m[1]));
    return fraction ? `${units}.${fraction}` : units;
  }

  boolean(column: string, fallback: boolean): boolean {
    const value = this.raw(column);
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    const text = String(value).trim().toLowerCase();
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
    this.fail(column, 'must be true or false');
    return fallback;
  }

  choice<T extends string>(column: string, values: readonly T[], fallback?: T): T {
    const value = this.raw(column);
    const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
    const found = values.find((v) => v === text);
    if (found) return found;
    if (value === undefined && fallback !== undefined) return fallback;
    this.fail(column, value === undefined ? 'required' : `must be one of ${values.join(', ')}`);
    return fallback ?? (values[0] as T);
  }

  /** A calendar date, YYYY-MM-DD. */
  date(column: string): string | null {
    const value = this.raw(column);
    if (value === undefined) return null;
    const text = typeof value === 'string' ? value.trim() : '';
    const m = DATE.exec(text);
    if (m && utcDay(Number(m[1]), Number(m[2]), Number(m[3])) !== null) return text;
    this.fail(column, 'must be a date, YYYY-MM-DD');
    return null;
  }

  /**
   * A bound of a validity window as epoch ms: an instant with its offset, or a date (UTC). A date as the
   * end of a window includes that day (the window ends at the next midnight UTC), as ERPs mean "valid to".
   */
  windowBound(column: string, end: boolean): number | null {
    const value = this.raw(column);
    if (value === undefined) return null;
    const text = typeof value === 'string' ? value.trim() : '';
    const day = DATE.exec(text);
    const ms = day ? utcDay(Number(day[1]), Number(day[2]), Number(day[3])) : parseInstant(text);
    if (ms === null) {
      this.fail(column, 'must be a date (YYYY-MM-DD) or an ISO-8601 instant with its offset');
      return null;
    }
    return day && end ? ms + DAY_MS : ms;
  }

  /**
   * The ERP's version of the record: a sequence number (whole, ≥ 0) or an ISO-8601 instant with its offset
   * (`updatedAt`), as epoch ms. One ERP should keep to one of the two per kind: they are compared as numbers.
   */
  version(column = 'version'): number {
    const value = this.raw(column);
    if (value === undefined) {
      this.fail(column, 'required');
      return 0;
    }
    if (typeof value === 'number') {
      if (Number.isSafeInteger(value) && value >= 0) return value;
    } else if (typeof value === 'string') {
      const text = value.trim();
      if (/^\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
      const instant = parseInstant(text);
      if (instant !== null && instant >= 0) return instant;
    }
    this.fail(column, 'must be a whole number ≥ 0 or an ISO-8601 instant with its offset');
    return 0;
  }
}

export const cellsOf = (record: ImportRecord) => new Cells(record);

import * as v from 'valibot';
import { ALL_PERMISSIONS } from '../domain/permissions';
import { MAX_QUANTITY } from '../domain/pricing/engine';

// C0 controls, DEL, C1 controls and lone surrogates (a lone surrogate is not a character: a JSON body can
// carry one as "\ud800", and it breaks UTF-8 encoders downstream).
// (\p{Cc} is exactly U+0000–U+001F and U+007F–U+009F)
const CONTROL = /[\p{Cc}\p{Cs}]/u;
// the same, except tab, line feed and carriage return
const CONTROL_IN_MULTILINE = /(?![\t\n\r])\p{Cc}|\p{Cs}/u;

export const withoutControlCharacters = (multiline = false) =>
  v.check<string, string>(
    (value) => !(multiline ? CONTROL_IN_MULTILINE : CONTROL).test(value),
    multiline
      ? 'must not contain control characters (tab and line breaks are fine)'
      : 'must not contain control characters or line breaks',
  );

interface TextOptions {
  max: number;
  /** default 1: an empty (or all-blank) value is refused */
  min?: number;
  /** comments, notes, descriptions: tab and line breaks allowed */
  multiline?: boolean;
}

/**
 * Every free-text parameter of the API — query strings, path segments, bodies — is built here: trimmed,
 * bounded, and refused (400 naming the field) when it holds a control character or a lone surrogate.
 * Such characters are never typed by a person; they break full-text queries, logs and CSV exports and
 * hide text from whoever reads it later.
 */
export const text = ({ max, min = 1, multiline = false }: TextOptions) =>
  v.pipe(
    v.string(),
    v.trim(),
    withoutControlCharacters(multiline),
    v.minLength(min, min === 1 ? 'must not be empty' : `at least ${min} characters`),
    v.maxLength(max),
  );

/** Text taken exactly as sent (passwords: leading and trailing spaces are part of them). */
export const untrimmedText = ({ max, min = 1 }: Omit<TextOptions, 'multiline'>) =>
  v.pipe(
    v.string(),
    withoutControlCharacters(),
    v.minLength(min, min === 1 ? 'must not be empty' : `at least ${min} characters`),
    v.maxLength(max),
  );

export const IdSchema = v.pipe(v.string(), v.regex(/^[a-z]+_[0-9a-z_]{1,64}$/, 'not a valid id'));
export const IdParam = v.strictObject({ id: IdSchema });
/** A cart id, or `current`: the caller's current cart, created on first use. */
export const CartIdSchema = v.union([v.literal('current'), IdSchema]);
export const CartParam = v.strictObject({ id: CartIdSchema });
export const EmailSchema = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.email('not a valid email'),
  v.maxLength(254),
);
export const NameSchema = text({ max: 200 });
export const CountrySchema = v.pipe(
  v.string(),
  v.regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 country code, e.g. FR'),
);
export const CurrencySchema = v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'ISO 4217 currency code, e.g. EUR'));
/** The lifecycle of configuration records that are archived rather than deleted. */
export const StatusSchema = v.picklist(['active', 'archived']);
export const PermissionSchema = v.picklist(ALL_PERMISSIONS, 'unknown permission');
export const PasswordSchema = untrimmedText({ min: 8, max: 200 });
export const QuantitySchema = v.pipe(
  v.number('a number'),
  v.integer('a whole number of units'),
  v.minValue(1, 'at least 1'),
  v.maxValue(MAX_QUANTITY, `at most ${MAX_QUANTITY.toLocaleString('en')}`),
);
/** A SKU and a quantity, as carts take them and prices answer them. */
export const LineInputSchema = v.strictObject({
  sku: text({ max: 64 }),
  quantity: QuantitySchema,
});
/** A line note ("pour le chantier Dupont"): one line of text, kept from cart to order. */
export const NoteSchema = text({ max: 500 });
/** A cart, list or quick-order line as a buyer sends it: a SKU, a quantity and an optional note. */
export const NotedLineSchema = v.strictObject({
  sku: text({ max: 64 }),
  quantity: QuantitySchema,
  note: v.optional(v.nullable(NoteSchema)),
});
export const MoneyMinorSchema = v.pipe(
  v.number(),
  v.integer('minor units are integers'),
  v.minValue(0),
  v.maxValue(1e12),
);

/** PATCH bodies: every field of `entries` optional, unknown fields rejected, and at least one field present. */
export function patchOf<E extends v.ObjectEntries>(entries: E) {
  return v.pipe(
    v.partial(v.strictObject(entries)),
    v.check((o) => Object.keys(o).length > 0, 'send at least one field to change'),
  );
}

/** One approval an order waits for, as checkout, its preview and the approval requests answer it. */
export const ApprovalStepSchema = v.object({
  key: v.string(),
  reason: v.string(),
  policyId: v.nullable(v.string()),
  role: v.nullable(v.string()),
  userIds: v.array(v.string()),
  required: v.number(),
});

/** Array items that must not repeat: a repeat is a 400 on the repeating element (`roleIds.2`), not a 409. */
export const distinctItems = <T>(message = 'named more than once') =>
  v.checkItems<T[], string>((item, index, all) => all.indexOf(item) === index, message);

// ── Dates ──────────────────────────────────────────────────────────────────────────────────────────────
// Every date or instant the API takes goes through these: real calendar dates only (2026-02-30 is refused,
// not rolled over to March), years within what a business document can mean, windows in order.

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
const YEARS = `a year from ${MIN_YEAR} to ${MAX_YEAR}`;
export const DAY_MS = 86_400_000;

function isCalendarDate(ymd: string): boolean {
  const [y = Number.NaN, m = Number.NaN, d = Number.NaN] = ymd.split('-').map(Number);
  const back = new Date(Date.UTC(y, m - 1, d));
  // Date.UTC maps years 0-99 to 1900-1999; the year bound refuses those anyway
  return back.getUTCMonth() === m - 1 && back.getUTCDate() === d;
}
const withinYears = (s: string): boolean => {
  const year = Number(s.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
};

/** Epoch milliseconds (supplier-side validity windows), within the same years. */
export const EpochMsSchema = v.pipe(
  v.number(),
  v.integer('epoch milliseconds'),
  v.minValue(Date.UTC(MIN_YEAR, 0, 1), `epoch milliseconds, ${YEARS}`),
  v.maxValue(Date.UTC(MAX_YEAR + 1, 0, 1) - 1, `epoch milliseconds, ${YEARS}`),
);

/** `YYYY-MM-DD`, a real calendar date, years 2000–2100. */
export const CalendarDateSchema = v.pipe(
  v.string(),
  v.isoDate('a date as YYYY-MM-DD'),
  v.check(isCalendarDate, 'not a calendar date'),
  v.check(withinYears, YEARS),
);

/** An ISO 8601 instant with its offset (`2026-11-22T10:00:00Z`), a real calendar date, years 2000–2100 → epoch ms. */
export const InstantSchema = v.pipe(
  v.string(),
  v.isoTimestamp('an ISO 8601 timestamp with its offset, e.g. 2026-11-22T10:00:00Z'),
  v.check((s) => isCalendarDate(s.slice(0, 10)), 'not a calendar date'),
  v.check(withinYears, YEARS),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'write the offset as Z, +02:00 or +0200'),
  v.transform((s) => Date.parse(s)),
);

/**
 * A window of two instant fields of an object, reported on its end field: the end after the start
 * (`strict`), or not before it (filters, where from = to is one instant), and at most `maxMs` long.
 * Either field may be absent (an open filter); then there is nothing to compare.
 */
export function instantWindow<T extends object>(
  start: keyof T & string,
  end: keyof T & string,
  options: { strict: boolean; maxMs?: number },
) {
  return v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const fields = dataset.value as Record<string, unknown>;
    const from = fields[start];
    const to = fields[end];
    if (typeof from !== 'number' || typeof to !== 'number') return;
    const message = (options.strict ? to <= from : to < from)
      ? `must be ${options.strict ? 'after' : 'on or after'} ${start}`
      : options.maxMs !== undefined && to - from > options.maxMs
        ? `at most ${Math.round(options.maxMs / DAY_MS)} days after ${start}`
        : null;
    if (message)
      addIssue({
        message,
        path: [{ type: 'object', origin: 'value', input: fields, key: end, value: to }],
      });
  });
}

// ── Per-user period caps ───────────────────────────────────────────────────────────────────────────────

export const PeriodLimitPeriodSchema = v.picklist(['day', 'week', 'month'], 'day, week or month');

/** `periodLimitMinor` and `periodLimitPeriod` travel together: both set, or both null (or both absent). */
export const periodLimitPair = <T extends object>() =>
  v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const o = dataset.value as Record<string, unknown>;
    const minor = o.periodLimitMinor;
    const period = o.periodLimitPeriod;
    if (minor === undefined && period === undefined) return;
    const missing =
      period === undefined || (period === null && minor !== null)
        ? 'periodLimitPeriod'
        : minor === undefined || (minor === null && period !== null)
          ? 'periodLimitMinor'
          : null;
    if (missing)
      addIssue({
        message: 'periodLimitMinor and periodLimitPeriod are set together, or both null',
        path: [{ type: 'object', origin: 'value', input: o, key: missing, value: o[missing] }],
      });
  });

import * as v from 'valibot';
import { ALL_PERMISSIONS } from '../domain/permissions';

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
export const PermissionSchema = v.picklist(ALL_PERMISSIONS, 'unknown permission');
export const PasswordSchema = untrimmedText({ min: 8, max: 200 });
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

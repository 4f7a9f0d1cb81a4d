import * as v from 'valibot';
import { AppError } from '../domain/errors';

/** Opaque keyset cursors: base64url of a small JSON object, validated on the way back in. */
export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

export function decodeCursor<S extends v.GenericSchema>(
  schema: S,
  cursor: string | undefined,
): v.InferOutput<S> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
    const json = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(
      Uint8Array.from(binary, (c) => c.charCodeAt(0)),
    );
    return v.parse(schema, JSON.parse(json));
  } catch {
    throw new AppError('validation_failed', 'The cursor is not valid', [
      { in: 'query', path: 'cursor', message: 'Use the nextCursor value of a previous page, unchanged' },
    ]);
  }
}

export const LimitSchema = v.optional(
  v.pipe(v.string(), v.toNumber(), v.integer('limit must be an integer'), v.minValue(1), v.maxValue(200)),
  '50',
);

/** The query parameters of every keyset-paged list, spread into its query schema. */
export const PageParams = { limit: LimitSchema, cursor: v.optional(v.string()) };

/** The answer of every keyset-paged list: what `keysetPage` returns. */
export const pageOf = <S extends v.GenericSchema>(item: S) =>
  v.object({ items: v.array(item), nextCursor: v.nullable(v.string()) });

/**
 * A page from rows fetched with `limit + 1`: the extra row only says that more exist. The cursor is the
 * encoded key of the last row kept.
 */
export function keysetPage<T>(rows: readonly T[], limit: number, cursorOf: (last: T) => unknown) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

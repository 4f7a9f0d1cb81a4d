import * as v from 'valibot';
import { SEARCH_INDEX_VERSION } from '../../lib/kv-keys';

/** What the pointer names: the current generation and how to read it (written to KV last, copied to SQL). */
export const SearchPointerSchema = v.object({
  v: v.literal(SEARCH_INDEX_VERSION),
  generation: v.pipe(v.number(), v.integer()),
  builtAt: v.number(),
  docCount: v.number(),
  bytes: v.number(),
  parts: v.pipe(v.number(), v.integer(), v.minValue(1)),
});
export type SearchPointer = v.InferOutput<typeof SearchPointerSchema>;

/** The encoding a stored pointer was written in, null when there is none or it is unreadable. */
export function pointerVersion(text: string | null): number | null {
  if (text === null) return null;
  try {
    const parsed = v.safeParse(v.object({ v: v.number() }), JSON.parse(text));
    return parsed.success ? parsed.output.v : null;
  } catch {
    return null;
  }
}

/** A pointer as stored in SQL, when it is of the current encoding. */
export function parsePointer(text: string | null): SearchPointer | null {
  if (text === null) return null;
  try {
    const parsed = v.safeParse(SearchPointerSchema, JSON.parse(text));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

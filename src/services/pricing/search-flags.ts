import { CorruptPart } from '../../domain/pricing/chars';
import type { IndexPointer } from '../../domain/pricing/codec';
import { SearchFlags } from '../../domain/pricing/search-flags';
import { ByteLru } from '../../lib/byte-lru';
import { kvKeys } from '../../lib/kv-keys';
import { log } from '../../lib/log';
import { KV_CACHE_TTL_SECONDS } from './reader';

/**
 * Opened search flags values by KV key (a generation never changes, so they never go stale), least
 * recently used out past SEARCH_FLAGS_CACHE_BYTES: a value is its KV text (about 2–5 bytes a product, about
 * 100 KB for 50,000), so this holds dozens of customers beside the price part cache. A generation without
 * the value (built before it existed, or a damaged one) is remembered as such for a few bytes.
 */
export const SEARCH_FLAGS_CACHE_BYTES = 4 * 1024 * 1024;
const ABSENT_BYTES = 64;
const cache = new ByteLru<SearchFlags | 'absent'>(SEARCH_FLAGS_CACHE_BYTES, (value) =>
  value === 'absent' ? ABSENT_BYTES : value.bytes,
);

export const clearSearchFlagsCache = () => cache.clear();

/**
 * The search flags of a pointer's generation, or null when that generation has none (the caller reads the
 * entries instead). A value whose product count differs from the pointer's is not trusted either.
 */
export async function readSearchFlags(kv: KVNamespace, pointer: IndexPointer): Promise<SearchFlags | null> {
  const key = kvKeys.priceIndexSearchFlags(pointer.fingerprint, pointer.generation);
  const hit = cache.get(key);
  if (hit !== undefined) return hit === 'absent' ? null : hit;
  const text = await kv.get(key, { type: 'text', cacheTtl: KV_CACHE_TTL_SECONDS });
  const opened = text === null ? null : openChecked(key, text, pointer.productCount);
  cache.set(key, opened ?? 'absent');
  return opened;
}

function openChecked(key: string, text: string, productCount: number): SearchFlags | null {
  try {
    const opened = SearchFlags.open(text);
    if (opened.count === productCount) return opened;
    log('error', 'search flags disagree with their pointer', { key, count: opened.count, productCount });
  } catch (err) {
    if (!(err instanceof CorruptPart || err instanceof RangeError)) throw err;
    log('error', 'search flags unreadable', { key, message: err.message });
  }
  return null;
}

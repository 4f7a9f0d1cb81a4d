import * as v from 'valibot';
import {
  decodePart,
  type IndexPart,
  type IndexPointer,
  PointerSchema,
  partOf,
} from '../../domain/pricing/codec';
import type { CatalogEntry } from '../../domain/pricing/evaluate';
import { kvKeys } from '../../lib/kv-keys';
import { log } from '../../lib/log';
import type { PricingDeps } from './deps';
import { enqueueBuilds } from './queue';

/**
 * The read side of the price index. Two caches sit in front of KV:
 * - the pointer, per isolate, for POINTER_CACHE_MS, and at the KV edge for KV_CACHE_TTL_SECONDS;
 * - decoded parts, per isolate, keyed by generation (a generation never changes, so they never go stale;
 *   an LRU bound keeps memory in check).
 * Staleness bound after an input change: queue delivery + build time + POINTER_CACHE_MS +
 * KV_CACHE_TTL_SECONDS (+ KV's own propagation between locations in production). See docs/pricing.md.
 */
export const POINTER_CACHE_MS = 10_000;
export const KV_CACHE_TTL_SECONDS = 30;
// a customer whose first index is being built should switch to it soon after it lands
const MISSING_POINTER_CACHE_MS = 2_000;
const MAX_CACHED_PRODUCTS = 200_000;
const BULK_GET_LIMIT = 100;
const REBUILD_REQUEST_INTERVAL_MS = 30_000;

const pointers = new Map<string, { pointer: IndexPointer | null; fetchedAt: number }>();
const parts = new Map<string, IndexPart>();
let cachedProducts = 0;
const rebuildRequested = new Map<string, number>();

/** Forgets every cached pointer and part of this isolate (tests, and a bench scenario for cold reads). */
export function clearIsolateCache(): void {
  pointers.clear();
  parts.clear();
  cachedProducts = 0;
  rebuildRequested.clear();
}

function remember(key: string, part: IndexPart): void {
  parts.set(key, part);
  cachedProducts += part.size;
  for (const [oldest, value] of parts) {
    if (cachedProducts <= MAX_CACHED_PRODUCTS) break;
    parts.delete(oldest);
    cachedProducts -= value.size;
  }
}

/** The current pointer of an index (isolate cache, then KV), or null before its first build. */
export async function readPointer(
  kv: KVNamespace,
  fingerprint: string,
  now: number,
): Promise<IndexPointer | null> {
  const cached = pointers.get(fingerprint);
  const ttl = cached?.pointer ? POINTER_CACHE_MS : MISSING_POINTER_CACHE_MS;
  if (cached && now - cached.fetchedAt < ttl) return cached.pointer;
  const raw = await kv.get(kvKeys.priceIndexPointer(fingerprint), {
    type: 'json',
    cacheTtl: KV_CACHE_TTL_SECONDS,
  });
  const parsed = v.safeParse(PointerSchema, raw);
  const pointer = parsed.success ? parsed.output : null;
  pointers.set(fingerprint, { pointer, fetchedAt: now });
  return pointer;
}

export type IndexLookup =
  | { hit: true; generation: number; pointer: IndexPointer; entries: Map<string, CatalogEntry | null> }
  | { hit: false; why: 'no_index' | 'expired' | 'part_missing' };

/**
 * The entries of some SKUs from the current generation (null for a SKU the customer cannot see or that
 * does not exist), or a miss that the caller answers from SQL. A miss asks for a rebuild (at most every
 * 30 s per isolate and fingerprint; the consumer ignores requests for an index that is already current).
 */
export async function lookupEntries(
  deps: PricingDeps,
  fingerprint: string,
  skus: readonly string[],
  now: number,
): Promise<IndexLookup> {
  const pointer = await readPointer(deps.kv, fingerprint, now);
  if (!pointer) return miss(deps, fingerprint, 'no_index', now);
  if (pointer.validUntil !== null && pointer.validUntil <= now)
    return miss(deps, fingerprint, 'expired', now);
  const wanted = new Map<string, number>();
  for (const sku of skus) wanted.set(sku, partOf(pointer, sku));
  const keyOf = (part: number) => kvKeys.priceIndexPart(fingerprint, pointer.generation, part);
  const missing = [...new Set(wanted.values())].map(keyOf).filter((k) => !parts.has(k));
  for (let i = 0; i < missing.length; i += BULK_GET_LIMIT) {
    const found = await deps.kv.get(missing.slice(i, i + BULK_GET_LIMIT), {
      type: 'text',
      cacheTtl: KV_CACHE_TTL_SECONDS,
    });
    for (const [key, text] of found) {
      if (text === null) return miss(deps, fingerprint, 'part_missing', now);
      try {
        remember(key, decodePart(text));
      } catch (err) {
        log('error', 'price index part unreadable', {
          key,
          message: err instanceof Error ? err.message : String(err),
        });
        return miss(deps, fingerprint, 'part_missing', now);
      }
    }
  }
  const entries = new Map<string, CatalogEntry | null>();
  for (const [sku, part] of wanted) {
    const decoded = parts.get(keyOf(part));
    if (!decoded) return miss(deps, fingerprint, 'part_missing', now);
    entries.set(sku, decoded.get(sku));
  }
  return { hit: true, generation: pointer.generation, pointer, entries };
}

async function miss(
  deps: PricingDeps,
  fingerprint: string,
  why: 'no_index' | 'expired' | 'part_missing',
  now: number,
): Promise<IndexLookup> {
  const last = rebuildRequested.get(fingerprint);
  if (last === undefined || now - last >= REBUILD_REQUEST_INTERVAL_MS) {
    rebuildRequested.set(fingerprint, now);
    await enqueueBuilds(deps.queue, [fingerprint], `read miss: ${why}`);
  }
  // a pointer naming parts that are gone must not be trusted for the next reads either
  if (why === 'part_missing') pointers.delete(fingerprint);
  return { hit: false, why };
}

import * as v from 'valibot';
import { IndexPart, type IndexPointer, PointerSchema, partOf } from '../../domain/pricing/codec';
import type { CatalogEntry } from '../../domain/pricing/evaluate';
import { ByteLru } from '../../lib/byte-lru';
import { kvKeys } from '../../lib/kv-keys';
import { log } from '../../lib/log';
import type { PricingDeps } from './deps';
import { enqueueBuilds } from './queue';

/**
 * The read side of the price index. Two caches sit in front of KV:
 * - the pointer, per isolate, for POINTER_CACHE_MS, and at the KV edge for KV_CACHE_TTL_SECONDS;
 * - opened parts, per isolate, keyed by their KV key (a generation never changes, so they never go stale),
 *   in a least-recently-used cache of PART_CACHE_BYTES: a customer whose parts are in use keeps them
 *   however many other customers the isolate serves in between.
 * Staleness bound after an input change: queue delivery + build time + POINTER_CACHE_MS +
 * KV_CACHE_TTL_SECONDS (+ KV's own propagation between locations in production). See docs/pricing.md.
 */
export const POINTER_CACHE_MS = 10_000;
export const KV_CACHE_TTL_SECONDS = 30;
// a customer whose first index is being built should switch to it soon after it lands
export const MISSING_POINTER_CACHE_MS = 2_000;
/**
 * A quarter of the isolate's 128 MB: parts are text (one byte a char) plus the entries decoded from them
 * (ENTRY_BYTES each). A 50,000-product index is about 0.35 MB per layout, so this holds the indexes of
 * dozens of customers, and leaves the rest to requests, the other caches and the runtime.
 */
export const PART_CACHE_BYTES = 32 * 1024 * 1024;
const BULK_GET_LIMIT = 100;
const REBUILD_REQUEST_INTERVAL_MS = 30_000;

const pointers = new Map<string, { pointer: IndexPointer | null; fetchedAt: number }>();
/** Opened parts by KV key; exported so tests and the benchmark can look at it and shrink it. */
export const partCache = new ByteLru<IndexPart>(PART_CACHE_BYTES, (part) => part.bytes);
const rebuildRequested = new Map<string, number>();

/**
 * Generations this isolate asked for after a write it made itself (an ERP fast path): until the pointer
 * names one at least as new, this isolate answers those fingerprints from SQL, so the write shows on its
 * very next read. The mark is dropped when the generation lands, or after PENDING_GENERATION_MS (by then
 * the sweep has rebuilt a lost build; other isolates follow the ordinary staleness bound all along).
 */
export const PENDING_GENERATION_MS = 5 * 60_000;
const pendingGenerations = new Map<string, { generation: number; since: number }>();

export function awaitGeneration(fingerprint: string, generation: number, now: number): void {
  const held = pendingGenerations.get(fingerprint);
  if (!held || held.generation < generation) pendingGenerations.set(fingerprint, { generation, since: now });
}

function pendingGeneration(fingerprint: string, now: number): number | undefined {
  const held = pendingGenerations.get(fingerprint);
  if (held && (now - held.since > PENDING_GENERATION_MS || now < held.since))
    pendingGenerations.delete(fingerprint);
  return pendingGenerations.get(fingerprint)?.generation;
}

/** Forgets every cached pointer and part of this isolate (tests, and a bench scenario for cold reads). */
export function clearIsolateCache(): void {
  pointers.clear();
  partCache.clear();
  rebuildRequested.clear();
  pendingGenerations.clear();
}

/**
 * The current pointer of an index (isolate cache, then KV), or null before its first build. While a newer
 * generation is awaited (`awaited`), a cached pointer older than it is kept only as long as a missing one.
 */
export async function readPointer(
  kv: KVNamespace,
  fingerprint: string,
  now: number,
  awaited?: number,
): Promise<IndexPointer | null> {
  const cached = pointers.get(fingerprint);
  const current = cached?.pointer && (awaited === undefined || cached.pointer.generation >= awaited);
  const ttl = current ? POINTER_CACHE_MS : MISSING_POINTER_CACHE_MS;
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

/**
 * The pointer a lookup would read from now, or null when it would answer from SQL instead (no index yet,
 * past its validUntil, or this isolate awaits a newer generation). Asks for nothing: a reader that falls
 * back to `customerEntries` gets the rebuild request there.
 */
export async function usablePointer(
  deps: PricingDeps,
  fingerprint: string,
  now: number,
): Promise<IndexPointer | null> {
  const awaited = pendingGeneration(fingerprint, now);
  const pointer = await readPointer(deps.kv, fingerprint, now, awaited);
  if (!pointer || (awaited !== undefined && pointer.generation < awaited)) return null;
  return pointer.validUntil !== null && pointer.validUntil <= now ? null : pointer;
}

export type IndexLookup =
  | { hit: true; generation: number; pointer: IndexPointer; entries: Map<string, CatalogEntry | null> }
  | { hit: false; why: 'no_index' | 'expired' | 'part_missing' | 'awaiting_generation' };

/** The KV keys of a pointer's parts, by part number: built once per pointer, not per SKU. */
const keysByPointer = new WeakMap<IndexPointer, { parts: string[]; wide: string[] }>();

function keysOf(pointer: IndexPointer): { parts: string[]; wide: string[] } {
  let keys = keysByPointer.get(pointer);
  if (!keys) {
    const { fingerprint, generation } = pointer;
    keys = {
      parts: pointer.parts.map((_, i) => kvKeys.priceIndexPart(fingerprint, generation, i)),
      wide: pointer.wide.map((_, i) => kvKeys.priceIndexWidePart(fingerprint, generation, i)),
    };
    keysByPointer.set(pointer, keys);
  }
  return keys;
}

/**
 * Which KV keys to read for the SKUs whose parts are not cached in either layout: the layout that needs
 * fewer keys (the small parts on a tie: fewer bytes). A few SKUs, or SKUs next to each other, take a small
 * part each; a page of scattered SKUs takes the wide parts, which it would nearly all touch either way.
 */
function keysToRead(part: readonly string[], wide: readonly string[]): string[] {
  const parts = new Set<string>();
  const wides = new Set<string>();
  for (let i = 0; i < part.length; i++) {
    const [p, w] = [part[i] ?? '', wide[i] ?? ''];
    if (partCache.peek(p) || partCache.peek(w)) continue;
    parts.add(p);
    wides.add(w);
  }
  return [...(wides.size < parts.size ? wides : parts)];
}

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
  const awaited = pendingGeneration(fingerprint, now);
  const pointer = await readPointer(deps.kv, fingerprint, now, awaited);
  if (!pointer) return miss(deps, fingerprint, 'no_index', now);
  // this isolate changed the index's inputs itself: SQL answers until the new generation is out
  if (awaited !== undefined && pointer.generation < awaited)
    return { hit: false, why: 'awaiting_generation' };
  if (awaited !== undefined) pendingGenerations.delete(fingerprint);
  if (pointer.validUntil !== null && pointer.validUntil <= now)
    return miss(deps, fingerprint, 'expired', now);
  const keys = keysOf(pointer);
  const part = skus.map((sku) => keys.parts[partOf(pointer.parts, sku)] ?? '');
  const wide = skus.map((sku) => keys.wide[partOf(pointer.wide, sku)] ?? '');
  const missing = keysToRead(part, wide);
  // what this lookup read, whether or not the cache keeps it (a small budget, many parts at once)
  const fetched = new Map<string, IndexPart>();
  for (let i = 0; i < missing.length; i += BULK_GET_LIMIT) {
    const found = await deps.kv.get(missing.slice(i, i + BULK_GET_LIMIT), {
      type: 'text',
      cacheTtl: KV_CACHE_TTL_SECONDS,
    });
    for (const [key, text] of found) {
      if (text === null) return miss(deps, fingerprint, 'part_missing', now);
      try {
        const opened = IndexPart.open(text);
        fetched.set(key, opened);
        partCache.set(key, opened);
      } catch (err) {
        log('error', 'price index part unreadable', { key, message: describe(err) });
        return miss(deps, fingerprint, 'part_missing', now);
      }
    }
  }
  const entries = new Map<string, CatalogEntry | null>();
  const used = new Set<string>();
  for (let i = 0; i < skus.length; i++) {
    const sku = skus[i] ?? '';
    const [small, large] = [part[i] ?? '', wide[i] ?? ''];
    const key = partCache.peek(small) || fetched.has(small) ? small : large;
    const found = partCache.peek(key) ?? fetched.get(key);
    if (!found) return miss(deps, fingerprint, 'part_missing', now);
    try {
      entries.set(sku, found.get(sku));
    } catch (err) {
      log('error', 'price index part unreadable', { key, message: describe(err) });
      partCache.delete(key);
      return miss(deps, fingerprint, 'part_missing', now);
    }
    used.add(key);
  }
  // the parts used are now the most recent, charged with the entries they decoded
  for (const key of used) partCache.touch(key);
  return { hit: true, generation: pointer.generation, pointer, entries };
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

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

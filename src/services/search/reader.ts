import * as v from 'valibot';
import { catalogProductCount } from '../../db/queries/search-index';
import { RetryLaterError } from '../../domain/errors';
import { SearchIndex } from '../../domain/search/search-index';
import { kvKeys } from '../../lib/kv-keys';
import { log } from '../../lib/log';
import { compileFromSql } from './build';
import type { SearchDeps } from './deps';
import { type SearchPointer, SearchPointerSchema } from './pointer';
import { enqueueSearchBuild } from './queue';

/**
 * The read side of the search index, two caches in front of KV:
 * - the pointer, per isolate, for SEARCH_POINTER_CACHE_MS (MISSING_POINTER_CACHE_MS while there is none);
 * - the opened index, per isolate, keyed by its generation (a generation never changes: never stale). The
 *   previous generation is dropped when the next one is opened, so an isolate holds one index.
 * Before the first build has finished (a fresh database, the tests) the index is compiled from SQL in the
 * request, kept LOCAL_INDEX_MS in this isolate, and a build is requested: never an empty answer because the
 * index is missing. A catalog past `localCompile.maxProducts` is too large to compile inside one request
 * (seconds of CPU and a good part of an isolate's memory): until the queued build lands (about as long as
 * the admin status's build time) the answer is 503 with Retry-After, never a 500 or a dropped connection.
 */
/** a record, not a constant, so a test can lower the limit instead of seeding 25,000 products */
export const localCompile = { maxProducts: 25_000 };
export const BUILDING_RETRY_AFTER_SECONDS = 15;
export const SEARCH_POINTER_CACHE_MS = 10_000;
const MISSING_POINTER_CACHE_MS = 2_000;
export const LOCAL_INDEX_MS = 30_000;
const REBUILD_REQUEST_INTERVAL_MS = 30_000;
const BULK_GET_LIMIT = 100;

export interface OpenedIndex {
  index: SearchIndex;
  /** the KV generation, or null for an index compiled from SQL in this isolate */
  generation: number | null;
  /** what a company view computed over this index is keyed by */
  key: string;
}

let pointerCache: { pointer: SearchPointer | null; fetchedAt: number } | undefined;
let opened: OpenedIndex | undefined;
let local: { opened: Promise<OpenedIndex>; at: number } | undefined;
let rebuildRequestedAt: number | undefined;

/** Forgets the pointer and the opened index of this isolate (tests; the next read goes to KV). */
export function clearSearchIsolateCache(): void {
  pointerCache = undefined;
  opened = undefined;
  local = undefined;
  rebuildRequestedAt = undefined;
}

export async function readSearchPointer(kv: KVNamespace, now: number): Promise<SearchPointer | null> {
  const cached = pointerCache;
  const ttl = cached?.pointer ? SEARCH_POINTER_CACHE_MS : MISSING_POINTER_CACHE_MS;
  if (cached && now - cached.fetchedAt < ttl && now >= cached.fetchedAt) return cached.pointer;
  const parsed = v.safeParse(SearchPointerSchema, await kv.get(kvKeys.searchIndexPointer(), 'json'));
  const pointer = parsed.success ? parsed.output : null;
  pointerCache = { pointer, fetchedAt: now };
  return pointer;
}

async function openGeneration(kv: KVNamespace, pointer: SearchPointer): Promise<SearchIndex | null> {
  const keys = Array.from({ length: pointer.parts }, (_, i) => kvKeys.searchIndexPart(pointer.generation, i));
  const texts: string[] = [];
  for (let i = 0; i < keys.length; i += BULK_GET_LIMIT) {
    const found = await kv.get(keys.slice(i, i + BULK_GET_LIMIT), 'text');
    for (const key of keys.slice(i, i + BULK_GET_LIMIT)) {
      const text = found.get(key);
      if (text === null || text === undefined) return null;
      texts.push(text);
    }
  }
  return SearchIndex.open(texts);
}

/** The catalog's search index for this request: the current KV generation, else compiled from SQL. */
export async function currentSearchIndex(deps: SearchDeps, now: number): Promise<OpenedIndex> {
  const pointer = await readSearchPointer(deps.kv, now);
  if (pointer && opened?.generation === pointer.generation) return opened;
  if (pointer) {
    try {
      const index = await openGeneration(deps.kv, pointer);
      if (index) {
        opened = { index, generation: pointer.generation, key: `g${pointer.generation}` };
        local = undefined;
        return opened;
      }
      log('warn', 'search index part missing', { generation: pointer.generation });
    } catch (err) {
      log('error', 'search index unreadable', {
        generation: pointer.generation,
        message: err instanceof Error ? err.message : String(err),
      });
    }
    pointerCache = undefined;
  }
  // the index this isolate last opened serves on while a newer one cannot be read
  if (opened) return opened;
  await requestBuildOnMiss(deps, now, pointer ? 'part missing' : 'no index');
  if (!local || now - local.at >= LOCAL_INDEX_MS || now < local.at) {
    if ((await catalogProductCount(deps.db)) > localCompile.maxProducts) {
      throw new RetryLaterError(
        'temporarily_unavailable',
        'The catalog search index is being built; search again in a few seconds',
        BUILDING_RETRY_AFTER_SECONDS,
      );
    }
    const at = now;
    const compiling = compileFromSql(deps).then((index) => ({ index, generation: null, key: `sql@${at}` }));
    local = { opened: compiling, at };
    // a failed compile is not kept: the next request tries again
    compiling.catch(() => {
      if (local?.at === at) local = undefined;
    });
  }
  return local.opened;
}

async function requestBuildOnMiss(deps: SearchDeps, now: number, why: string): Promise<void> {
  if (rebuildRequestedAt !== undefined && now - rebuildRequestedAt < REBUILD_REQUEST_INTERVAL_MS) return;
  rebuildRequestedAt = now;
  await enqueueSearchBuild(deps.queue, `read miss: ${why}`, 0);
}

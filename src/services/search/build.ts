import {
  bumpRequestedGeneration,
  claimGeneration,
  clearBuilding,
  markBuilding,
  recordBuildError,
  searchIndexRow,
} from '../../db/queries/search-index';
import { SearchIndex } from '../../domain/search/search-index';
import { kvKeys, SEARCH_INDEX_VERSION } from '../../lib/kv-keys';
import { log } from '../../lib/log';
import type { SearchDeps } from './deps';
import { searchDocPages } from './documents';
import { pointerVersion, type SearchPointer } from './pointer';
import { enqueueSearchBuild, type SearchBuildMessage } from './queue';

/**
 * A KV value may hold 25 MiB; a part of at most 4 M characters stays under 12 MiB even if every character
 * took three bytes of UTF-8, and is read in one get.
 */
export const MAX_PART_CHARS = 4_000_000;
// a build silent this long is presumed lost (worker evicted, message dropped): the next request takes over
export const LOST_SEARCH_BUILD_AFTER_MS = 5 * 60_000;
// readers may hold the previous pointer for the pointer cache time: its parts outlive it by a margin
export const SUPERSEDED_SEARCH_PARTS_SECONDS = 300;
const PARALLEL_PUTS = 4;
// documents added between two yields to the event loop (about 100 ms of CPU)
const ADD_SLICE = 500;

/**
 * A timer, not a microtask: the runtime reads its sockets only when nothing else is ready to run, and a
 * build whose every await is answered at once (a local D1 answers on the same thread) would otherwise keep
 * every request waiting until it ends; under `wrangler dev` such requests were seen never to be answered.
 */
const yieldToRequests = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export type SearchBuildOutcome =
  | { built: true; generation: number; docCount: number; bytes: number; parts: number; ms: number }
  | { built: false; why: 'up_to_date' | 'superseded' | 'in_progress' };

/**
 * The index of the catalog as it is in SQL now (the build's first half; also a fresh isolate's stopgap):
 * pages of documents streamed into the builder, which keeps only what the index holds, yielding to requests
 * between slices of a page.
 */
export async function compileFromSql(deps: SearchDeps): Promise<SearchIndex> {
  const builder = SearchIndex.builder();
  for await (const page of searchDocPages(deps.db)) {
    for (let at = 0; at < page.length; at += ADD_SLICE) {
      for (const doc of page.slice(at, at + ADD_SLICE)) builder.add(doc);
      await yieldToRequests();
    }
  }
  return builder.finish();
}

/**
 * Builds the requested generation: every part written under the new generation first, then the SQL row
 * claimed (only if no newer generation switched meanwhile), then the pointer. Readers see the old
 * generation or the new one, never a mix. A request arriving during a build is left to it; the build asks
 * for one more when the requested generation moved while it ran.
 */
export async function buildSearchIndex(deps: SearchDeps, now: () => number): Promise<SearchBuildOutcome> {
  const { db, kv } = deps;
  const started = now();
  let row = await searchIndexRow(db);
  if (!row) {
    await bumpRequestedGeneration(db, started);
    row = await searchIndexRow(db);
  }
  if (!row) throw new Error('search index row missing after its creation');
  const replaced = row.currentGeneration !== null && pointerVersion(row.pointer) !== SEARCH_INDEX_VERSION;
  const current = row.currentGeneration !== null && row.currentGeneration >= row.requestedGeneration;
  if (current && !replaced) return { built: false, why: 'up_to_date' };
  if (
    row.buildingGeneration !== null &&
    row.buildStartedAt !== null &&
    started - row.buildStartedAt < LOST_SEARCH_BUILD_AFTER_MS
  )
    return { built: false, why: 'in_progress' };
  const generation = current ? row.requestedGeneration + 1 : row.requestedGeneration;
  await markBuilding(db, generation, started);
  try {
    const index = await compileFromSql(deps);
    const builtAt = now();
    // each part is encoded, written, and let go before the next: one part of text at a time
    let bytes = 0;
    let parts = 0;
    for (const text of index.serializedParts(MAX_PART_CHARS)) {
      bytes += text.length;
      await kv.put(kvKeys.searchIndexPart(generation, parts), text);
      parts++;
      await yieldToRequests();
    }
    const pointer: SearchPointer = {
      v: SEARCH_INDEX_VERSION,
      generation,
      builtAt,
      docCount: index.docCount,
      bytes,
      parts,
    };
    const finished = now();
    const requested = await claimGeneration(
      db,
      {
        generation,
        pointer: JSON.stringify(pointer),
        builtAt,
        buildMs: finished - started,
        sizeBytes: bytes,
        docCount: index.docCount,
      },
      finished,
    );
    if (requested === undefined) {
      // a newer generation switched first: ours is garbage nobody will read
      await clearBuilding(db, generation);
      await dropSearchGeneration(kv, { generation, parts, version: SEARCH_INDEX_VERSION });
      return { built: false, why: 'superseded' };
    }
    await kv.put(kvKeys.searchIndexPointer(), JSON.stringify(pointer));
    await retirePrevious(deps, row.pointer, generation);
    if (requested > generation)
      await enqueueSearchBuild(deps.queue, `catalog changed while generation ${generation} was building`);
    log('info', 'search index built', { generation, docs: index.docCount, bytes, ms: finished - started });
    return {
      built: true,
      generation,
      docCount: index.docCount,
      bytes,
      parts,
      ms: finished - started,
    };
  } catch (err) {
    await recordBuildError(db, err instanceof Error ? err.message : String(err), now());
    throw err;
  }
}

/** Schedules the deletion of the previous generation's parts once no reader can still hold its pointer. */
async function retirePrevious(deps: SearchDeps, previous: string | null, generation: number): Promise<void> {
  if (previous === null) return;
  let old: { v?: number; generation?: number; parts?: number };
  try {
    old = JSON.parse(previous) as typeof old;
  } catch {
    return;
  }
  if (typeof old.generation !== 'number' || typeof old.parts !== 'number') return;
  const version = old.v ?? SEARCH_INDEX_VERSION;
  if (old.generation === generation && version === SEARCH_INDEX_VERSION) return;
  const message: SearchBuildMessage = {
    reason: `drop generation ${old.generation}`,
    dropGeneration: { generation: old.generation, parts: old.parts, version },
  };
  await deps.queue.send(message, { delaySeconds: SUPERSEDED_SEARCH_PARTS_SECONDS });
}

/** Deletes a superseded generation's parts (idempotent); of an older encoding, its pointer key too. */
export async function dropSearchGeneration(
  kv: KVNamespace,
  dropped: { generation: number; parts: number; version: number },
): Promise<void> {
  const keys = Array.from({ length: dropped.parts }, (_, i) =>
    kvKeys.searchIndexPart(dropped.generation, i, dropped.version),
  );
  if (dropped.version !== SEARCH_INDEX_VERSION) keys.push(kvKeys.searchIndexPointer(dropped.version));
  for (let i = 0; i < keys.length; i += PARALLEL_PUTS)
    await Promise.all(keys.slice(i, i + PARALLEL_PUTS).map((k) => kv.delete(k)));
}

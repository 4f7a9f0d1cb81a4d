import { bumpRequestedGeneration, searchIndexRow } from '../../db/queries/search-index';
import { SEARCH_INDEX_VERSION } from '../../lib/kv-keys';
import { LOST_SEARCH_BUILD_AFTER_MS } from './build';
import type { SearchDeps } from './deps';
import { pointerVersion } from './pointer';
import { enqueueSearchBuild, SEARCH_BUILD_DELAY_SECONDS } from './queue';
import { SEARCH_POINTER_CACHE_MS } from './reader';

export type SearchIndexState = 'missing' | 'building' | 'stale' | 'failed' | 'current';

/**
 * The longest a catalog change takes to reach searches when nothing fails: the build request's delay, the
 * build itself (the last one's time stands for the next) and the readers' pointer cache.
 */
export function stalenessBoundSeconds(lastBuildMs: number | null): number {
  return SEARCH_BUILD_DELAY_SECONDS + Math.ceil((lastBuildMs ?? 0) / 1000) + SEARCH_POINTER_CACHE_MS / 1000;
}

/** The index's state as the supplier's staff need it: generations, age, size, the last error. */
export async function searchIndexStatus(deps: SearchDeps, now: number) {
  const row = await searchIndexRow(deps.db);
  const requested = row?.requestedGeneration ?? 0;
  const current = row?.currentGeneration ?? null;
  const building = row?.buildingGeneration ?? null;
  const outdated = row?.pointer != null && pointerVersion(row.pointer) !== SEARCH_INDEX_VERSION;
  const state: SearchIndexState =
    building !== null && now - (row?.buildStartedAt ?? 0) < LOST_SEARCH_BUILD_AFTER_MS
      ? 'building'
      : row?.lastError
        ? 'failed'
        : current === null
          ? 'missing'
          : current < requested || outdated
            ? 'stale'
            : 'current';
  return {
    state,
    generation: current,
    requestedGeneration: requested,
    buildingGeneration: building,
    requestedAt: row?.requestedAt ?? null,
    builtAt: row?.builtAt ?? null,
    ageSeconds: row?.builtAt == null ? null : Math.max(0, Math.round((now - row.builtAt) / 1000)),
    buildMs: row?.buildMs ?? null,
    docCount: row?.docCount ?? null,
    bytes: row?.sizeBytes ?? null,
    lastError: row?.lastError ?? null,
    stalenessBoundSeconds: stalenessBoundSeconds(row?.buildMs ?? null),
  };
}

/** Asks for a fresh generation now (no delay): the rebuild an admin asks for. */
export async function requestSearchRebuild(deps: SearchDeps, reason: string, now: number): Promise<number> {
  const generation = await bumpRequestedGeneration(deps.db, now);
  await enqueueSearchBuild(deps.queue, reason, 0);
  return generation;
}

import { bumpRequestedGeneration, searchIndexRow } from '../../db/queries/search-index';
import { SEARCH_INDEX_VERSION } from '../../lib/kv-keys';
import { LOST_SEARCH_BUILD_AFTER_MS } from './build';
import type { SearchDeps } from './deps';
import { pointerVersion } from './pointer';
import { enqueueSearchBuild } from './queue';

/**
 * The cron side: a missing index, one whose last build failed, one of an older encoding, or a request still
 * unbuilt long after it was made (a lost message) gets a build request. Found in SQL, never by listing KV.
 */
export async function sweepSearchIndex(deps: SearchDeps, now: number): Promise<string | null> {
  const row = await searchIndexRow(deps.db);
  const why = !row
    ? 'missing'
    : row.buildingGeneration !== null && now - (row.buildStartedAt ?? 0) < LOST_SEARCH_BUILD_AFTER_MS
      ? null
      : row.lastError !== null
        ? 'failed'
        : row.currentGeneration === null
          ? 'missing'
          : pointerVersion(row.pointer) !== SEARCH_INDEX_VERSION
            ? 'older encoding'
            : row.currentGeneration < row.requestedGeneration &&
                now - (row.requestedAt ?? now) >= LOST_SEARCH_BUILD_AFTER_MS
              ? 'lost build'
              : null;
  if (why === null) return null;
  if (!row) await bumpRequestedGeneration(deps.db, now);
  await enqueueSearchBuild(deps.queue, `cron sweep: ${why}`, 0);
  return why;
}

import { bumpRequestedGeneration } from '../../db/queries/search-index';
import { log } from '../../lib/log';
import type { SearchDeps } from './deps';

/**
 * A catalog change asks for a build this long after it: an ERP import's chunks, a burst of stock updates,
 * arrive within it and are all caught by one build (a request that finds a build running is left to it,
 * which then asks for exactly one more).
 */
export const SEARCH_BUILD_DELAY_SECONDS = 10;

export interface SearchBuildMessage {
  reason: string;
  /** set on the delayed clean-up of a superseded generation's parts */
  dropGeneration?: { generation: number; parts: number; version: number };
}

/** Sends a build request; a failed send is logged, not thrown (the cron sweep catches a lost request). */
export async function enqueueSearchBuild(
  queue: Queue,
  reason: string,
  delaySeconds = SEARCH_BUILD_DELAY_SECONDS,
): Promise<void> {
  try {
    await queue.send({ reason } satisfies SearchBuildMessage, { delaySeconds });
  } catch (err) {
    log('warn', 'search index build not enqueued; the cron sweep will send it again', {
      reason,
      message: err instanceof Error ? err.message : String(err),
    });
  }
}

/**
 * The catalog changed (products, names, stock): the search index must follow. Bumps the requested
 * generation in SQL (the sweep's record of what is owed) and sends a delayed build request. Never throws:
 * the change that asks is already committed.
 */
export async function catalogChangedForSearch(
  deps: SearchDeps,
  reason: string,
  now: number,
  delaySeconds = SEARCH_BUILD_DELAY_SECONDS,
): Promise<void> {
  try {
    await bumpRequestedGeneration(deps.db, now);
  } catch (err) {
    log('warn', 'search index request not recorded', {
      reason,
      message: err instanceof Error ? err.message : String(err),
    });
  }
  await enqueueSearchBuild(deps.queue, reason, delaySeconds);
}

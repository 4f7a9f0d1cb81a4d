import { log } from '../../lib/log';

/** Price index rebuild requests; the consumer reads the generation to build from SQL, so duplicates are harmless. */
const SEND_BATCH_LIMIT = 100;

/**
 * Sends rebuild requests. A failed send is logged, not thrown: the change that asked for it is already
 * committed and marked stale in SQL, and the cron sweep re-sends builds for stale indexes, so failing the
 * caller's request would only report an error for a write that did happen.
 */
export async function enqueueBuilds(
  queue: Queue,
  fingerprints: readonly string[],
  reason: string,
): Promise<void> {
  const unique = [...new Set(fingerprints)];
  try {
    for (let i = 0; i < unique.length; i += SEND_BATCH_LIMIT) {
      await queue.sendBatch(
        unique.slice(i, i + SEND_BATCH_LIMIT).map((fingerprint) => ({ body: { fingerprint, reason } })),
      );
    }
  } catch (err) {
    log('warn', 'price index rebuild not enqueued; the cron sweep will send it again', {
      fingerprints: unique.length,
      reason,
      message: err instanceof Error ? err.message : String(err),
    });
  }
}

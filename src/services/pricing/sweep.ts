import { and, gte, lte, or, sql } from 'drizzle-orm';
import { priceIndexes } from '../../db/schema';
import { CODEC_VERSION } from '../../domain/pricing/codec';
import { isAssigned, refreshAssignments } from './assignments';
import type { PricingDeps } from './deps';
import { needsBuild } from './invalidation';
import { enqueueBuilds } from './queue';

// a build that has not finished this long after its request is presumed lost (message dropped, send failed)
export const LOST_BUILD_AFTER_MS = 2 * 60_000;

/**
 * The cron side of invalidation, found in SQL (never by listing KV):
 * - every company's index assignment is re-resolved (cheap, idempotent);
 * - indexes whose `validUntil` has passed (a promotion or contract window opened or closed), or written in
 *   an older encoding, get a new generation; until it is built, readers answer those customers from SQL,
 *   so no price is ever wrong;
 * - indexes still stale long after their request (a lost message) are enqueued again.
 */
export async function sweepPriceIndexes(deps: PricingDeps, now: number) {
  // who-reads-which-index, re-resolved: repairs an assignment refresh that failed after its write committed
  const reassigned = await refreshAssignments(deps, 'cron sweep', now);
  const expired = await deps.db
    .update(priceIndexes)
    .set({
      requestedGeneration: sql`${priceIndexes.requestedGeneration} + 1`,
      staleSince: sql`coalesce(${priceIndexes.staleSince}, ${now})`,
      updatedAt: now,
    })
    .where(
      and(
        isAssigned,
        or(
          lte(priceIndexes.validUntil, now),
          // built in an older encoding (a deploy changed it): readers look for the new keys only
          sql`coalesce(json_extract(${priceIndexes.pointer}, '$.v'), ${CODEC_VERSION}) <> ${CODEC_VERSION}`,
        ),
        gte(priceIndexes.currentGeneration, priceIndexes.requestedGeneration),
      ),
    )
    .returning({ fingerprint: priceIndexes.fingerprint });
  const lost = await deps.db
    .select({ fingerprint: priceIndexes.fingerprint })
    .from(priceIndexes)
    .where(needsBuild(now - LOST_BUILD_AFTER_MS));
  const fingerprints = [...expired, ...lost].map((r) => r.fingerprint);
  await enqueueBuilds(deps.queue, fingerprints, 'cron sweep');
  return {
    reassigned: reassigned.changedCompanies,
    expired: expired.map((r) => r.fingerprint),
    lost: lost.map((r) => r.fingerprint),
  };
}

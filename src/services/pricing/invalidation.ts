import { and, sql } from 'drizzle-orm';
import { priceIndexes } from '../../db/schema';
import { isAssigned, refreshAssignments } from './assignments';
import type { PricingDeps } from './deps';
import { enqueueBuilds } from './queue';

/**
 * What changed among the pricing inputs. Content changes bump the generation of exactly the indexes that
 * use the changed thing; `assignments` re-resolves which index each company reads.
 */
export type PricingChange =
  | { kind: 'contract'; contractId: string }
  | { kind: 'price_list'; priceListId: string }
  | { kind: 'assortment_rule'; ruleId: string }
  | { kind: 'catalog' }
  | { kind: 'assignments' };

function affected(change: Exclude<PricingChange, { kind: 'assignments' }>) {
  switch (change.kind) {
    case 'contract':
      return sql`EXISTS (SELECT 1 FROM json_each(${priceIndexes.inputs}, '$.contractIds') WHERE value = ${change.contractId})`;
    case 'price_list':
      return sql`json_extract(${priceIndexes.inputs}, '$.priceListId') = ${change.priceListId}`;
    case 'assortment_rule':
      return sql`EXISTS (SELECT 1 FROM json_each(${priceIndexes.inputs}, '$.assortmentRuleIds') WHERE value = ${change.ruleId})`;
    case 'catalog':
      return undefined;
  }
}

/**
 * Marks the affected indexes stale (a new generation is wanted) and enqueues their rebuilds. The mark is
 * in SQL before the message is sent, so if sending fails the cron sweep still finds the index and
 * rebuilds it: a change is never forgotten. Returns the fingerprints enqueued.
 */
export async function pricingChanged(
  deps: PricingDeps,
  changes: readonly PricingChange[],
  reason: string,
  now: number,
): Promise<string[]> {
  const fingerprints: string[] = [];
  if (changes.some((c) => c.kind === 'assignments')) {
    fingerprints.push(...(await refreshAssignments(deps, reason, now)).newFingerprints);
  }
  for (const change of changes) {
    if (change.kind === 'assignments') continue;
    const rows = await deps.db
      .update(priceIndexes)
      .set({
        requestedGeneration: sql`${priceIndexes.requestedGeneration} + 1`,
        staleSince: sql`coalesce(${priceIndexes.staleSince}, ${now})`,
        updatedAt: now,
      })
      .where(and(isAssigned, affected(change)))
      .returning({ fingerprint: priceIndexes.fingerprint });
    fingerprints.push(...rows.map((r) => r.fingerprint));
  }
  await enqueueBuilds(deps.queue, fingerprints, reason);
  return [...new Set(fingerprints)];
}

/** Rebuilds every index (e.g. after a bulk catalog import). */
export const catalogChanged = (deps: PricingDeps, reason: string, now: number) =>
  pricingChanged(deps, [{ kind: 'catalog' }], reason, now);

/** A stale index whose build never ran (lost message, failed send): found in SQL, not by listing KV. */
export const needsBuild = (olderThan: number) =>
  and(
    isAssigned,
    sql`(${priceIndexes.currentGeneration} IS NULL OR ${priceIndexes.currentGeneration} < ${priceIndexes.requestedGeneration})`,
    sql`coalesce(${priceIndexes.buildStartedAt}, ${priceIndexes.staleSince}, 0) < ${olderThan}`,
  );

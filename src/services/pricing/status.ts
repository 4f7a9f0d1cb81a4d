import { count, eq, sql } from 'drizzle-orm';
import { companyPricing, priceIndexes } from '../../db/schema';
import { CODEC_VERSION } from '../../domain/pricing/codec';
import { fingerprintFor } from './assignments';
import { encodingOf } from './build';
import type { PricingDeps } from './deps';
import { enqueueBuilds } from './queue';

export type IndexState = 'missing' | 'building' | 'stale' | 'current';

/** What a sales rep or admin needs to trust (or doubt) a customer's prices: generation, age, size, state. */
export async function indexStatus(deps: PricingDeps, companyId: string, now: number) {
  const fingerprint = await fingerprintFor(deps, companyId, now);
  if (!fingerprint) return null;
  const [[row], [shared]] = await deps.db.batch([
    deps.db.select().from(priceIndexes).where(eq(priceIndexes.fingerprint, fingerprint)).limit(1),
    deps.db.select({ n: count() }).from(companyPricing).where(eq(companyPricing.fingerprint, fingerprint)),
  ]);
  if (!row) return null;
  // past its validUntil, or written in an encoding readers no longer look for: answered from SQL until rebuilt
  const expired =
    (row.validUntil !== null && row.validUntil <= now) || encodingOf(row.pointer) !== CODEC_VERSION;
  const behind = row.currentGeneration === null || row.currentGeneration < row.requestedGeneration;
  const state: IndexState =
    row.buildingGeneration !== null
      ? 'building'
      : row.currentGeneration === null
        ? 'missing'
        : behind || expired
          ? 'stale'
          : 'current';
  return {
    companyId,
    fingerprint,
    state,
    generation: row.currentGeneration,
    requestedGeneration: row.requestedGeneration,
    buildingGeneration: row.buildingGeneration,
    builtAt: row.builtAt,
    ageSeconds: row.builtAt === null ? null : Math.max(0, Math.round((now - row.builtAt) / 1000)),
    buildMs: row.buildMs,
    sizeBytes: row.sizeBytes,
    productCount: row.productCount,
    partCount: row.partCount,
    validUntil: row.validUntil,
    staleSince: row.staleSince,
    lastError: row.lastError,
    sharedByCompanies: shared?.n ?? 0,
  };
}

/** Asks for a fresh generation of a company's index now (e.g. after fixing data outside the API). */
export async function requestRebuild(deps: PricingDeps, companyId: string, reason: string, now: number) {
  const fingerprint = await fingerprintFor(deps, companyId, now);
  if (!fingerprint) return null;
  await deps.db
    .update(priceIndexes)
    .set({
      requestedGeneration: sql`${priceIndexes.requestedGeneration} + 1`,
      staleSince: sql`coalesce(${priceIndexes.staleSince}, ${now})`,
      updatedAt: now,
    })
    .where(eq(priceIndexes.fingerprint, fingerprint));
  await enqueueBuilds(deps.queue, [fingerprint], reason);
  return fingerprint;
}

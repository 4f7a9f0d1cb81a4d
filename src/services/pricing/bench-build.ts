import { count, eq, sql } from 'drizzle-orm';
import { priceIndexes, priceRules } from '../../db/schema';
import { fingerprintFor } from './assignments';
import { buildIndex } from './build';
import type { PricingDeps } from './deps';

/**
 * A full index build inside one request, for the benchmark's rebuild timings: asks for the next generation
 * and builds it at once, then reports how many rules went in. Null when the company does not exist.
 */
export async function rebuildNowForBench(deps: PricingDeps, companyId: string) {
  const fingerprint = await fingerprintFor(deps, companyId, Date.now());
  if (!fingerprint) return null;
  await deps.db
    .update(priceIndexes)
    .set({ requestedGeneration: sql`${priceIndexes.requestedGeneration} + 1` })
    .where(eq(priceIndexes.fingerprint, fingerprint));
  const outcome = await buildIndex(deps, fingerprint, () => Date.now());
  const [rules] = await deps.db
    .select({ n: count() })
    .from(priceRules)
    .where(
      sql`${priceRules.contractId} IN (SELECT value FROM json_each((SELECT inputs FROM price_indexes WHERE fingerprint = ${fingerprint}), '$.contractIds'))`,
    );
  return { fingerprint, rules: rules?.n ?? 0, ...outcome };
}

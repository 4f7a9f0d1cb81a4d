import { sql } from 'drizzle-orm';
import { chunks, runBatch } from '../../db/queries/bulk';
import { fingerprintOfCompany, loadAssignments, loadInputsCatalog } from '../../db/queries/pricing-inputs';
import { companyPricing, priceIndexes } from '../../db/schema';
import { canonicalInputs, resolveInputs } from '../../domain/pricing/inputs';
import { type PricingDeps, shortHash } from './deps';
import { enqueueBuilds } from './queue';

const STATEMENTS_PER_BATCH = 200;

/**
 * Recomputes which price index every company reads. Called after any change of who-gets-what (a contract
 * created, archived or moved, a group membership, an assortment rule added or removed, a company's price
 * list or parent). Fingerprints seen for the first time get a row and a build; companies whose inputs now
 * equal another's simply point at that index. Idempotent: running it twice changes nothing the second time.
 */
export async function refreshAssignments(
  deps: PricingDeps,
  reason: string,
  now: number,
): Promise<{ changedCompanies: string[]; newFingerprints: string[] }> {
  const { db } = deps;
  const [catalog, current] = await Promise.all([loadInputsCatalog(db), loadAssignments(db)]);
  const statements = [];
  const changedCompanies: string[] = [];
  const fresh = new Map<string, string>();
  for (const companyId of catalog.companies.keys()) {
    const inputs = resolveInputs(catalog, companyId);
    if (!inputs) continue;
    const text = canonicalInputs(inputs);
    const fingerprint = await shortHash(text);
    if (!current.indexes.has(fingerprint) && !fresh.has(fingerprint)) fresh.set(fingerprint, text);
    if (current.assigned.get(companyId) === fingerprint) continue;
    changedCompanies.push(companyId);
    statements.push(
      db
        .insert(companyPricing)
        .values({ companyId, fingerprint, updatedAt: now })
        .onConflictDoUpdate({ target: companyPricing.companyId, set: { fingerprint, updatedAt: now } }),
    );
  }
  for (const [fingerprint, inputs] of fresh) {
    statements.unshift(
      db
        .insert(priceIndexes)
        .values({
          fingerprint,
          inputs,
          requestedGeneration: 1,
          staleSince: now,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing(),
    );
  }
  for (const chunk of chunks(statements, STATEMENTS_PER_BATCH)) await runBatch(db, chunk);
  const newFingerprints = [...fresh.keys()];
  await enqueueBuilds(deps.queue, newFingerprints, reason);
  return { changedCompanies, newFingerprints };
}

/** The fingerprint of a company's price index, resolving it on first use. */
export async function fingerprintFor(
  deps: PricingDeps,
  companyId: string,
  now: number,
): Promise<string | null> {
  const known = await fingerprintOfCompany(deps.db, companyId);
  if (known) return known;
  await refreshAssignments(deps, `first use by ${companyId}`, now);
  return (await fingerprintOfCompany(deps.db, companyId)) ?? null;
}

/** Fingerprints that some company still reads: orphans are never rebuilt. */
export const isAssigned = sql`EXISTS (SELECT 1 FROM company_pricing cp WHERE cp.fingerprint = ${priceIndexes.fingerprint})`;

// companyId → fingerprint, per isolate: saves a D1 read on every priced page. A change of who-gets-what
// reaches readers within this time (on top of the index build), which docs/pricing.md states.
export const ASSIGNMENT_CACHE_MS = 10_000;
const assignmentCache = new Map<string, { fingerprint: string; at: number }>();

export async function cachedFingerprintFor(
  deps: PricingDeps,
  companyId: string,
  now: number,
): Promise<string | null> {
  const hit = freshFingerprint(companyId, now);
  if (hit) return hit;
  const fingerprint = await fingerprintFor(deps, companyId, now);
  if (fingerprint) assignmentCache.set(companyId, { fingerprint, at: now });
  return fingerprint;
}

export const clearAssignmentCache = () => assignmentCache.clear();

/** The company's fingerprint if this isolate resolved it less than ASSIGNMENT_CACHE_MS ago. */
export function freshFingerprint(companyId: string, now: number): string | undefined {
  const hit = assignmentCache.get(companyId);
  return hit && now - hit.at < ASSIGNMENT_CACHE_MS && now >= hit.at ? hit.fingerprint : undefined;
}

/**
 * The company's fingerprint as this isolate last resolved it, however old: a guess to start an index lookup
 * with while the same round trip reads the current one (checkout), never an answer by itself.
 */
export const lastKnownFingerprint = (companyId: string): string | undefined =>
  assignmentCache.get(companyId)?.fingerprint;

/** Records a fingerprint just read from SQL, as `cachedFingerprintFor` would. */
export function rememberFingerprint(companyId: string, fingerprint: string, now: number): void {
  assignmentCache.set(companyId, { fingerprint, at: now });
}

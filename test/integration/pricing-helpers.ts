import { env } from 'cloudflare:test';
import { fingerprintFor } from '../../src/services/pricing/assignments';
import { buildIndex } from '../../src/services/pricing/build';
import { type PricingDeps, pricingDepsOf } from '../../src/services/pricing/deps';

/** The pricing services wired to the test's real bindings. */
export const deps = (): PricingDeps => pricingDepsOf(env);

export async function fingerprintOf(companyId: string): Promise<string> {
  const fp = await fingerprintFor(deps(), companyId, Date.now());
  if (!fp) throw new Error(`no fingerprint for ${companyId}`);
  return fp;
}

/** Builds a company's index now, as the queue consumer would, and returns the outcome. */
export async function buildFor(companyId: string, now: () => number = () => Date.now()) {
  return buildIndex(deps(), await fingerprintOf(companyId), now);
}

export const first = async <T>(sql: string, ...binds: unknown[]): Promise<T> => {
  const row = await env.DB.prepare(sql)
    .bind(...binds)
    .first<T>();
  if (!row) throw new Error(`no row for ${sql}`);
  return row;
};

export const all = async <T>(sql: string, ...binds: unknown[]): Promise<T[]> =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;

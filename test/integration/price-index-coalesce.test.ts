import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/services/pricing/build';
import type { PricingDeps } from '../../src/services/pricing/deps';
import { pricingChanged } from '../../src/services/pricing/invalidation';
import { LOST_BUILD_AFTER_MS } from '../../src/services/pricing/sweep';
import { buildFor, deps, fingerprintOf, first } from './pricing-helpers';

/**
 * Requests for a new generation that arrive while a build of the same index runs (an ERP import sends one
 * per chunk) are left to that build: it asks for exactly one more build if the inputs changed meanwhile.
 */
describe('price index builds coalesce', () => {
  it('a request during a running build is left to it; a build presumed lost is taken over', async () => {
    await buildFor('co_acme');
    const fingerprint = await fingerprintOf('co_acme');
    const now = Date.now();
    await env.DB.prepare(
      'UPDATE price_indexes SET requested_generation = requested_generation + 1, building_generation = requested_generation + 1, build_started_at = ? WHERE fingerprint = ?',
    )
      .bind(now - 1_000, fingerprint)
      .run();
    expect(await buildIndex(deps(), fingerprint, () => now)).toEqual({ built: false, why: 'in_progress' });
    // the running build died without a word: past LOST_BUILD_AFTER_MS another build takes over
    const later = now + LOST_BUILD_AFTER_MS;
    const outcome = await buildIndex(deps(), fingerprint, () => later);
    expect(outcome.built).toBe(true);
  });

  it('inputs changed while building: one more build is asked for when the build switches', async () => {
    const fingerprint = await fingerprintOf('co_acme');
    await pricingChanged(deps(), [{ kind: 'catalog' }], 'test', Date.now());
    const sent: { fingerprint: string; reason: string }[] = [];
    const base = deps();
    let changedDuringBuild = false;
    // a change lands while the parts are written: an invalidation between the build's start and its switch
    const kv = new Proxy(base.kv, {
      get(target, name, receiver) {
        if (name !== 'put') return Reflect.get(target, name, receiver);
        return async (...args: Parameters<KVNamespace['put']>) => {
          if (!changedDuringBuild) {
            changedDuringBuild = true;
            await env.DB.prepare(
              'UPDATE price_indexes SET requested_generation = requested_generation + 1 WHERE fingerprint = ?',
            )
              .bind(fingerprint)
              .run();
          }
          return target.put(...args);
        };
      },
    });
    const queue = {
      send: async (body: { fingerprint: string; reason: string }) => void sent.push(body),
      sendBatch: async (batch: { body: { fingerprint: string; reason: string } }[]) =>
        void sent.push(...batch.map((m) => m.body)),
    } as unknown as Queue;
    const testDeps: PricingDeps = { ...base, kv, queue };
    const outcome = await buildIndex(testDeps, fingerprint, () => Date.now());
    expect(outcome.built).toBe(true);
    const builds = sent.filter(
      (m) => m.fingerprint === fingerprint && /changed while generation/.test(m.reason),
    );
    expect(builds).toHaveLength(1);
    const row = await first<{ current: number; requested: number }>(
      'SELECT current_generation AS current, requested_generation AS requested FROM price_indexes WHERE fingerprint = ?',
      fingerprint,
    );
    expect(row.requested).toBe(row.current + 1);
    // and the build it asked for brings the index up to date
    expect((await buildIndex(deps(), fingerprint, () => Date.now())).built).toBe(true);
  });
});

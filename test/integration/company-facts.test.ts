import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabase } from '../../src/db/client';
import { COMPANY_FACTS_MAX_AGE_MS, CompanyFacts } from '../../src/durable/company-facts';
import { call, json, loginAs } from './harness';
import { all, buildFor } from './pricing-helpers';

/**
 * Checkout decides with the company object's own copy of the company's configuration and of each user's
 * limits and last order (durable/company-facts.ts). These tests warm that copy first, then change what it
 * holds: through the API the very next checkout sees the change; outside the API (SQL by hand) within
 * COMPANY_FACTS_MAX_AGE_MS, the clock moved rather than waited for.
 */
interface Preview {
  outcome: string;
  defaults: { shipToSiteId: string } | null;
  periodLimit: { limitMinor: number } | null;
  approvalSteps: unknown[];
}

let buyer = '';
let admin = '';
let sku = '';

beforeAll(async () => {
  [buyer, admin] = [await loginAs('buyer@acme.example'), await loginAs('admin@acme.example')];
  await buildFor('co_acme');
  const [row] = await all<{ sku: string }>(
    `SELECT p.sku FROM products p JOIN list_prices l ON l.sku = p.sku AND l.price_list_id = 'pl_eur'
     WHERE p.status = 'active' AND p.min_order_qty = 1 AND p.order_multiple = 1 AND l.amount_minor < 2000
     AND p.category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%'
     AND p.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable')
     AND (SELECT sum(on_hand) FROM stock s WHERE s.sku = p.sku) > 10 ORDER BY p.sku LIMIT 1`,
  );
  sku = row?.sku ?? '';
});

afterEach(() => {
  vi.useRealTimers();
});

const cart = async (name: string) => {
  const created = await json<{ id: string }>(
    await call('/v1/carts', { method: 'POST', token: buyer, body: { name } }),
  );
  const lines = { lines: [{ sku, quantity: 1 }] };
  const added = await call(`/v1/carts/${created.id}/lines`, { method: 'POST', token: buyer, body: lines });
  expect(added.status).toBe(200);
  return created.id;
};

const preview = async (cartId: string) => {
  const res = await call(`/v1/carts/${cartId}/checkout`, { token: buyer });
  expect(res.status).toBe(200);
  return json<Preview>(res);
};

const asAdmin = (method: string, path: string, body?: unknown) =>
  call(path, { method, token: admin, ...(body === undefined ? {} : { body }) });

describe('the company object’s copy of the checkout facts', () => {
  it('an approval policy and a user’s cap changed through the API apply to the very next checkout', async () => {
    const id = await cart('Policy');
    expect((await preview(id)).outcome).toBe('placed');

    const created = await asAdmin('POST', '/v1/company/approval-policies', {
      name: 'Everything',
      kind: 'amount',
      thresholdMinor: 1,
      steps: [{ role: 'approver', required: 1 }],
    });
    expect(created.status).toBe(201);
    expect((await preview(id)).outcome).toBe('pending_approval');
    const policy = await json<{ id: string }>(created);
    expect((await asAdmin('DELETE', `/v1/company/approval-policies/${policy.id}`)).status).toBe(204);
    expect((await preview(id)).outcome).toBe('placed');

    const capped = await asAdmin('PATCH', '/v1/company/users/usr_acme_buyer', {
      periodLimitMinor: 1,
      periodLimitPeriod: 'month',
    });
    expect(capped.status).toBe(200);
    const withCap = await preview(id);
    expect(withCap.periodLimit).toMatchObject({ limitMinor: 1 });
    expect(withCap.outcome).toBe('pending_approval');
    const lifted = { periodLimitMinor: null, periodLimitPeriod: null };
    expect((await asAdmin('PATCH', '/v1/company/users/usr_acme_buyer', lifted)).status).toBe(200);
    expect((await preview(id)).periodLimit).toBeNull();
  });

  it('a change made outside the API reaches checkout within COMPANY_FACTS_MAX_AGE_MS', async () => {
    const id = await cart('By hand');
    const t0 = Date.now() + 60_000;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(t0);
    expect((await preview(id)).outcome).toBe('placed');
    await env.DB.prepare("UPDATE users SET order_limit_minor = 1 WHERE id = 'usr_acme_buyer'").run();
    try {
      vi.setSystemTime(t0 + 1);
      expect((await preview(id)).outcome).toBe('placed');
      vi.setSystemTime(t0 + COMPANY_FACTS_MAX_AGE_MS);
      expect((await preview(id)).outcome).toBe('pending_approval');
    } finally {
      await env.DB.prepare("UPDATE users SET order_limit_minor = 500000 WHERE id = 'usr_acme_buyer'").run();
      expect(
        (await asAdmin('PATCH', '/v1/company/users/usr_acme_buyer', { name: 'Camille Martin' })).status,
      ).toBe(200);
    }
  });

  it('the next order’s defaults follow the orders the object itself wrote', async () => {
    const [first, next] = [await cart('Ship elsewhere'), await cart('Defaults')];
    const before = await preview(next);
    expect(before.defaults?.shipToSiteId).not.toBe('site_acme_stock');
    const placed = await call(`/v1/carts/${first}/checkout`, {
      method: 'POST',
      token: buyer,
      body: { shipToSiteId: 'site_acme_stock' },
      headers: { 'idempotency-key': `facts-${Date.now()}` },
    });
    expect(placed.status).toBe(201);
    expect((await preview(next)).defaults?.shipToSiteId).toBe('site_acme_stock');
  });
});

describe('a read under way when the facts change', () => {
  /** Acme's database, each batch held until `release` and counted. */
  function heldDb() {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let batches = 0;
    const DB = new Proxy(env.DB, {
      get(target, key) {
        if (key === 'batch')
          return async (statements: D1PreparedStatement[]) => {
            batches++;
            await gate;
            return target.batch(statements);
          };
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { db: createDatabase({ DB }), release: () => release(), batches: () => batches };
  }

  it('serves its own checkout but is not kept: the next checkout reads again', async () => {
    for (const change of ['config', 'order'] as const) {
      const facts = new CompanyFacts('co_acme');
      const held = heldDb();
      const now = Date.now();
      const reading = facts.read(held.db, 'usr_acme_buyer', now, false);
      if (change === 'config') facts.changed();
      else facts.ordered('usr_acme_buyer', { shipToSiteId: 'site_acme_hq', costCenterId: null, at: now });
      held.release();
      expect((await reading).config.siteIds.size).toBeGreaterThan(0);
      await facts.read(held.db, 'usr_acme_buyer', now, false);
      expect(held.batches(), change).toBe(2);
      // read without a change meanwhile, it is kept
      await facts.read(held.db, 'usr_acme_buyer', now + 1, false);
      expect(held.batches(), change).toBe(2);
    }
  });
});

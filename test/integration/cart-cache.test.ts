import { env } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CART_FACTS_MAX_AGE_MS } from '../../src/durable/cart-pricer';
import { ASSIGNMENT_CACHE_MS, rememberFingerprint } from '../../src/services/pricing/assignments';
import { pricingChanged } from '../../src/services/pricing/invalidation';
import { clearIsolateCache, lookupEntries, POINTER_CACHE_MS } from '../../src/services/pricing/reader';
import { call, json, loginAs } from './harness';
import { all, buildFor, deps, fingerprintOf, first } from './pricing-helpers';

/**
 * The company's object keeps what a cart's answer is priced from (index entries by generation, product
 * facts and offers for CART_FACTS_MAX_AGE_MS, priced lines while their inputs hold). These tests move the
 * Worker's clock (it runs in this isolate, object included) instead of waiting: within the bound a cached
 * fact may still be served — asserted, so the cache is known to be in play — and at the bound it never is.
 * Checkout decides with the same facts, never older than the same bounds.
 */
interface Line {
  id: string;
  sku: string;
  quantity: number;
  unitMinor: number | null;
  problems: { code: string; availableQuantity?: number; nearestValidQuantity?: number }[];
}
interface Cart {
  id: string;
  priceGeneration: number | null;
  lines: Line[];
  offers: { applied: { offerId: string }[] };
  totals: { totalMinor: number; offerDiscountMinor: number };
}

let buyer = '';
/** orderable for Acme, no quantity rules, well in stock */
let plain: string[] = [];
/** an Acme net price on a SKU Acme can order */
let netPrice: { id: string; sku: string; amount: number };

// one instant per step, always forward: caches compare their age with the request's clock
let clock = Date.now() + 60_000;
const setClock = (at: number) => {
  clock = at;
  vi.setSystemTime(at);
};
const later = () => clock + 60_000;

const orderable = `p.status = 'active' AND p.min_order_qty = 1 AND p.order_multiple = 1
  AND p.category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%'
  AND p.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable')
  AND (SELECT sum(on_hand) FROM stock s WHERE s.sku = p.sku) > 10`;

beforeAll(async () => {
  buyer = await loginAs('buyer@acme.example');
  await buildFor('co_acme');
  await buildFor('co_globex');
  plain = (
    await all<{ sku: string }>(
      `SELECT p.sku FROM products p JOIN list_prices l ON l.sku = p.sku AND l.price_list_id = 'pl_eur'
       WHERE ${orderable} AND l.amount_minor < 5000
       AND p.sku NOT IN (SELECT target FROM price_rules WHERE target_type = 'sku') ORDER BY p.sku LIMIT 5`,
    )
  ).map((r) => r.sku);
  const rule = await first<{ id: string; target: string; amount_minor: number }>(
    `SELECT r.id, r.target, r.amount_minor FROM price_rules r JOIN products p ON p.sku = r.target
     WHERE r.contract_id = 'ctr_acme' AND r.target_type = 'sku' AND r.kind = 'net_price' AND r.min_quantity = 1
     AND ${orderable} ORDER BY r.target LIMIT 1`,
  );
  netPrice = { id: rule.id, sku: rule.target, amount: rule.amount_minor };
});

afterEach(() => {
  vi.useRealTimers();
});

const at = (instant: number) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  setClock(instant);
};

const cartWith = async (name: string, lines: { sku: string; quantity: number }[]) => {
  const cart = await json<{ id: string }>(
    await call('/v1/carts', { method: 'POST', token: buyer, body: { name } }),
  );
  const added = await call(`/v1/carts/${cart.id}/lines`, { method: 'POST', token: buyer, body: { lines } });
  if (added.status !== 200) throw new Error(`add lines: ${added.status} ${await added.text()}`);
  return json<Cart>(added);
};

const getCart = async (id: string) => {
  const res = await call(`/v1/carts/${id}`, { token: buyer });
  if (res.status !== 200) throw new Error(`cart: ${res.status} ${await res.text()}`);
  return json<Cart>(res);
};

const lineOf = (cart: Cart, sku: string) => {
  const line = cart.lines.find((l) => l.sku === sku);
  if (!line) throw new Error(`no line ${sku}`);
  return line;
};

const codes = (line: Line) => line.problems.map((p) => p.code);

describe('a cart answer is never staler than its bounds', () => {
  it('a rebuild to a new index generation re-prices cached lines once the pointer cache time is up', async () => {
    const t0 = later();
    at(t0);
    clearIsolateCache();
    const created = await cartWith('Generation', [{ sku: netPrice.sku, quantity: 1 }]);
    const before = lineOf(created, netPrice.sku).unitMinor;
    // facts read again, pointer still cached: same generation, same price
    setClock(t0 + CART_FACTS_MAX_AGE_MS + 1);
    const warm = await getCart(created.id);
    expect(warm.priceGeneration).toBe(created.priceGeneration);

    await env.DB.prepare('UPDATE price_rules SET amount_minor = ? WHERE id = ?')
      .bind(Math.max(1, netPrice.amount - 7), netPrice.id)
      .run();
    await pricingChanged(deps(), [{ kind: 'contract', contractId: 'ctr_acme' }], 'test', t0);
    const built = await buildFor('co_acme');
    expect(built.built).toBe(true);

    setClock(t0 + CART_FACTS_MAX_AGE_MS + 2);
    const cached = await getCart(created.id);
    expect(cached.priceGeneration).toBe(created.priceGeneration);
    expect(lineOf(cached, netPrice.sku).unitMinor).toBe(before);

    // the product facts are still fresh here: only the generation changed, and the line follows it
    setClock(t0 + POINTER_CACHE_MS);
    const after = await getCart(created.id);
    const entry = await lookupEntries(
      deps(),
      await fingerprintOf('co_acme'),
      [netPrice.sku],
      t0 + POINTER_CACHE_MS,
    );
    if (!entry.hit) throw new Error('index expected');
    expect(after.priceGeneration).toBe(entry.generation);
    expect(after.priceGeneration).not.toBe(created.priceGeneration);
    expect(lineOf(after, netPrice.sku).unitMinor).toBe(entry.entries.get(netPrice.sku)?.ladder[0]?.unitMinor);
    expect(lineOf(after, netPrice.sku).unitMinor).not.toBe(before);
  });

  it('a stock change shows once the facts are CART_FACTS_MAX_AGE_MS old', async () => {
    const sku = plain[0] ?? '';
    const stock = await all<{ warehouse: string; on_hand: number }>(
      'SELECT warehouse, on_hand FROM stock WHERE sku = ?',
      sku,
    );
    const t0 = later();
    at(t0);
    const created = await cartWith('Stock', [{ sku, quantity: 2 }]);
    expect(codes(lineOf(created, sku))).toEqual([]);
    await env.DB.prepare('UPDATE stock SET on_hand = 0 WHERE sku = ?').bind(sku).run();
    try {
      setClock(t0 + 1);
      expect(codes(lineOf(await getCart(created.id), sku))).toEqual([]);
      setClock(t0 + CART_FACTS_MAX_AGE_MS);
      expect(lineOf(await getCart(created.id), sku).problems).toEqual([
        expect.objectContaining({ code: 'short_stock', availableQuantity: 0 }),
      ]);
    } finally {
      for (const s of stock) {
        await env.DB.prepare('UPDATE stock SET on_hand = ? WHERE sku = ? AND warehouse = ?')
          .bind(s.on_hand, sku, s.warehouse)
          .run();
      }
    }
  });

  it('a product data change shows at the bound, in the cart and in checkout alike', async () => {
    const sku = plain[1] ?? '';
    const t0 = later();
    at(t0);
    const created = await cartWith('Product data', [{ sku, quantity: 1 }]);
    expect(codes(lineOf(created, sku))).toEqual([]);
    const previewOutcome = async () =>
      (
        await json<{ problems: { path: string }[]; outcome: string }>(
          await call(`/v1/carts/${created.id}/checkout`, { token: buyer }),
        )
      ).outcome;
    await env.DB.prepare('UPDATE products SET min_order_qty = 3 WHERE sku = ?').bind(sku).run();
    try {
      // checkout decides with the facts the cart shows: what the buyer saw is what is checked
      setClock(t0 + 1);
      expect(codes(lineOf(await getCart(created.id), sku))).toEqual([]);
      expect(await previewOutcome()).toBe('placed');
      setClock(t0 + CART_FACTS_MAX_AGE_MS);
      expect(lineOf(await getCart(created.id), sku).problems).toEqual([
        { code: 'below_minimum', nearestValidQuantity: 3 },
      ]);
      expect(await previewOutcome()).toBe('blocked');
    } finally {
      await env.DB.prepare('UPDATE products SET min_order_qty = 1 WHERE sku = ?').bind(sku).run();
    }
    setClock(t0 + 2 * CART_FACTS_MAX_AGE_MS);
    expect(codes(lineOf(await getCart(created.id), sku))).toEqual([]);
  });

  it('an offer added or archived applies from the bound on', async () => {
    const sku = plain[2] ?? '';
    const t0 = later();
    at(t0);
    const created = await cartWith('Offer', [{ sku, quantity: 1 }]);
    const offerIds = (cart: Cart) => cart.offers.applied.map((o) => o.offerId);
    expect(offerIds(created)).not.toContain('off_cache_test');
    await env.DB.prepare(
      `INSERT INTO cart_offers (id, name, company_id, currency, kind, threshold_minor, discount_bp, priority, status, updated_at)
       VALUES ('off_cache_test', 'Cache test', 'co_acme', 'EUR', 'spend_threshold', 1, 1000, 100, 'active', 0)`,
    ).run();
    setClock(t0 + 1);
    expect(offerIds(await getCart(created.id))).not.toContain('off_cache_test');
    setClock(t0 + CART_FACTS_MAX_AGE_MS);
    const withOffer = await getCart(created.id);
    expect(offerIds(withOffer)).toContain('off_cache_test');
    expect(withOffer.totals.offerDiscountMinor).toBeGreaterThan(0);

    await env.DB.prepare("UPDATE cart_offers SET status = 'archived' WHERE id = 'off_cache_test'").run();
    setClock(t0 + 2 * CART_FACTS_MAX_AGE_MS);
    expect(offerIds(await getCart(created.id))).not.toContain('off_cache_test');
  });
});

describe('checkout verifies the index it prices from', () => {
  it('an outdated fingerprint guess is corrected by the batch that reads the current one', async () => {
    const t0 = later();
    at(t0);
    const sku = netPrice.sku;
    const [acme, globex] = await Promise.all([fingerprintOf('co_acme'), fingerprintOf('co_globex')]);
    const priceFor = async (fingerprint: string) => {
      const found = await lookupEntries(deps(), fingerprint, [sku], t0);
      if (!found.hit) throw new Error('index expected');
      return found.entries.get(sku)?.ladder[0]?.unitMinor;
    };
    // the SKU costs Acme something else than Globex: a checkout priced from the wrong index would show it
    expect(await priceFor(acme)).not.toBe(await priceFor(globex));
    const cart = await cartWith('Fingerprint', [{ sku, quantity: 1 }]);
    // this isolate "last saw" Globex's index for Acme, long enough ago that it is only a guess
    rememberFingerprint('co_acme', globex, t0 - ASSIGNMENT_CACHE_MS);
    const res = await call(`/v1/carts/${cart.id}/checkout`, {
      method: 'POST',
      token: buyer,
      body: {},
      headers: { 'idempotency-key': `fingerprint-${t0}` },
    });
    expect(res.status).toBe(201);
    const outcome = await json<{ totalMinor: number; priceGeneration: number | null }>(res);
    expect(outcome.totalMinor).toBe(cart.totals.totalMinor);
    expect(outcome.priceGeneration).toBe(cart.priceGeneration);
    expect(res.headers.get('server-timing')).toContain('index-again');
  });
});

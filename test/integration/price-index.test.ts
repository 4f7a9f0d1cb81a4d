import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { CODEC_VERSION } from '../../src/domain/pricing/codec';
import worker from '../../src/index';
import { kvKeys } from '../../src/lib/kv-keys';
import { customerEntries } from '../../src/services/pricing/entries';
import { catalogChanged, pricingChanged } from '../../src/services/pricing/invalidation';
import { clearIsolateCache, lookupEntries, POINTER_CACHE_MS } from '../../src/services/pricing/reader';
import { sweepPriceIndexes } from '../../src/services/pricing/sweep';
import { call, expectProblem, json, loginAs } from './harness';
import { all, buildFor, deps, fingerprintOf, first } from './pricing-helpers';

interface Item {
  sku: string;
  categoryPath: string;
  family: string;
  orderable?: boolean;
  unavailableReason?: string | null;
  leadTimeDays?: number;
  price?: {
    currency: string;
    unitMinor: number;
    listMinor: number | null;
    ruleId: string | null;
    tiers: unknown[];
  } | null;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

async function everyItem(
  token: string,
  headers: Record<string, string> = {},
): Promise<{ items: Item[]; sources: string[] }> {
  const items: Item[] = [];
  const sources: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(`/v1/catalog/products?limit=200${cursor ? `&cursor=${cursor}` : ''}`, {
      token,
      headers,
    });
    expect(res.status).toBe(200);
    sources.push(res.headers.get('x-price-source') ?? '');
    const page: Page = await json(res);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return { items, sources };
}

const excludedCategory = () =>
  first<{ target: string }>(
    "SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude'",
  );

beforeAll(async () => {
  for (const company of ['co_acme', 'co_globex', 'co_initech']) await buildFor(company);
});

describe('priced catalog through the index', () => {
  it("shows Acme only its assortment, each product with Acme's contract price, straight from the index", async () => {
    const token = await loginAs('buyer@acme.example');
    const { items, sources } = await everyItem(token);
    expect(sources.every((s) => s.startsWith('index;g='))).toBe(true);
    const { target } = await excludedCategory();
    const total = (await first<{ n: number }>('SELECT count(*) AS n FROM products')).n;
    const hidden = (
      await first<{ n: number }>(
        "SELECT count(*) AS n FROM products WHERE category_path = ?1 OR category_path LIKE ?1 || '/%'",
        target,
      )
    ).n;
    expect(hidden).toBeGreaterThan(0);
    expect(items).toHaveLength(total - hidden);
    expect(items.some((i) => i.categoryPath === target || i.categoryPath.startsWith(`${target}/`))).toBe(
      false,
    );
    expect(items.every((i) => i.price === null || i.price?.currency === 'EUR')).toBe(true);
    const byContract = items.filter((i) => i.price?.ruleId?.startsWith('rule_acme_'));
    expect(byContract.length).toBeGreaterThan(10);
    for (const i of byContract.slice(0, 50))
      expect(i.price?.unitMinor).toBeLessThanOrEqual(i.price?.listMinor ?? Infinity);
  });

  it('index and SQL give the same answer for every product (the fallback is the same engine)', async () => {
    const fp = await fingerprintOf('co_acme');
    const skus = (await all<{ sku: string }>('SELECT sku FROM products ORDER BY sku')).map((r) => r.sku);
    const fromIndex = await customerEntries(deps(), fp, skus, Date.now());
    const fromSql = await customerEntries(deps(), fp, skus, Date.now(), { source: 'sql' });
    expect(fromIndex.source).toBe('index');
    expect(fromSql.source).toBe('sql');
    expect(fromIndex.entries).toEqual(fromSql.entries);
  });

  it('customers with identical inputs share one index; different contracts never do', async () => {
    const [acme, lyon, globex, initech] = await Promise.all(
      ['co_acme', 'co_acme_lyon', 'co_globex', 'co_initech'].map(fingerprintOf),
    );
    expect(lyon).toBe(acme);
    expect(new Set([acme, globex, initech]).size).toBe(3);
  });

  it('a visible-but-not-orderable family and lead times come through with the reason', async () => {
    const rule = await first<{ id: string; target: string }>(
      "SELECT id, target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'not_orderable'",
    );
    const { sku } = await first<{ sku: string }>(
      "SELECT sku FROM products WHERE family = ? AND status = 'active' LIMIT 1",
      rule.target,
    );
    const token = await loginAs('buyer@acme.example');
    const product = await json<Item>(await call(`/v1/catalog/products/${sku}`, { token }));
    expect(product).toMatchObject({ sku, orderable: false, unavailableReason: 'not_orderable' });
    const lead = await first<{ target: string; lead_time_days: number }>(
      "SELECT target, lead_time_days FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'lead_time'",
    );
    const inLead = await first<{ sku: string }>(
      "SELECT sku FROM products WHERE category_path LIKE ? || '/%' LIMIT 1",
      lead.target,
    );
    const leadProduct = await json<Item>(await call(`/v1/catalog/products/${inLead.sku}`, { token }));
    expect(leadProduct.leadTimeDays).toBe(lead.lead_time_days);
  });

  it('a user without prices.view gets the catalog without any price field', async () => {
    const ops = await loginAs('ops@supplier.example');
    const created = await json<{ key: string }>(
      await call('/v1/admin/api-keys', {
        method: 'POST',
        token: ops,
        body: { name: 'Acme order status reader', companyId: 'co_acme', scopes: ['orders:read'] },
      }),
    );
    const res = await call('/v1/catalog/products?limit=20', { token: created.key });
    expect(res.status).toBe(200);
    const page = await json<Page>(res);
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) {
      expect(item).not.toHaveProperty('price');
      expect(item).toHaveProperty('orderable');
    }
  });

  it('the supplier without a company sees the whole catalog, unpriced', async () => {
    const ops = await loginAs('ops@supplier.example');
    const page = await json<Page>(await call('/v1/catalog/products?limit=5', { token: ops }));
    expect(page.items).toHaveLength(5);
    expect(page.items[0]).not.toHaveProperty('price');
    expect(page.items[0]).not.toHaveProperty('orderable');
  });
});

describe('never another customer’s prices', () => {
  it("Globex's buyer cannot reach Acme's prices by header, and sees its own price for an Acme net-price SKU", async () => {
    const globex = await loginAs('buyer@globex.example');
    await expectProblem(
      await call('/v1/catalog/products', { token: globex, headers: { 'x-company-id': 'co_acme' } }),
      404,
    );
    await expectProblem(
      await call('/v1/prices', {
        method: 'POST',
        token: globex,
        headers: { 'x-company-id': 'co_acme' },
        body: { lines: [{ sku: 'X', quantity: 1 }] },
      }),
      404,
    );
    const rule = await first<{ id: string; target: string; amount_minor: number }>(
      "SELECT id, target, amount_minor FROM price_rules WHERE contract_id = 'ctr_acme' AND target_type = 'sku' AND kind = 'net_price' AND min_quantity = 1 AND target NOT IN (SELECT target FROM price_rules WHERE contract_id = 'ctr_globex') LIMIT 1",
    );
    const seen = await json<Item>(await call(`/v1/catalog/products/${rule.target}`, { token: globex }));
    expect(seen.price?.ruleId ?? null).not.toBe(rule.id);
    expect(seen.price?.ruleId ?? '').not.toMatch(/^rule_acme_/);
  });

  it("a sales rep reads only their accounts' prices", async () => {
    const rep = await loginAs('rep@supplier.example');
    const acme = await call('/v1/catalog/products?limit=3', {
      token: rep,
      headers: { 'x-company-id': 'co_acme' },
    });
    expect(acme.status).toBe(200);
    expect((await json<Page>(acme)).items[0]?.price?.currency).toBe('EUR');
    await expectProblem(
      await call('/v1/catalog/products', { token: rep, headers: { 'x-company-id': 'co_initech' } }),
      404,
    );
  });

  it('Initech (GBP, no contract) is priced from the GBP list', async () => {
    const token = await loginAs('buyer@initech.example');
    const page = await json<Page>(await call('/v1/catalog/products?limit=10', { token }));
    for (const item of page.items) {
      expect(item.price?.currency).toBe('GBP');
      expect(item.price?.ruleId).toBeNull();
      expect(item.price?.unitMinor).toBe(item.price?.listMinor);
    }
  });
});

describe('generations, invalidation and staleness', () => {
  it('a contract change reaches a reader within the pointer cache time after the rebuild', async () => {
    const fp = await fingerprintOf('co_acme');
    const rule = await first<{ id: string; target: string; amount_minor: number }>(
      "SELECT id, target, amount_minor FROM price_rules WHERE contract_id = 'ctr_acme' AND target_type = 'sku' AND kind = 'net_price' AND min_quantity = 1 LIMIT 1",
    );
    const t0 = Date.now();
    clearIsolateCache();
    const before = await lookupEntries(deps(), fp, [rule.target], t0);
    if (!before.hit) throw new Error('index expected');
    expect(before.entries.get(rule.target)?.ladder[0]?.unitMinor).toBe(rule.amount_minor);

    const newAmount = Math.max(1, rule.amount_minor - 7);
    await env.DB.prepare('UPDATE price_rules SET amount_minor = ? WHERE id = ?')
      .bind(newAmount, rule.id)
      .run();
    const enqueued = await pricingChanged(deps(), [{ kind: 'contract', contractId: 'ctr_acme' }], 'test', t0);
    expect(enqueued).toContain(fp);
    const status = await first<{ current_generation: number; requested_generation: number }>(
      'SELECT current_generation, requested_generation FROM price_indexes WHERE fingerprint = ?',
      fp,
    );
    expect(status.requested_generation).toBeGreaterThan(status.current_generation);
    const built = await buildFor('co_acme');
    expect(built).toMatchObject({ built: true, generation: status.requested_generation });

    // within the bound the isolate may still serve the previous generation, never a mix
    const cached = await lookupEntries(deps(), fp, [rule.target], t0 + 1);
    expect(cached.hit && cached.generation).toBe(before.hit && before.generation);
    // at the bound it serves the new one
    const after = await lookupEntries(deps(), fp, [rule.target], t0 + POINTER_CACHE_MS);
    if (!after.hit) throw new Error('index expected');
    expect(after.generation).toBe(status.requested_generation);
    expect(after.entries.get(rule.target)?.ladder[0]?.unitMinor).toBe(newAmount);
  });

  it('only the affected fingerprints are rebuilt', async () => {
    const [acme, globex] = await Promise.all([fingerprintOf('co_acme'), fingerprintOf('co_globex')]);
    const enqueued = await pricingChanged(
      deps(),
      [{ kind: 'contract', contractId: 'ctr_globex' }],
      'test',
      Date.now(),
    );
    expect(enqueued).toContain(globex);
    expect(enqueued).not.toContain(acme);
  });

  it('a promotion window opening makes the index expire at that instant; SQL answers until the rebuild', async () => {
    const t0 = Date.now();
    const opens = t0 + 3_600_000;
    const { sku } = await first<{ sku: string }>(
      "SELECT p.sku FROM products p JOIN list_prices l ON l.sku = p.sku AND l.price_list_id = 'pl_gbp' WHERE p.status = 'active' LIMIT 1",
    );
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO contracts (id, name, currency, company_id, combination, priority, valid_from, status, updated_at) VALUES ('ctr_initech_promo', 'Initech spring offer', 'GBP', 'co_initech', 'best_price', 0, ?, 'active', ?)",
      ).bind(opens, t0),
      env.DB.prepare(
        "INSERT INTO price_rules (id, contract_id, target_type, kind, discount_bp, min_quantity, priority, updated_at) VALUES ('rule_initech_all', 'ctr_initech_promo', 'all', 'discount', 2500, 1, 0, ?)",
      ).bind(t0),
    ]);
    await pricingChanged(deps(), [{ kind: 'assignments' }], 'test', t0);
    const fp = await fingerprintOf('co_initech');
    const built = await buildFor('co_initech', () => t0);
    expect(built.built).toBe(true);
    const ptr = await env.PRICE_INDEX.get(kvKeys.priceIndexPointer(fp), 'json');
    expect(ptr).toMatchObject({ validUntil: opens });

    clearIsolateCache();
    const before = await customerEntries(deps(), fp, [sku], opens - 1);
    expect(before.source).toBe('index');
    const list = before.entries.get(sku)?.listMinor ?? 0;
    expect(before.entries.get(sku)?.ladder[0]?.unitMinor).toBe(list);

    const atOpening = await customerEntries(deps(), fp, [sku], opens);
    expect(atOpening.source).toBe('sql');
    expect(atOpening.entries.get(sku)?.ladder[0]).toMatchObject({
      ruleId: 'rule_initech_all',
      unitMinor: Math.round(list * 0.75),
    });

    const swept = await sweepPriceIndexes(deps(), opens);
    expect(swept.expired).toContain(fp);
    await buildFor('co_initech', () => opens + 1);
    clearIsolateCache();
    const rebuilt = await customerEntries(deps(), fp, [sku], opens + 2);
    expect(rebuilt.source).toBe('index');
    expect(rebuilt.entries.get(sku)?.ladder[0]?.ruleId).toBe('rule_initech_all');
  });

  it('the pointer names a complete generation: every part of both layouts it lists exists', async () => {
    const fp = await fingerprintOf('co_globex');
    await buildFor('co_globex');
    const ptr = await env.PRICE_INDEX.get<{ generation: number; parts: string[]; wide: string[] }>(
      kvKeys.priceIndexPointer(fp),
      'json',
    );
    if (!ptr) throw new Error('pointer expected');
    expect(ptr.parts.length).toBeGreaterThan(0);
    expect(ptr.wide.length).toBeGreaterThan(0);
    for (let i = 0; i < ptr.parts.length; i++) {
      expect(await env.PRICE_INDEX.get(kvKeys.priceIndexPart(fp, ptr.generation, i))).not.toBeNull();
    }
    for (let i = 0; i < ptr.wide.length; i++) {
      expect(await env.PRICE_INDEX.get(kvKeys.priceIndexWidePart(fp, ptr.generation, i))).not.toBeNull();
    }
    // a duplicate message for the same generation changes nothing
    expect(await buildFor('co_globex')).toEqual({ built: false, why: 'up_to_date' });
  });

  it('an index written in the previous encoding is stale, answered from SQL, and rebuilt by the sweep', async () => {
    const fp = await fingerprintOf('co_initech');
    await buildFor('co_initech');
    // as after a deploy of a new encoding: SQL names a generation whose keys readers no longer look for
    await env.DB.prepare(
      "UPDATE price_indexes SET pointer = json_set(pointer, '$.v', 1) WHERE fingerprint = ?",
    )
      .bind(fp)
      .run();
    await env.PRICE_INDEX.delete(kvKeys.priceIndexPointer(fp));
    clearIsolateCache();
    const ops = await loginAs('ops@supplier.example');
    const status = await json<{ state: string }>(
      await call('/v1/admin/price-index/co_initech', { token: ops }),
    );
    expect(status.state).toBe('stale');
    const { sku } = await first<{ sku: string }>("SELECT sku FROM products WHERE status = 'active' LIMIT 1");
    expect((await customerEntries(deps(), fp, [sku], Date.now())).source).toBe('sql');
    const swept = await sweepPriceIndexes(deps(), Date.now());
    expect(swept.expired).toContain(fp);
    expect(await buildFor('co_initech')).toMatchObject({ built: true });
    clearIsolateCache();
    expect((await customerEntries(deps(), fp, [sku], Date.now())).source).toBe('index');
  });

  it('a cold index is answered from SQL and a rebuild is requested', async () => {
    const fp = await fingerprintOf('co_globex');
    await env.PRICE_INDEX.delete(kvKeys.priceIndexPointer(fp));
    clearIsolateCache();
    const token = await loginAs('buyer@globex.example');
    const res = await call('/v1/catalog/products?limit=5', { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-price-source')).toBe('sql');
    expect((await json<Page>(res)).items[0]?.price?.currency).toBe('EUR');
  });
});

describe('GET /v1/admin/price-index/{companyId}', () => {
  it('shows generation, age, size and state to the rep of the account', async () => {
    await buildFor('co_acme');
    const rep = await loginAs('rep@supplier.example');
    const status = await json<Record<string, unknown>>(
      await call('/v1/admin/price-index/co_acme', { token: rep }),
    );
    expect(status).toMatchObject({ companyId: 'co_acme', state: 'current' });
    expect(status.generation).toEqual(expect.any(Number));
    expect(status.sizeBytes).toBeGreaterThan(1000);
    expect(status.productCount).toBeGreaterThan(100);
    expect(status.sharedByCompanies).toBe(2);
    await expectProblem(await call('/v1/admin/price-index/co_initech', { token: rep }), 404);
    await expectProblem(
      await call('/v1/admin/price-index/co_acme', { token: await loginAs('buyer@acme.example') }),
      403,
    );
  });

  it('reports stale after a change and building while a build runs', async () => {
    const fp = await fingerprintOf('co_acme');
    await pricingChanged(deps(), [{ kind: 'contract', contractId: 'ctr_acme' }], 'test', Date.now());
    const ops = await loginAs('ops@supplier.example');
    const stale = await json<{ state: string }>(await call('/v1/admin/price-index/co_acme', { token: ops }));
    expect(stale.state).toBe('stale');
    await env.DB.prepare(
      'UPDATE price_indexes SET building_generation = requested_generation WHERE fingerprint = ?',
    )
      .bind(fp)
      .run();
    const building = await json<{ state: string }>(
      await call('/v1/admin/price-index/co_acme', { token: ops }),
    );
    expect(building.state).toBe('building');
  });
});

describe('end to end: a sales rep changes the contract, the buyer sees it', () => {
  it('a net price added through the admin API is on the buyer’s page once the index is rebuilt', async () => {
    const { sku } = await first<{ sku: string }>(
      "SELECT p.sku FROM products p WHERE p.status = 'active' AND p.sku NOT IN (SELECT target FROM price_rules WHERE target_type = 'sku') AND p.category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%' AND p.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable') LIMIT 1",
    );
    const rep = await loginAs('rep@supplier.example');
    const added = await call('/v1/admin/contracts/ctr_acme/rules', {
      method: 'POST',
      token: rep,
      body: { rules: [{ targetType: 'sku', target: sku, kind: 'net_price', amountMinor: 4321 }] },
    });
    expect(added.status).toBe(201);
    const status = await json<{ state: string }>(await call('/v1/admin/price-index/co_acme', { token: rep }));
    expect(['stale', 'building']).toContain(status.state);
    await buildFor('co_acme');
    clearIsolateCache();
    const buyer = await loginAs('buyer@acme.example');
    const product = await json<Item>(await call(`/v1/catalog/products/${sku}`, { token: buyer }));
    expect(product.price).toMatchObject({ unitMinor: 4321, currency: 'EUR' });
    expect(product.price?.ruleId).toMatch(/^rule_/);
  });
});

describe('catalog changes', () => {
  it('a product change asks every index in use for a new generation', async () => {
    const assigned = (
      await all<{ fingerprint: string }>('SELECT DISTINCT fingerprint FROM company_pricing')
    ).map((r) => r.fingerprint);
    const enqueued = await catalogChanged(deps(), 'products updated', Date.now());
    expect([...enqueued].sort()).toEqual([...assigned].sort());
  });
});

describe('first index of a customer', () => {
  it('is picked up within 2 s of landing, while the isolate remembers the miss until then', async () => {
    const fp = await fingerprintOf('co_globex');
    const { sku } = await first<{ sku: string }>('SELECT sku FROM products ORDER BY sku LIMIT 1');
    await env.PRICE_INDEX.delete(kvKeys.priceIndexPointer(fp));
    clearIsolateCache();
    const t0 = Date.now();
    expect(await lookupEntries(deps(), fp, [sku], t0)).toEqual({ hit: false, why: 'no_index' });
    await env.DB.prepare(
      'UPDATE price_indexes SET requested_generation = requested_generation + 1 WHERE fingerprint = ?',
    )
      .bind(fp)
      .run();
    expect((await buildFor('co_globex')).built).toBe(true);
    expect((await lookupEntries(deps(), fp, [sku], t0 + 1)).hit).toBe(false);
    expect((await lookupEntries(deps(), fp, [sku], t0 + 2_000)).hit).toBe(true);
  });
});

describe('the price-index queue consumer', () => {
  const deliver = async (id: string, body: unknown) => {
    const batch = createMessageBatch('price-index', [{ id, timestamp: new Date(), attempts: 1, body }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    return getQueueResult(batch, ctx);
  };

  it('builds the requested generation and acks; a duplicate is acked without work', async () => {
    const fp = await fingerprintOf('co_initech');
    await env.DB.prepare(
      'UPDATE price_indexes SET requested_generation = requested_generation + 1 WHERE fingerprint = ?',
    )
      .bind(fp)
      .run();
    const wanted = await first<{ requested_generation: number }>(
      'SELECT requested_generation FROM price_indexes WHERE fingerprint = ?',
      fp,
    );
    expect((await deliver('b1', { fingerprint: fp, reason: 'test' })).explicitAcks).toEqual(['b1']);
    const after = await first<{ current_generation: number; stale_since: number | null }>(
      'SELECT current_generation, stale_since FROM price_indexes WHERE fingerprint = ?',
      fp,
    );
    expect(after).toEqual({ current_generation: wanted.requested_generation, stale_since: null });
    expect((await deliver('b2', { fingerprint: fp, reason: 'again' })).explicitAcks).toEqual(['b2']);
  });

  it('a failing build is retried with backoff and its error is visible on the index', async () => {
    const fp = 'broken-inputs-fingerprint';
    await env.DB.prepare(
      'INSERT INTO price_indexes (fingerprint, inputs, requested_generation, updated_at) VALUES (?, \'{"v":1}\', 1, 0)',
    )
      .bind(fp)
      .run();
    const result = await deliver('b3', { fingerprint: fp, reason: 'test' });
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['b3']);
    const row = await first<{ last_error: string | null; building_generation: number | null }>(
      'SELECT last_error, building_generation FROM price_indexes WHERE fingerprint = ?',
      fp,
    );
    expect(row.last_error).toBeTruthy();
    expect(row.building_generation).toBeNull();
  });

  it('drops a superseded generation’s parts (both layouts), counts and search flags when told to', async () => {
    const fp = await fingerprintOf('co_initech');
    const keys = [
      kvKeys.priceIndexPart(fp, 9_999, 0),
      kvKeys.priceIndexPart(fp, 9_999, 1),
      kvKeys.priceIndexWidePart(fp, 9_999, 0),
      kvKeys.priceIndexCategories(fp, 9_999),
      kvKeys.priceIndexSearchFlags(fp, 9_999),
    ];
    for (const key of keys) await env.PRICE_INDEX.put(key, 'old');
    const result = await deliver('b4', {
      fingerprint: fp,
      reason: 'drop',
      dropGeneration: { generation: 9_999, parts: 2, wide: 1, version: CODEC_VERSION },
    });
    expect(result.explicitAcks).toEqual(['b4']);
    for (const key of keys) expect(await env.PRICE_INDEX.get(key)).toBeNull();
  });

  it('a drop message of the previous encoding deletes that encoding’s keys, its pointer too', async () => {
    const fp = await fingerprintOf('co_initech');
    const old = [
      kvKeys.priceIndexPart(fp, 9_998, 0, 1),
      kvKeys.priceIndexCategories(fp, 9_998, 1),
      kvKeys.priceIndexPointer(fp, 1),
    ];
    for (const key of old) await env.PRICE_INDEX.put(key, 'old');
    // as sent before encoding 2 existed: no wide parts, no version
    const result = await deliver('b5', {
      fingerprint: fp,
      reason: 'drop',
      dropGeneration: { generation: 9_998, parts: 1 },
    });
    expect(result.explicitAcks).toEqual(['b5']);
    for (const key of old) expect(await env.PRICE_INDEX.get(key)).toBeNull();
    expect(await env.PRICE_INDEX.get(kvKeys.priceIndexPointer(fp))).not.toBeNull();
  });
});

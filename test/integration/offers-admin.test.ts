import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client';
import { activeOffersFor } from '../../src/db/queries/offers';
import { applyOffers } from '../../src/domain/offers';
import { call, expectProblem, json, loginAs } from './harness';

/** 2000-01-01T00:00:00Z: times the API takes start here. */
const Y2K = Date.UTC(2000, 0, 1);

interface Offer {
  id: string;
  name: string;
  description: string;
  companyId: string | null;
  groupId: string | null;
  kind: string;
  thresholdMinor: number | null;
  discountBp: number | null;
  targetType: string | null;
  target: string | null;
  buyQuantity: number | null;
  freeQuantity: number | null;
  maxApplications: number | null;
  priority: number;
  combinable: boolean;
  status: string;
}

const rows = async <T>(sql: string, ...binds: unknown[]): Promise<T[]> =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;

let ops: string;
let rep: string;
let buyer: string;
let family: string;

beforeAll(async () => {
  [ops, rep, buyer] = await Promise.all([
    loginAs('ops@supplier.example'),
    loginAs('rep@supplier.example'),
    loginAs('buyer@acme.example'),
  ]);
  const [product] = await rows<{ family: string }>('SELECT family FROM products ORDER BY sku LIMIT 1');
  if (!product) throw new Error('no products in the test catalog');
  family = product.family;
});

const spend = { kind: 'spend_threshold', currency: 'EUR', thresholdMinor: 50_000, discountBp: 500 };

const post = (token: string, body: Record<string, unknown>) =>
  call('/v1/admin/offers', { method: 'POST', token, body });

async function newOffer(token: string, body: Record<string, unknown>): Promise<Offer> {
  const res = await post(token, body);
  if (res.status !== 201) throw new Error(`offer: ${res.status} ${await res.text()}`);
  return json<Offer>(res);
}

const patch = (token: string, id: string, body: Record<string, unknown>) =>
  call(`/v1/admin/offers/${id}`, { method: 'PATCH', token, body });

const paths = async (res: Response, status: number) =>
  (await expectProblem(res, status)).errors?.map((e) => e.path);

describe('cart offers administration', () => {
  it('a rep creates, changes, lists and archives an offer of their account, with audit rows', async () => {
    const offer = await newOffer(rep, {
      ...spend,
      name: 'Acme spring',
      description: '5 % off from 500 EUR',
      companyId: 'co_acme',
    });
    expect(offer).toMatchObject({
      companyId: 'co_acme',
      groupId: null,
      kind: 'spend_threshold',
      thresholdMinor: 50_000,
      discountBp: 500,
      targetType: null,
      priority: 0,
      combinable: true,
      status: 'active',
      description: '5 % off from 500 EUR',
    });
    const patched = await patch(rep, offer.id, {
      discountBp: 700,
      combinable: false,
      validTo: 4_000_000_000_000,
    });
    expect(await json(patched)).toMatchObject({
      discountBp: 700,
      combinable: false,
      validTo: 4_000_000_000_000,
    });
    const listed = await json<{ items: Offer[] }>(
      await call('/v1/admin/offers?companyId=co_acme&kind=spend_threshold&status=active', { token: rep }),
    );
    expect(listed.items.map((o) => o.id)).toContain(offer.id);
    expect((await call(`/v1/admin/offers/${offer.id}`, { method: 'DELETE', token: rep })).status).toBe(204);
    expect(await json(await call(`/v1/admin/offers/${offer.id}`, { token: rep }))).toMatchObject({
      status: 'archived',
    });
    await expectProblem(await patch(rep, offer.id, { priority: 1 }), 409);
    await expectProblem(await call(`/v1/admin/offers/${offer.id}`, { method: 'DELETE', token: rep }), 409);
    const audit = await rows<{ action: string; company_id: string; target_type: string }>(
      'SELECT action, company_id, target_type FROM audit_log WHERE target_id = ? ORDER BY at, id',
      offer.id,
    );
    expect(audit).toEqual([
      { action: 'offer.create', company_id: 'co_acme', target_type: 'cart_offer' },
      { action: 'offer.update', company_id: 'co_acme', target_type: 'cart_offer' },
      { action: 'offer.archive', company_id: 'co_acme', target_type: 'cart_offer' },
    ]);
  });

  it('a platform admin creates group and global offers; a rep reads but cannot write them', async () => {
    const group = await newOffer(ops, {
      name: 'Construction buy 5 get 1',
      kind: 'buy_x_get_y',
      currency: 'EUR',
      groupId: 'grp_construction',
      targetType: 'family',
      target: family,
      buyQuantity: 5,
      freeQuantity: 1,
      maxApplications: 3,
      priority: 4,
    });
    expect(group).toMatchObject({
      groupId: 'grp_construction',
      companyId: null,
      target: family,
      maxApplications: 3,
    });
    const global = await newOffer(ops, { ...spend, name: 'Everyone 1 %', discountBp: 100 });
    expect(global).toMatchObject({ companyId: null, groupId: null });

    for (const offer of [group, global]) {
      expect((await call(`/v1/admin/offers/${offer.id}`, { token: rep })).status).toBe(200);
      await expectProblem(await patch(rep, offer.id, { name: 'Mine now' }), 403);
      await expectProblem(await call(`/v1/admin/offers/${offer.id}`, { method: 'DELETE', token: rep }), 403);
    }
    await expectProblem(await post(rep, { ...spend, name: 'Global by a rep' }), 403);
    await expectProblem(
      await post(rep, { ...spend, name: 'Group by a rep', groupId: 'grp_construction' }),
      403,
    );
    const mine = await newOffer(rep, { ...spend, name: 'Acme only', companyId: 'co_acme' });
    await expectProblem(await patch(rep, mine.id, { companyId: null }), 403);

    const scoped = async (scope: string) =>
      (
        await json<{ items: Offer[] }>(
          await call(`/v1/admin/offers?scope=${scope}&limit=200`, { token: rep }),
        )
      ).items;
    expect((await scoped('group')).map((o) => o.id)).toContain(group.id);
    expect((await scoped('global')).every((o) => o.companyId === null && o.groupId === null)).toBe(true);
    expect((await scoped('company')).every((o) => o.companyId !== null)).toBe(true);
  });

  it('switches kind only when the fields of the previous kind are cleared', async () => {
    const offer = await newOffer(ops, { ...spend, name: 'Switch', companyId: 'co_globex' });
    const bxgy = { kind: 'buy_x_get_y', targetType: 'all', buyQuantity: 3, freeQuantity: 1 };
    expect(await paths(await patch(ops, offer.id, bxgy), 400)).toEqual(['thresholdMinor', 'discountBp']);
    const switched = await patch(ops, offer.id, { ...bxgy, thresholdMinor: null, discountBp: null });
    expect(await json(switched)).toMatchObject({
      kind: 'buy_x_get_y',
      thresholdMinor: null,
      discountBp: null,
      targetType: 'all',
      target: null,
      buyQuantity: 3,
      freeQuantity: 1,
    });
    const missing = await expectProblem(
      await patch(ops, offer.id, { targetType: 'family', target: 'Hex bolts X' }),
      422,
    );
    expect(missing.errors).toEqual([
      expect.objectContaining({ path: 'target', message: 'no product family "Hex bolts X"' }),
    ]);
    expect(await json(await patch(ops, offer.id, { targetType: 'family', target: family }))).toMatchObject({
      target: family,
    });
  });

  it('validates kind-specific fields, scope and window with field paths (400)', async () => {
    const base = { name: 'X', currency: 'EUR', companyId: 'co_acme' };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...base, kind: 'spend_threshold' }, ['thresholdMinor', 'discountBp']],
      [{ ...base, ...spend, targetType: 'all', buyQuantity: 2 }, ['targetType', 'buyQuantity']],
      [{ ...base, ...spend, maxApplications: 2 }, ['maxApplications']],
      [{ ...base, kind: 'buy_x_get_y' }, ['targetType', 'buyQuantity', 'freeQuantity']],
      [
        { ...base, kind: 'buy_x_get_y', targetType: 'all', buyQuantity: 2, freeQuantity: 1, discountBp: 5 },
        ['discountBp'],
      ],
      [{ ...base, kind: 'buy_x_get_y', targetType: 'family', buyQuantity: 2, freeQuantity: 1 }, ['target']],
      [
        { ...base, kind: 'buy_x_get_y', targetType: 'all', target: 'x', buyQuantity: 2, freeQuantity: 1 },
        ['target'],
      ],
      [{ ...base, ...spend, groupId: 'grp_construction' }, ['groupId']],
      [{ ...base, ...spend, validFrom: Y2K + 5, validTo: Y2K + 5 }, ['validTo']],
      [{ ...base, ...spend, currency: 'eur' }, ['currency']],
      [{ ...base, ...spend, discountBp: 0 }, ['discountBp']],
      [{ ...base, ...spend, discountBp: 10_001 }, ['discountBp']],
      [{ ...base, ...spend, kind: 'bundle' }, ['kind']],
      [
        { ...base, kind: 'buy_x_get_y', targetType: 'all', buyQuantity: 0, freeQuantity: 1.5 },
        ['buyQuantity', 'freeQuantity'],
      ],
      [{ ...base, ...spend, colour: 'red' }, ['colour']],
    ];
    for (const [body, expected] of cases) {
      expect(await paths(await post(ops, body), 400), JSON.stringify(body)).toEqual(expected);
    }
    await expectProblem(await call('/v1/admin/offers?sort=name', { token: ops }), 400);
    await expectProblem(await call('/v1/admin/offers?cursor=nonsense', { token: ops }), 400);
    const offer = await newOffer(ops, { ...spend, name: 'Patch me', companyId: 'co_acme' });
    await expectProblem(await patch(ops, offer.id, {}), 400);
    expect(await paths(await patch(ops, offer.id, { validFrom: Y2K + 10, validTo: Y2K + 9 }), 400)).toEqual([
      'validTo',
    ]);
  });

  it('rejects references that do not exist or do not fit (422)', async () => {
    const bxgy = { kind: 'buy_x_get_y', currency: 'EUR', buyQuantity: 2, freeQuantity: 1 };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...spend, name: 'X', companyId: 'co_nope' }, ['companyId']],
      [{ ...spend, name: 'X', groupId: 'grp_nope' }, ['groupId']],
      [{ ...spend, name: 'X', companyId: 'co_acme', currency: 'GBP' }, ['currency']],
      [{ ...bxgy, name: 'X', targetType: 'sku', target: 'NOPE-1' }, ['target']],
      [{ ...bxgy, name: 'X', targetType: 'category', target: 'nope/none' }, ['target']],
      [
        { ...bxgy, name: 'X', targetType: 'brand', target: 'Foo', groupId: 'grp_nope' },
        ['groupId', 'target'],
      ],
    ];
    for (const [body, expected] of cases) {
      expect(await paths(await post(ops, body), 422), JSON.stringify(body)).toEqual(expected);
    }
    const problem = await expectProblem(
      await post(ops, { ...bxgy, name: 'X', targetType: 'sku', target: 'NOPE-1' }),
      422,
    );
    expect(problem.errors?.[0]?.message).toBe('no product with SKU "NOPE-1"');
  });

  it("hides other companies' offers from a rep and everything from customers", async () => {
    const initech = await newOffer(ops, {
      ...spend,
      currency: 'GBP',
      name: 'Initech UK',
      companyId: 'co_initech',
    });
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { priority: 9 }],
      ['DELETE', undefined],
    ] as const) {
      const res = await call(`/v1/admin/offers/${initech.id}`, { method, token: rep, body });
      expect((await expectProblem(res, 404)).detail).not.toMatch(/initech/i);
    }
    expect(
      await paths(
        await post(rep, { ...spend, currency: 'GBP', name: 'Sneaky', companyId: 'co_initech' }),
        422,
      ),
    ).toEqual(['companyId']);
    const seen = new Set<string>();
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { items: Offer[]; nextCursor: string | null } = await json(
        await call(`/v1/admin/offers?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: rep }),
      );
      for (const o of page.items) seen.add(o.id);
      cursor = page.nextCursor;
    }
    expect(seen.has(initech.id)).toBe(false);
    expect(seen.has('off_spend_1000')).toBe(true);
    await expectProblem(await call('/v1/admin/offers/off_nope', { token: ops }), 404);
    await expectProblem(await call('/v1/admin/offers', { token: buyer }), 403);
    await expectProblem(await post(buyer, { ...spend, name: 'Mine', companyId: 'co_acme' }), 403);
    await expectProblem(await call(`/v1/admin/offers/${initech.id}`, { token: buyer }), 403);
    await expectProblem(await call('/v1/admin/offers'), 401);
  });
});

describe('activeOffersFor', () => {
  const NOW = Date.UTC(2026, 5, 1);
  const offer = (id: string, o: Record<string, unknown>) => ({
    id,
    name: id,
    company_id: null,
    group_id: null,
    currency: 'CHF',
    valid_from: null,
    valid_to: null,
    status: 'active',
    priority: 0,
    ...o,
  });

  beforeAll(async () => {
    const offers = [
      offer('off_q_acme', { company_id: 'co_acme', priority: 2 }),
      offer('off_q_globex', { company_id: 'co_globex' }),
      offer('off_q_constr', { group_id: 'grp_construction', priority: 1 }),
      offer('off_q_keyacc', { group_id: 'grp_key_accounts' }),
      offer('off_q_global', {}),
      offer('off_q_eur', { currency: 'EUR', company_id: 'co_initech' }),
      offer('off_q_archived', { status: 'archived' }),
      offer('off_q_future', { valid_from: NOW + 1 }),
      offer('off_q_ended', { valid_to: NOW }),
      offer('off_q_window', { valid_from: NOW, valid_to: NOW + 1 }),
    ];
    await env.DB.batch(
      offers.map((o) =>
        env.DB.prepare(
          `INSERT INTO cart_offers (id, name, company_id, group_id, currency, kind, threshold_minor, discount_bp,
             priority, valid_from, valid_to, status, updated_at)
           VALUES (?, ?, ?, ?, ?, 'spend_threshold', 1000, 100, ?, ?, ?, ?, 0)`,
        ).bind(
          o.id,
          o.name,
          o.company_id,
          o.group_id,
          o.currency,
          o.priority,
          o.valid_from,
          o.valid_to,
          o.status,
        ),
      ),
    );
  });

  it("returns the company's, its groups' and the global offers in force, in that currency, by priority", async () => {
    const db = createDatabase(env);
    const ids = async (q: { companyId: string; groupIds: string[] }) =>
      (await activeOffersFor(db, { ...q, currency: 'CHF', now: NOW })).map((o) => o.id);
    expect(await ids({ companyId: 'co_acme', groupIds: ['grp_construction'] })).toEqual([
      'off_q_acme',
      'off_q_constr',
      'off_q_global',
      'off_q_window',
    ]);
    expect(await ids({ companyId: 'co_globex', groupIds: ['grp_key_accounts'] })).toEqual([
      'off_q_global',
      'off_q_globex',
      'off_q_keyacc',
      'off_q_window',
    ]);
    expect(await ids({ companyId: 'co_initech', groupIds: [] })).toEqual(['off_q_global', 'off_q_window']);
  });

  it('hands the demo offers to the pure evaluation as CartOffer values', async () => {
    const db = createDatabase(env);
    const acme = await activeOffersFor(db, {
      companyId: 'co_acme',
      groupIds: ['grp_construction'],
      currency: 'EUR',
      now: NOW,
    });
    const demo = acme.filter((o) => o.id === 'off_spend_1000' || o.id === 'off_construction_b10g1');
    expect(demo).toEqual([
      expect.objectContaining({
        id: 'off_construction_b10g1',
        kind: 'buy_x_get_y',
        buyQuantity: 10,
        freeQuantity: 1,
      }),
      expect.objectContaining({
        id: 'off_spend_1000',
        kind: 'spend_threshold',
        thresholdMinor: 100_000,
        discountBp: 500,
        combinable: true,
        targetType: null,
      }),
    ]);
    const target = demo[0]?.target ?? '';
    const [product] = await rows<{ sku: string; family: string; category_path: string; brand: string }>(
      'SELECT sku, family, category_path, brand FROM products WHERE family = ? LIMIT 1',
      target,
    );
    expect(product).toBeDefined();
    const result = applyOffers(
      demo,
      [
        {
          lineId: 'l1',
          sku: product?.sku ?? '',
          family: target,
          categoryPath: product?.category_path ?? '',
          brand: product?.brand ?? '',
          quantity: 22,
          unitMinor: 5_000,
        },
      ],
      'EUR',
      NOW,
    );
    // 22 units: two blocks of 10 + 1 → 10,000 free; 100,000 left reaches 1,000.00 → 5,000 more
    expect(result).toMatchObject({ subtotalMinor: 110_000, discountMinor: 15_000, totalMinor: 95_000 });
    expect(
      (
        await activeOffersFor(db, {
          companyId: 'co_globex',
          groupIds: ['grp_key_accounts'],
          currency: 'EUR',
          now: NOW,
        })
      ).map((o) => o.id),
    ).not.toContain('off_construction_b10g1');
  });
});

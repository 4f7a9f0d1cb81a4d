import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';

/** 2000-01-01T00:00:00Z: times the API takes start here. */
const Y2K = Date.UTC(2000, 0, 1);

interface Contract {
  id: string;
  name: string;
  companyId: string | null;
  groupId: string | null;
  status: string;
  ruleCount: number;
  priority: number;
}
interface Rule {
  id: string;
  targetType: string;
  target: string | null;
  kind: string;
  amountMinor: number | null;
  discountBp: number | null;
  minQuantity: number;
}

const rows = async <T>(sql: string, ...binds: unknown[]): Promise<T[]> =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;

const scalar = async (sql: string, ...binds: unknown[]): Promise<number> => {
  const row = await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>();
  if (!row) throw new Error(`no row for ${sql}`);
  return row.n;
};

let ops: string;
let rep: string;
let buyer: string;
let catalog: { sku: string; family: string; brand: string; category: string };

beforeAll(async () => {
  [ops, rep, buyer] = await Promise.all([
    loginAs('ops@supplier.example'),
    loginAs('rep@supplier.example'),
    loginAs('buyer@acme.example'),
  ]);
  const [product] = await rows<{ sku: string; family: string; brand: string; category_path: string }>(
    'SELECT sku, family, brand, category_path FROM products ORDER BY sku LIMIT 1',
  );
  if (!product) throw new Error('no products in the test catalog');
  catalog = {
    sku: product.sku,
    family: product.family,
    brand: product.brand,
    category: product.category_path,
  };
});

async function newContract(token: string, body: Record<string, unknown>): Promise<Contract> {
  const res = await call('/v1/admin/contracts', { method: 'POST', token, body });
  if (res.status !== 201) throw new Error(`contract: ${res.status} ${await res.text()}`);
  return json<Contract>(res);
}

const postRules = (token: string, contractId: string, rules: unknown[]) =>
  call(`/v1/admin/contracts/${contractId}/rules`, { method: 'POST', token, body: { rules } });

describe('contracts', () => {
  it('a rep opens, changes and archives a contract of their account, with audit rows', async () => {
    const contract = await newContract(rep, { name: 'Acme 2026', currency: 'EUR', companyId: 'co_acme' });
    expect(contract).toMatchObject({ companyId: 'co_acme', groupId: null, status: 'active', ruleCount: 0 });
    const patched = await call(`/v1/admin/contracts/${contract.id}`, {
      method: 'PATCH',
      token: rep,
      body: { priority: 5, combination: 'stackable', validFrom: Y2K + 1_000, validTo: 2_000_000_000_000 },
    });
    expect(await json(patched)).toMatchObject({
      priority: 5,
      combination: 'stackable',
      validFrom: Y2K + 1000,
    });
    const listed = await json<{ items: Contract[] }>(
      await call('/v1/admin/contracts?companyId=co_acme&status=active', { token: rep }),
    );
    expect(listed.items.map((c) => c.id)).toContain(contract.id);
    expect((await call(`/v1/admin/contracts/${contract.id}`, { method: 'DELETE', token: rep })).status).toBe(
      204,
    );
    expect(await json(await call(`/v1/admin/contracts/${contract.id}`, { token: rep }))).toMatchObject({
      status: 'archived',
    });
    await expectProblem(
      await call(`/v1/admin/contracts/${contract.id}`, {
        method: 'PATCH',
        token: rep,
        body: { priority: 1 },
      }),
      409,
    );
    await expectProblem(
      await postRules(rep, contract.id, [{ targetType: 'all', kind: 'discount', discountBp: 100 }]),
      409,
    );
    const audit = await rows<{ action: string; company_id: string; summary: string }>(
      'SELECT action, company_id, summary FROM audit_log WHERE target_id = ? ORDER BY at, id',
      contract.id,
    );
    expect(audit.map((a) => [a.action, a.company_id])).toEqual([
      ['contract.create', 'co_acme'],
      ['contract.update', 'co_acme'],
      ['contract.archive', 'co_acme'],
    ]);
  });

  it('validates attachment, currency and window with field paths', async () => {
    const post = (body: Record<string, unknown>) =>
      call('/v1/admin/contracts', { method: 'POST', token: ops, body });
    const paths = async (res: Response, status: number) =>
      (await expectProblem(res, status)).errors?.map((e) => e.path);
    expect(await paths(await post({ name: 'X', currency: 'EUR' }), 400)).toEqual(['companyId']);
    expect(
      await paths(
        await post({ name: 'X', currency: 'EUR', companyId: 'co_acme', groupId: 'grp_construction' }),
        400,
      ),
    ).toEqual(['groupId']);
    expect(
      await paths(
        await post({
          name: 'X',
          currency: 'EUR',
          companyId: 'co_acme',
          validFrom: Y2K + 5,
          validTo: Y2K + 5,
        }),
        400,
      ),
    ).toEqual(['validTo']);
    expect(await paths(await post({ name: 'X', currency: 'EUR', companyId: 'co_nope' }), 422)).toEqual([
      'companyId',
    ]);
    expect(await paths(await post({ name: 'X', currency: 'EUR', groupId: 'grp_nope' }), 422)).toEqual([
      'groupId',
    ]);
    expect(await paths(await post({ name: 'X', currency: 'GBP', companyId: 'co_acme' }), 422)).toEqual([
      'currency',
    ]);
    expect(
      await paths(await post({ name: 'X', currency: 'EUR', companyId: 'co_acme', colour: 'red' }), 400),
    ).toEqual(['colour']);
    await expectProblem(await call('/v1/admin/contracts?sort=name', { token: ops }), 400);
  });

  it("hides other companies' contracts from a rep and keeps group contracts read-only for them", async () => {
    const initech = await newContract(ops, { name: 'Initech UK', currency: 'GBP', companyId: 'co_initech' });
    const group = await json<{ id: string }>(
      await call('/v1/admin/customer-groups', { method: 'POST', token: ops, body: { name: 'Resellers' } }),
    );
    const shared = await newContract(ops, { name: 'Resellers', currency: 'EUR', groupId: group.id });

    for (const [method, path, body] of [
      ['GET', `/v1/admin/contracts/${initech.id}`, undefined],
      ['PATCH', `/v1/admin/contracts/${initech.id}`, { priority: 9 }],
      ['DELETE', `/v1/admin/contracts/${initech.id}`, undefined],
      ['GET', `/v1/admin/contracts/${initech.id}/rules`, undefined],
      [
        'POST',
        `/v1/admin/contracts/${initech.id}/rules`,
        { rules: [{ targetType: 'all', kind: 'discount', discountBp: 1 }] },
      ],
    ] as const) {
      const res = await call(path, { method, token: rep, body });
      expect((await expectProblem(res, 404)).detail).not.toMatch(/initech/i);
    }
    await expectProblem(
      await call('/v1/admin/contracts', {
        method: 'POST',
        token: rep,
        body: { name: 'Sneaky', currency: 'GBP', companyId: 'co_initech' },
      }),
      422,
    );
    await expectProblem(
      await call('/v1/admin/contracts', {
        method: 'POST',
        token: rep,
        body: { name: 'Group', currency: 'EUR', groupId: group.id },
      }),
      403,
    );
    expect((await call(`/v1/admin/contracts/${shared.id}`, { token: rep })).status).toBe(200);
    await expectProblem(
      await call(`/v1/admin/contracts/${shared.id}`, {
        method: 'PATCH',
        token: rep,
        body: { name: 'Mine now' },
      }),
      403,
    );
    await expectProblem(
      await postRules(rep, shared.id, [{ targetType: 'all', kind: 'discount', discountBp: 100 }]),
      403,
    );
    const seen = new Set<string>();
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { items: Contract[]; nextCursor: string | null } = await json(
        await call(`/v1/admin/contracts?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: rep }),
      );
      for (const c of page.items) seen.add(c.id);
      cursor = page.nextCursor;
    }
    expect(seen.has(shared.id)).toBe(true);
    expect(seen.has(initech.id)).toBe(false);
    await expectProblem(await call('/v1/admin/contracts', { token: buyer }), 403);
    await expectProblem(
      await call(`/v1/admin/contracts/${initech.id}`, {
        method: 'PATCH',
        token: buyer,
        body: { priority: 1 },
      }),
      403,
    );
  });
});

describe('price rules', () => {
  it('adds rules on every kind of target, pages, changes and deletes them', async () => {
    const contract = await newContract(rep, { name: 'Acme rules', currency: 'EUR', companyId: 'co_acme' });
    const res = await postRules(rep, contract.id, [
      { targetType: 'sku', target: catalog.sku, kind: 'net_price', amountMinor: 990, minQuantity: 10 },
      { targetType: 'family', target: catalog.family, kind: 'discount', discountBp: 1500 },
      { targetType: 'category', target: catalog.category, kind: 'discount', discountBp: 500, label: 'Cat' },
      {
        targetType: 'brand',
        target: catalog.brand,
        kind: 'discount',
        discountBp: 250,
        validFrom: Y2K + 1,
        validTo: Y2K + 2,
      },
      { targetType: 'all', kind: 'discount', discountBp: 100 },
    ]);
    expect(res.status).toBe(201);
    const { items } = await json<{ items: Rule[] }>(res);
    expect(items.map((r) => r.targetType)).toEqual(['sku', 'family', 'category', 'brand', 'all']);
    expect(items[0]).toMatchObject({ amountMinor: 990, discountBp: null, minQuantity: 10 });
    expect(items[4]).toMatchObject({ target: null, minQuantity: 1 });
    expect(await json(await call(`/v1/admin/contracts/${contract.id}`, { token: rep }))).toMatchObject({
      ruleCount: 5,
    });

    const page1 = await json<{ items: Rule[]; nextCursor: string }>(
      await call(`/v1/admin/contracts/${contract.id}/rules?limit=3`, { token: rep }),
    );
    const page2 = await json<{ items: Rule[]; nextCursor: string | null }>(
      await call(`/v1/admin/contracts/${contract.id}/rules?limit=3&cursor=${page1.nextCursor}`, {
        token: rep,
      }),
    );
    expect([...page1.items, ...page2.items].map((r) => r.id).sort()).toEqual(items.map((r) => r.id).sort());
    expect(page2.nextCursor).toBeNull();

    const skuRule = items[0]?.id ?? '';
    const patch = (body: unknown) =>
      call(`/v1/admin/contracts/${contract.id}/rules/${skuRule}`, { method: 'PATCH', token: rep, body });
    expect(await json(await patch({ amountMinor: 950 }))).toMatchObject({ amountMinor: 950 });
    const switched = await patch({ kind: 'discount', amountMinor: null, discountBp: 700 });
    expect(await json(switched)).toMatchObject({ kind: 'discount', amountMinor: null, discountBp: 700 });
    const half = await expectProblem(await patch({ kind: 'net_price' }), 400);
    expect(half.errors?.map((e) => e.path).sort()).toEqual(['amountMinor', 'discountBp']);
    const missing = await expectProblem(await patch({ targetType: 'family', target: 'Hex bolts X' }), 422);
    expect(missing.errors).toEqual([
      expect.objectContaining({ path: 'target', message: 'no product family "Hex bolts X"' }),
    ]);
    const del = await call(`/v1/admin/contracts/${contract.id}/rules/${skuRule}`, {
      method: 'DELETE',
      token: rep,
    });
    expect(del.status).toBe(204);
    await expectProblem(await patch({ amountMinor: 1 }), 404);
    const actions = await rows<{ action: string; summary: string }>(
      "SELECT action, summary FROM audit_log WHERE action LIKE 'price_rule.%' AND company_id = 'co_acme' ORDER BY at, id",
    );
    expect(actions.map((a) => a.action)).toEqual([
      'price_rule.create',
      'price_rule.update',
      'price_rule.update',
      'price_rule.delete',
    ]);
    expect(actions[0]?.summary).toBe('Added 5 rule(s) to contract Acme rules');
  });

  it('rejects missing SKUs, families, categories and brands with their reasons, writing nothing', async () => {
    const contract = await newContract(ops, { name: 'Strict', currency: 'EUR', companyId: 'co_globex' });
    const good = { targetType: 'sku', target: catalog.sku, kind: 'net_price', amountMinor: 100 };
    const before = await scalar('SELECT count(*) AS n FROM price_rules');
    const res = await postRules(ops, contract.id, [
      good,
      { targetType: 'sku', target: 'FAS-999999', kind: 'net_price', amountMinor: 1 },
      { targetType: 'family', target: catalog.family, kind: 'discount', discountBp: 1 },
      { targetType: 'family', target: 'Hex bolts X', kind: 'discount', discountBp: 1 },
      { targetType: 'category', target: 'fasteners/nope', kind: 'discount', discountBp: 1 },
      { targetType: 'brand', target: 'Foo', kind: 'discount', discountBp: 1 },
      { targetType: 'brand', target: 'Foo', kind: 'discount', discountBp: 2 },
    ]);
    const problem = await expectProblem(res, 422);
    expect(problem.code).toBe('unprocessable');
    expect(problem.errors?.map((e) => [e.path, e.message])).toEqual([
      ['rules.1.target', 'no product with SKU "FAS-999999"'],
      ['rules.3.target', 'no product family "Hex bolts X"'],
      ['rules.4.target', 'no category "fasteners/nope"'],
      ['rules.5.target', 'no brand "Foo"'],
      ['rules.6.target', 'no brand "Foo"'],
    ]);
    expect(await scalar('SELECT count(*) AS n FROM price_rules')).toBe(before);
  });

  it('rejects inconsistent rule shapes with their paths (400)', async () => {
    const contract = await newContract(ops, { name: 'Shapes', currency: 'EUR', companyId: 'co_globex' });
    const problem = await expectProblem(
      await postRules(ops, contract.id, [
        { targetType: 'all', target: 'x', kind: 'discount', discountBp: 1 },
        { targetType: 'sku', kind: 'net_price', amountMinor: 1 },
        { targetType: 'brand', target: catalog.brand, kind: 'net_price', discountBp: 5 },
        {
          targetType: 'brand',
          target: catalog.brand,
          kind: 'discount',
          discountBp: 5,
          validFrom: Y2K + 9,
          validTo: Y2K + 3,
        },
      ]),
      400,
    );
    expect(problem.errors?.map((e) => e.path)).toEqual([
      'rules.0.target',
      'rules.1.target',
      'rules.2.amountMinor',
      'rules.2.discountBp',
      'rules.3.validTo',
    ]);
    const schema = await expectProblem(
      await postRules(ops, contract.id, [
        { targetType: 'sku', target: catalog.sku, kind: 'discount', discountBp: 10_001, minQuantity: 0 },
      ]),
      400,
    );
    expect(schema.errors?.map((e) => e.path).sort()).toEqual(['rules.0.discountBp', 'rules.0.minQuantity']);
    await expectProblem(await postRules(ops, contract.id, []), 400);
  });

  it('writes a large batch atomically: one bad rule among 1,200 and none lands', async () => {
    const contract = await newContract(ops, { name: 'Bulk', currency: 'EUR', companyId: 'co_globex' });
    const skus = (await rows<{ sku: string }>('SELECT sku FROM products ORDER BY sku LIMIT 400')).map(
      (r) => r.sku,
    );
    const rules = Array.from({ length: 1200 }, (_, i) => ({
      targetType: 'sku',
      target: skus[i % skus.length],
      kind: 'net_price',
      amountMinor: 1000 + i,
      minQuantity: 1 + Math.floor(i / skus.length),
    }));
    const bad = rules.map((r, i) => (i === 1100 ? { ...r, target: 'NOPE-1' } : r));
    const before = await scalar('SELECT count(*) AS n FROM price_rules');
    const problem = await expectProblem(await postRules(ops, contract.id, bad), 422);
    expect(problem.errors?.map((e) => e.path)).toEqual(['rules.1100.target']);
    expect(await scalar('SELECT count(*) AS n FROM price_rules')).toBe(before);

    const ok = await postRules(ops, contract.id, rules);
    expect(ok.status).toBe(201);
    expect((await json<{ items: Rule[] }>(ok)).items).toHaveLength(1200);
    expect(await scalar('SELECT count(*) AS n FROM price_rules WHERE contract_id = ?', contract.id)).toBe(
      1200,
    );
    expect(
      await scalar(
        'SELECT amount_minor AS n FROM price_rules WHERE contract_id = ? AND min_quantity = 3 AND target = ?',
        contract.id,
        skus[399],
      ),
    ).toBe(1000 + 1199);
  });

  it("marks the company's price index stale when a rule is added", async () => {
    await newContract(rep, { name: 'Acme stale', currency: 'EUR', companyId: 'co_acme' });
    const generation = async () => {
      const [row] = await rows<{ requested_generation: number }>(
        `SELECT pi.requested_generation FROM price_indexes pi
         JOIN company_pricing cp ON cp.fingerprint = pi.fingerprint WHERE cp.company_id = 'co_acme'`,
      );
      if (!row) throw new Error('co_acme has no price index row');
      return row.requested_generation;
    };
    const contractId = (
      await rows<{ id: string }>(
        "SELECT id FROM contracts WHERE name = 'Acme stale' AND company_id = 'co_acme'",
      )
    )[0]?.id;
    const before = await generation();
    const res = await postRules(rep, contractId ?? '', [
      { targetType: 'all', kind: 'discount', discountBp: 200 },
    ]);
    expect(res.status).toBe(201);
    expect(await generation()).toBeGreaterThan(before);
  });
});

describe('assortment rules', () => {
  it('a rep adds, changes and deletes a rule of their account; group and region rules are admin-only', async () => {
    const created = await call('/v1/admin/assortment-rules', {
      method: 'POST',
      token: rep,
      body: {
        scopeType: 'company',
        companyId: 'co_acme',
        effect: 'exclude',
        targetType: 'brand',
        target: catalog.brand,
      },
    });
    expect(created.status).toBe(201);
    const rule = await json<{ id: string; effect: string }>(created);
    const patched = await call(`/v1/admin/assortment-rules/${rule.id}`, {
      method: 'PATCH',
      token: rep,
      body: { effect: 'lead_time', leadTimeDays: 14, note: 'slow supplier' },
    });
    expect(await json(patched)).toMatchObject({
      effect: 'lead_time',
      leadTimeDays: 14,
      note: 'slow supplier',
    });
    const listed = await json<{ items: { id: string }[] }>(
      await call('/v1/admin/assortment-rules?companyId=co_acme', { token: rep }),
    );
    expect(listed.items.map((r) => r.id)).toContain(rule.id);

    await expectProblem(
      await call('/v1/admin/assortment-rules', {
        method: 'POST',
        token: rep,
        body: { scopeType: 'region', region: 'FR', effect: 'exclude', targetType: 'all' },
      }),
      403,
    );
    const region = await call('/v1/admin/assortment-rules', {
      method: 'POST',
      token: ops,
      body: {
        scopeType: 'region',
        region: 'FR',
        effect: 'not_orderable',
        targetType: 'sku',
        target: catalog.sku,
      },
    });
    expect(region.status).toBe(201);
    const regionRule = await json<{ id: string }>(region);
    expect((await call(`/v1/admin/assortment-rules/${regionRule.id}`, { token: rep })).status).toBe(200);
    await expectProblem(
      await call(`/v1/admin/assortment-rules/${regionRule.id}`, { method: 'DELETE', token: rep }),
      403,
    );
    const initech = await json<{ id: string }>(
      await call('/v1/admin/assortment-rules', {
        method: 'POST',
        token: ops,
        body: { scopeType: 'company', companyId: 'co_initech', effect: 'exclude', targetType: 'all' },
      }),
    );
    await expectProblem(await call(`/v1/admin/assortment-rules/${initech.id}`, { token: rep }), 404);
    await expectProblem(
      await call(`/v1/admin/assortment-rules/${initech.id}`, {
        method: 'PATCH',
        token: rep,
        body: { note: 'x' },
      }),
      404,
    );
    const repList = await json<{ items: { id: string }[] }>(
      await call('/v1/admin/assortment-rules', { token: rep }),
    );
    expect(repList.items.map((r) => r.id)).not.toContain(initech.id);

    expect(
      (await call(`/v1/admin/assortment-rules/${rule.id}`, { method: 'DELETE', token: rep })).status,
    ).toBe(204);
    await expectProblem(await call(`/v1/admin/assortment-rules/${rule.id}`, { token: rep }), 404);
    const audit = await rows<{ action: string; company_id: string }>(
      'SELECT action, company_id FROM audit_log WHERE target_id = ? ORDER BY at, id',
      rule.id,
    );
    expect(audit).toEqual([
      { action: 'assortment_rule.create', company_id: 'co_acme' },
      { action: 'assortment_rule.update', company_id: 'co_acme' },
      { action: 'assortment_rule.delete', company_id: 'co_acme' },
    ]);
    await expectProblem(await call('/v1/admin/assortment-rules', { token: buyer }), 403);
  });

  it('checks scope consistency, lead times and targets with field paths', async () => {
    const post = (body: Record<string, unknown>) =>
      call('/v1/admin/assortment-rules', { method: 'POST', token: ops, body });
    const paths = async (res: Response, status: number) =>
      (await expectProblem(res, status)).errors?.map((e) => e.path);
    expect(
      await paths(
        await post({ scopeType: 'company', region: 'FR', effect: 'exclude', targetType: 'all' }),
        400,
      ),
    ).toEqual(['companyId', 'region']);
    expect(
      await paths(
        await post({
          scopeType: 'company',
          companyId: 'co_acme',
          effect: 'lead_time',
          targetType: 'sku',
          target: catalog.sku,
        }),
        400,
      ),
    ).toEqual(['leadTimeDays']);
    expect(
      await paths(
        await post({
          scopeType: 'region',
          region: 'FR',
          effect: 'exclude',
          leadTimeDays: 3,
          targetType: 'brand',
        }),
        400,
      ),
    ).toEqual(['leadTimeDays', 'target']);
    expect(
      await paths(
        await post({
          scopeType: 'company',
          companyId: 'co_acme',
          effect: 'exclude',
          targetType: 'category',
          target: 'nope/none',
        }),
        422,
      ),
    ).toEqual(['target']);
    expect(
      await paths(
        await post({ scopeType: 'company', companyId: 'co_nope', effect: 'exclude', targetType: 'all' }),
        422,
      ),
    ).toEqual(['companyId']);
    expect(
      await paths(
        await post({ scopeType: 'region', region: 'France', effect: 'exclude', targetType: 'all' }),
        400,
      ),
    ).toEqual(['region']);
  });
});

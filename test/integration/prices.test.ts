import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';
import { all, buildFor, first } from './pricing-helpers';

interface Line {
  sku: string;
  quantity: number;
  status: 'priced' | 'not_orderable' | 'not_available' | 'unknown';
  reason?: string | null;
  nearestValidQuantity?: number;
  closeMatches?: string[];
  leadTimeDays?: number;
  replacement?: string | null;
  price?: {
    currency: string;
    unitMinor: number;
    listMinor: number | null;
    lineTotalMinor: number | null;
    ruleId: string | null;
    tierMinQuantity: number;
    explanation: { ruleId: string; contractName: string; kind: string; minQuantity: number; text: string }[];
  } | null;
}
interface Answer {
  currency: string;
  source: string;
  lines: Line[];
}

const price = async (token: string, lines: unknown[]) =>
  call('/v1/prices', { method: 'POST', token, body: { lines } });

let buyer: string;
beforeAll(async () => {
  buyer = await loginAs('buyer@acme.example');
  await buildFor('co_acme');
});

describe('POST /v1/prices', () => {
  it('prices each line at its quantity tier and explains why', async () => {
    const { target: sku } = await first<{ target: string }>(
      "SELECT target FROM price_rules WHERE contract_id = 'ctr_acme' AND target_type = 'sku' AND kind = 'discount' AND min_quantity = 100 LIMIT 1",
    );
    const res = await price(buyer, [
      { sku, quantity: 1 },
      { sku, quantity: 10 },
      { sku, quantity: 250 },
    ]);
    expect(res.status).toBe(200);
    const answer = await json<Answer>(res);
    expect(answer.currency).toBe('EUR');
    const [one, ten, many] = answer.lines;
    expect(ten?.price?.tierMinQuantity).toBe(10);
    expect(many?.price?.tierMinQuantity).toBe(100);
    expect(many?.price?.unitMinor).toBeLessThan(ten?.price?.unitMinor ?? 0);
    expect(ten?.price?.unitMinor).toBeLessThan(one?.price?.unitMinor ?? 0);
    expect(many?.price?.lineTotalMinor).toBe((many?.price?.unitMinor ?? 0) * 250);
    expect(many?.price?.explanation[0]).toMatchObject({ kind: 'discount', minQuantity: 100 });
    expect(many?.price?.explanation[0]?.text).toContain('from 100 units');
    expect(many?.price?.explanation[0]?.contractName).toMatch(/Acme/);
  });

  it('answers every line: unknown with close matches, hidden, not orderable, below the minimum', async () => {
    const hidden = await first<{ sku: string }>(
      "SELECT sku FROM products WHERE category_path = (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') OR category_path LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '/%' LIMIT 1",
    );
    const blocked = await first<{ sku: string }>(
      "SELECT sku FROM products WHERE status = 'active' AND family = (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'not_orderable') LIMIT 1",
    );
    const multiple = await first<{ sku: string; order_multiple: number }>(
      "SELECT sku, order_multiple FROM products WHERE order_multiple > 1 AND status = 'active' AND category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%' LIMIT 1",
    );
    const known = await first<{ sku: string }>("SELECT sku FROM products WHERE sku LIKE '%1' LIMIT 1");
    const typo = `${known.sku.slice(0, -1)}X`;
    const answer = await json<Answer>(
      await price(buyer, [
        { sku: typo, quantity: 1 },
        { sku: hidden.sku, quantity: 1 },
        { sku: blocked.sku, quantity: 1 },
        { sku: multiple.sku, quantity: multiple.order_multiple + 1 },
      ]),
    );
    const [unknown, notVisible, notOrderable, notMultiple] = answer.lines;
    expect(unknown).toMatchObject({ sku: typo, status: 'unknown' });
    expect(unknown?.closeMatches).toContain(known.sku);
    expect(notVisible).toMatchObject({ status: 'not_available', reason: 'not_in_assortment' });
    expect(notVisible).not.toHaveProperty('price');
    expect(notOrderable).toMatchObject({ status: 'not_orderable', reason: 'not_orderable' });
    expect(notMultiple).toMatchObject({
      status: 'not_orderable',
      reason: expect.stringMatching(/below_minimum|not_a_multiple/),
      nearestValidQuantity: multiple.order_multiple * 2,
    });
  });

  it('an obsolete product names its replacement', async () => {
    const rows = await all<{ sku: string; replacement_sku: string }>(
      "SELECT sku, replacement_sku FROM products WHERE status = 'obsolete' AND replacement_sku IS NOT NULL LIMIT 5",
    );
    const answer = await json<Answer>(
      await price(
        buyer,
        rows.map((r) => ({ sku: r.sku, quantity: 1 })),
      ),
    );
    const visible = answer.lines.filter((l) => l.status !== 'not_available');
    expect(visible.length).toBeGreaterThan(0);
    for (const line of visible) {
      expect(line).toMatchObject({ status: 'not_orderable', reason: 'obsolete' });
      expect(line.replacement).toBe(rows.find((r) => r.sku === line.sku)?.replacement_sku);
    }
  });

  it('rejects bad quantities with the path of each line, and more than 1,000 lines with 413', async () => {
    const { sku } = await first<{ sku: string }>('SELECT sku FROM products LIMIT 1');
    const problem = await expectProblem(
      await price(buyer, [
        { sku, quantity: 0 },
        { sku, quantity: 1.5 },
        { sku, quantity: 1_000_001 },
        { sku, quantity: '3' },
        { sku: '', quantity: 1 },
      ]),
      400,
    );
    expect(problem.errors?.map((e) => e.path).sort()).toEqual([
      'lines.0.quantity',
      'lines.1.quantity',
      'lines.2.quantity',
      'lines.3.quantity',
      'lines.4.sku',
    ]);
    const tooMany = Array.from({ length: 1001 }, () => ({ sku, quantity: 1 }));
    const big = await expectProblem(await price(buyer, tooMany), 413);
    expect(big.errors?.[0]?.path).toBe('lines');
    await expectProblem(await call('/v1/prices', { method: 'POST', token: buyer, body: { lines: [] } }), 400);
  });

  it('prices 1,000 lines in one call', async () => {
    const skus = (await all<{ sku: string }>('SELECT sku FROM products ORDER BY sku LIMIT 500')).map(
      (r) => r.sku,
    );
    const lines = [...skus, ...skus].map((sku, i) => ({ sku, quantity: 1 + (i % 120) }));
    const res = await price(buyer, lines);
    expect(res.status).toBe(200);
    const answer = await json<Answer>(res);
    expect(answer.lines).toHaveLength(1000);
    expect(answer.lines.filter((l) => l.status === 'priced').length).toBeGreaterThan(400);
  });

  it('needs prices.view and a company', async () => {
    const ops = await loginAs('ops@supplier.example');
    const noCompany = await expectProblem(await price(ops, [{ sku: 'X', quantity: 1 }]), 400);
    expect(noCompany.errors?.[0]?.path).toBe('x-company-id');
    const asAcme = await call('/v1/prices', {
      method: 'POST',
      token: ops,
      headers: { 'x-company-id': 'co_acme' },
      body: { lines: [{ sku: 'X', quantity: 1 }] },
    });
    expect(asAcme.status).toBe(200);
  });
});

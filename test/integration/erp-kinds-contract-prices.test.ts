import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { contractPricesSpec } from '../../src/services/erp-import/kinds/contract-prices';
import { clearIsolateCache } from '../../src/services/pricing/reader';
import { bumped, importRows, requestedGenerations } from './erp-kinds-helpers';
import { call, expectProblem, json, loginAs } from './harness';
import { all, buildFor, fingerprintOf, first, plainAcmeProduct } from './pricing-helpers';

interface PricedLine {
  sku: string;
  quantity: number;
  status: string;
  price: { unitMinor: number; ruleId: string | null; tierMinQuantity: number } | null;
}

const priceFor = async (token: string, lines: { sku: string; quantity: number }[]) => {
  const res = await call('/v1/prices', { method: 'POST', token, body: { lines } });
  expect(res.status).toBe(200);
  return json<{ source: string; lines: PricedLine[] }>(res);
};

const net = (sku: string, amount: string, version: number, over: Record<string, unknown> = {}) => ({
  customerNumber: 'C-ACME',
  sku,
  kind: 'net',
  amount,
  version: String(version),
  ...over,
});

const ruleOf = (sku: string, kind = 'net_price', minQuantity = 1) =>
  first<{
    id: string;
    contract_id: string;
    amount_minor: number | null;
    discount_bp: number | null;
    erp_version: number;
  }>(
    'SELECT id, contract_id, amount_minor, discount_bp, erp_version FROM price_rules WHERE target = ? AND kind = ? AND min_quantity = ? AND erp_key IS NOT NULL',
    sku,
    kind,
    minQuantity,
  );

let buyer: string;
let sku: string;
beforeAll(async () => {
  await env.DB.prepare("UPDATE companies SET erp_customer_number = 'C-ACME' WHERE id = 'co_acme'").run();
  buyer = await loginAs('buyer@acme.example');
  ({ sku } = await plainAcmeProduct());
});

describe('contract-prices import', () => {
  it("creates the customer's ERP contract and prices as the buyer sees it: a net price and a tier off that net", async () => {
    const out = await importRows(contractPricesSpec, [
      net(sku, '3,50', 1),
      {
        customerNumber: 'C-ACME',
        sku,
        kind: 'discount',
        discountPercent: '10',
        appliesTo: 'contract',
        minQuantity: '100',
        version: '1',
      },
    ]);
    expect(out).toMatchObject({ applied: 2, unchanged: 0, skippedOlder: 0, rejected: [], parseRejects: [] });
    const contract = await first<{ id: string; name: string; company_id: string; currency: string }>(
      "SELECT id, name, company_id, currency FROM contracts WHERE erp_customer_number = 'C-ACME'",
    );
    expect(contract).toMatchObject({ name: 'ERP contract C-ACME', company_id: 'co_acme', currency: 'EUR' });
    const netRule = await ruleOf(sku);
    expect(netRule).toMatchObject({ contract_id: contract.id, amount_minor: 350 });
    const priced = await priceFor(buyer, [
      { sku, quantity: 1 },
      { sku, quantity: 100 },
    ]);
    expect(priced.lines.map((l) => [l.status, l.price?.unitMinor, l.price?.ruleId])).toEqual([
      ['priced', 350, netRule.id],
      ['priced', 315, netRule.id],
    ]);
  });

  it('an older row after a newer keeps the newer price, in SQL and in the built index; a replay writes nothing', async () => {
    await importRows(contractPricesSpec, [net(sku, '3.20', 5)]);
    const older = await importRows(contractPricesSpec, [net(sku, '9.99', 4)]);
    expect(older).toMatchObject({ applied: 0, skippedOlder: 1 });
    expect((await ruleOf(sku)).amount_minor).toBe(320);
    await buildFor('co_acme');
    // this isolate may hold "no index yet" for Acme's new fingerprint for 2 s: read the one just built
    clearIsolateCache();
    const g0 = await requestedGenerations();
    const replay = await importRows(contractPricesSpec, [net(sku, '3.20', 5), net(sku, '9.99', 4)]);
    expect(replay).toMatchObject({ applied: 0, unchanged: 1, skippedOlder: 1 });
    expect(bumped(g0, await requestedGenerations())).toEqual([]);
    const priced = await priceFor(buyer, [{ sku, quantity: 1 }]);
    expect(priced.source).toBe('index');
    expect(priced.lines[0]?.price?.unitMinor).toBe(320);
  });

  it("a change rebuilds only the indexes that contain the customer's contract", async () => {
    await buildFor('co_acme');
    const g0 = await requestedGenerations();
    await importRows(contractPricesSpec, [net(sku, '3.10', 6)]);
    expect(bumped(g0, await requestedGenerations())).toEqual([await fingerprintOf('co_acme')]);
  });

  it('a deletion is versioned: the rule goes, and an older row cannot bring it back', async () => {
    const { sku: other } = await first<{ sku: string }>(
      'SELECT sku FROM products WHERE sku > ? ORDER BY sku LIMIT 1',
      sku,
    );
    await importRows(contractPricesSpec, [net(other, '1.00', 10)]);
    const out = await importRows(contractPricesSpec, [
      { customerNumber: 'C-ACME', sku: other, kind: 'net', deleted: 'true', version: 11 },
    ]);
    expect(out).toMatchObject({ applied: 1 });
    const late = await importRows(contractPricesSpec, [net(other, '1.00', 10), net(other, '2.00', 9)]);
    expect(late).toMatchObject({ applied: 0, skippedOlder: 2 });
    expect(await all('SELECT id FROM price_rules WHERE target = ? AND erp_key IS NOT NULL', other)).toEqual(
      [],
    );
    const again = await importRows(contractPricesSpec, [net(other, '1.50', 12)]);
    expect(again).toMatchObject({ applied: 1 });
    expect((await ruleOf(other)).amount_minor).toBe(150);
  });

  it('rejects unknown customers and SKUs with their column, and bad cells before anything is written', async () => {
    const out = await importRows(contractPricesSpec, [
      net(sku, '1', 1, { customerNumber: 'C-NOPE' }),
      net('NO-SUCH-SKU', '1', 1),
      net(sku, '1', 1, { discountPercent: '5' }),
      { customerNumber: 'C-ACME', sku, kind: 'discount', discountPercent: '150', version: 1 },
      net(sku, '1', 1, { validFrom: '2026-02-01', validTo: '2026-01-01' }),
    ]);
    expect(out.rejected.map((r) => [r.rowNo, r.column])).toEqual([
      [1, 'customerNumber'],
      [2, 'sku'],
    ]);
    expect(out.parseRejects.map((r) => [r.rowNo, r.column])).toEqual([
      [3, 'discountPercent'],
      [4, 'discountPercent'],
      [5, 'validTo'],
    ]);
  });

  it('the admin API refuses to edit the ERP contract or its rules (409)', async () => {
    const ops = await loginAs('ops@supplier.example');
    const { id } = await first<{ id: string }>(
      "SELECT id FROM contracts WHERE erp_customer_number = 'C-ACME'",
    );
    const rule = await ruleOf(sku);
    const shown = await json<{ erpCustomerNumber: string | null }>(
      await call(`/v1/admin/contracts/${id}`, { token: ops }),
    );
    expect(shown.erpCustomerNumber).toBe('C-ACME');
    const edits = [
      // one at a time: each must be refused on its own
      () => call(`/v1/admin/contracts/${id}`, { method: 'PATCH', token: ops, body: { priority: 5 } }),
      () => call(`/v1/admin/contracts/${id}`, { method: 'DELETE', token: ops }),
      () =>
        call(`/v1/admin/contracts/${id}/rules`, {
          method: 'POST',
          token: ops,
          body: { rules: [{ targetType: 'sku', target: sku, kind: 'net_price', amountMinor: 1 }] },
        }),
      () =>
        call(`/v1/admin/contracts/${id}/rules/${rule.id}`, {
          method: 'PATCH',
          token: ops,
          body: { amountMinor: 1 },
        }),
      () => call(`/v1/admin/contracts/${id}/rules/${rule.id}`, { method: 'DELETE', token: ops }),
    ];
    for (const edit of edits) {
      const res = await edit();
      expect((await expectProblem(res, 409)).detail).toMatch(/managed by the ERP/);
    }
  });
});

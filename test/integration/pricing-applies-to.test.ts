import { beforeAll, describe, expect, it } from 'vitest';
import { clearIsolateCache } from '../../src/services/pricing/reader';
import { call, expectProblem, json, loginAs } from './harness';
import { all, buildFor } from './pricing-helpers';

// A quantity tier on a contract's net price, written in the same contract (`appliesTo: 'contract'`),
// through the admin API, the index and POST /v1/prices.
interface Rule {
  id: string;
  kind: string;
  appliesTo: 'list' | 'contract';
}
interface PricedLine {
  sku: string;
  quantity: number;
  status: string;
  price: {
    unitMinor: number;
    listMinor: number | null;
    ruleId: string | null;
    tierMinQuantity: number;
    explanation: { ruleId: string; text: string }[];
  } | null;
}

let rep: string;
let buyer: string;
let sku: string;

const rules = (token: string, body: unknown) =>
  call('/v1/admin/contracts/ctr_acme/rules', { method: 'POST', token, body: { rules: body } });

async function pricesOf(quantities: number[]): Promise<PricedLine[]> {
  await buildFor('co_acme');
  clearIsolateCache();
  const res = await call('/v1/prices', {
    method: 'POST',
    token: buyer,
    body: { lines: quantities.map((quantity) => ({ sku, quantity })) },
  });
  expect(res.status).toBe(200);
  return (await json<{ lines: PricedLine[] }>(res)).lines;
}

beforeAll(async () => {
  [rep, buyer] = await Promise.all([loginAs('rep@supplier.example'), loginAs('buyer@acme.example')]);
  await buildFor('co_acme');
  // a SKU Acme buys at list price at any quantity (no rule of any contract touches it), sold by the unit
  const candidates = (
    await all<{ sku: string }>(
      "SELECT sku FROM products WHERE status = 'active' AND order_multiple = 1 AND min_order_qty = 1 AND sku NOT IN (SELECT target FROM price_rules WHERE target_type = 'sku') ORDER BY sku LIMIT 40",
    )
  ).map((r) => r.sku);
  const res = await call('/v1/prices', {
    method: 'POST',
    token: buyer,
    body: {
      lines: candidates.flatMap((s) => [
        { sku: s, quantity: 1 },
        { sku: s, quantity: 100 },
      ]),
    },
  });
  const lines = (await json<{ lines: PricedLine[] }>(res)).lines;
  const plain = candidates.find((s) =>
    lines.filter((l) => l.sku === s).every((l) => l.status === 'priced' && l.price?.ruleId === null),
  );
  if (!plain) throw new Error('no SKU at plain list price in the test catalog');
  sku = plain;
});

describe('a discount taken off the contract price', () => {
  it('net 10.00 and, from 100 units, 5 % off that net, in one contract', async () => {
    const res = await rules(rep, [
      { targetType: 'sku', target: sku, kind: 'net_price', amountMinor: 1000 },
      {
        targetType: 'sku',
        target: sku,
        kind: 'discount',
        discountBp: 500,
        minQuantity: 100,
        appliesTo: 'contract',
      },
    ]);
    expect(res.status).toBe(201);
    const [netRule, tier] = (await json<{ items: Rule[] }>(res)).items;
    expect(netRule).toMatchObject({ kind: 'net_price', appliesTo: 'list' });
    expect(tier).toMatchObject({ kind: 'discount', appliesTo: 'contract' });
    const [below, from] = await pricesOf([99, 100]);
    expect(below?.price).toMatchObject({ unitMinor: 1000, ruleId: netRule?.id, tierMinQuantity: 1 });
    expect(from?.price).toMatchObject({ unitMinor: 950, ruleId: netRule?.id, tierMinQuantity: 100 });
    expect(from?.price?.explanation.map((e) => e.ruleId)).toEqual([netRule?.id, tier?.id]);
    expect(from?.price?.explanation[1]?.text).toContain('off the contract price');

    // the same tier taken off the list price is the more specific rule of the contract: it displaces the net
    const patched = await call(`/v1/admin/contracts/ctr_acme/rules/${tier?.id}`, {
      method: 'PATCH',
      token: rep,
      body: { appliesTo: 'list' },
    });
    expect(patched.status).toBe(200);
    const status = await json<{ state: string }>(await call('/v1/admin/price-index/co_acme', { token: rep }));
    expect(['stale', 'building']).toContain(status.state);
    const [, onList] = await pricesOf([99, 100]);
    const list = onList?.price?.listMinor ?? 0;
    expect(onList?.price).toMatchObject({ unitMinor: Math.round(list * 0.95), ruleId: tier?.id });
  });

  it('refuses appliesTo on a net price and unknown values, with their field paths', async () => {
    const paths = async (res: Response) => (await expectProblem(res, 400)).errors?.map((e) => e.path);
    expect(
      await paths(
        await rules(rep, [
          { targetType: 'sku', target: sku, kind: 'discount', discountBp: 100 },
          { targetType: 'sku', target: sku, kind: 'net_price', amountMinor: 100, appliesTo: 'contract' },
        ]),
      ),
    ).toEqual(['rules.1.appliesTo']);
    expect(
      await paths(
        await rules(rep, [{ targetType: 'all', kind: 'discount', discountBp: 100, appliesTo: 'net' }]),
      ),
    ).toEqual(['rules.0.appliesTo']);
    const [created] = (
      await json<{ items: Rule[] }>(
        await rules(rep, [
          { targetType: 'sku', target: sku, kind: 'net_price', amountMinor: 900, minQuantity: 500 },
        ]),
      )
    ).items;
    expect(
      await paths(
        await call(`/v1/admin/contracts/ctr_acme/rules/${created?.id}`, {
          method: 'PATCH',
          token: rep,
          body: { appliesTo: 'contract' },
        }),
      ),
    ).toEqual(['appliesTo']);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { lookupEntries, MISSING_POINTER_CACHE_MS } from '../../src/services/pricing/reader';
import { bumped, erpToken, requestedGenerations } from './erp-kinds-helpers';
import { call, expectProblem, json, loginAs } from './harness';
import { all, buildFor, deps, fingerprintOf, first, plainAcmeProduct } from './pricing-helpers';

interface StockAnswer {
  sku: string;
  warehouse: string;
  onHand: number;
  nextAvailabilityDate: string | null;
  version: number;
  outcome: string;
}
interface PriceAnswer {
  sku: string;
  priceList: string;
  currency: string;
  amountMinor: number;
  version: number;
  outcome: string;
}

const put = async (path: string, body: unknown) =>
  call(`/erp/v1/${path}`, { method: 'PUT', token: await erpToken(), body });
const audits = (action: string, target: string) =>
  all('SELECT id FROM audit_log WHERE action = ? AND target_id = ?', action, target);

let sku: string;
beforeAll(async () => {
  ({ sku } = await plainAcmeProduct());
  for (const company of ['co_acme', 'co_globex', 'co_initech']) await buildFor(company);
});

describe('PUT /erp/v1/stock/{sku}', () => {
  it('stores one warehouse, shows it on the next product read, and keeps the newer version', async () => {
    const first = await put(`stock/${sku}`, {
      warehouse: 'ERP-WH',
      onHand: 42,
      nextAvailabilityDate: '2026-12-24',
      version: 7,
    });
    expect(first.status).toBe(200);
    expect(await json<StockAnswer>(first)).toMatchObject({
      sku,
      warehouse: 'ERP-WH',
      onHand: 42,
      version: 7,
      outcome: 'applied',
    });
    const product = await json<{ availability: { warehouses: { warehouse: string; onHand: number }[] } }>(
      await call(`/v1/catalog/products/${sku}`, { token: await loginAs('buyer@acme.example') }),
    );
    expect(product.availability.warehouses).toContainEqual({
      warehouse: 'ERP-WH',
      onHand: 42,
      nextAvailabilityDate: '2026-12-24',
    });
    const older = await json<StockAnswer>(
      await put(`stock/${sku}`, { warehouse: 'ERP-WH', onHand: 1, version: 6 }),
    );
    expect(older).toMatchObject({ onHand: 42, version: 7, outcome: 'skipped_older' });
    const again = await json<StockAnswer>(
      await put(`stock/${sku}`, {
        warehouse: 'ERP-WH',
        onHand: 42,
        nextAvailabilityDate: '2026-12-24',
        version: 7,
      }),
    );
    expect(again.outcome).toBe('unchanged');
    expect(await audits('erp.stock_put', sku)).toHaveLength(1);
    const clash = await put(`stock/${sku}`, { warehouse: 'ERP-WH', onHand: 5, version: 7 });
    expect((await expectProblem(clash, 409)).detail).toMatch(/version 7/);
    const later = await json<StockAnswer>(
      await put(`stock/${sku}`, { warehouse: 'ERP-WH', onHand: 40, version: '2026-11-29T10:00:00+01:00' }),
    );
    expect(later).toMatchObject({
      onHand: 40,
      version: Date.parse('2026-11-29T09:00:00Z'),
      outcome: 'applied',
    });
  });

  it('answers bad input with 400 and field paths, an unknown SKU with 404, and writes nothing', async () => {
    const cases: [unknown, string][] = [
      [{ warehouse: 'W', onHand: -1, version: 1 }, 'onHand'],
      [{ warehouse: 'W', onHand: 1.5, version: 1 }, 'onHand'],
      [{ warehouse: 'W', onHand: 1, version: 'yesterday' }, 'version'],
      [{ warehouse: 'W', onHand: 1, version: '2026-11-29T10:00:00' }, 'version'],
      [{ warehouse: 'W', onHand: 1, version: 1, nextAvailabilityDate: '2026-02-30' }, 'nextAvailabilityDate'],
      [{ onHand: 1, version: 1 }, 'warehouse'],
      [{ warehouse: 'W', onHand: 1, version: 1, extra: true }, 'extra'],
    ];
    for (const [body, path] of cases) {
      const problem = await expectProblem(await put(`stock/${sku}`, body), 400);
      expect(problem.errors?.map((e) => e.path)).toContain(path);
    }
    await expectProblem(await put('stock/NO-SUCH-SKU', { warehouse: 'W', onHand: 1, version: 1 }), 404);
    expect(await all("SELECT sku FROM stock WHERE warehouse = 'W'")).toEqual([]);
    const text = await call(`/erp/v1/stock/${sku}`, {
      method: 'PUT',
      token: await erpToken(),
      body: 'onHand=1',
      headers: { 'content-type': 'text/plain' },
    });
    await expectProblem(text, 415);
  });
});

describe('PUT /erp/v1/list-prices/{sku}', () => {
  it('is priced from SQL at once by the isolate that wrote it, and from the rebuilt index after', async () => {
    const buyer = await loginAs('buyer@acme.example');
    const priceOf = async () =>
      json<{ source: string; lines: { price: { listMinor: number } | null }[] }>(
        await call('/v1/prices', { method: 'POST', token: buyer, body: { lines: [{ sku, quantity: 1 }] } }),
      );
    expect((await priceOf()).source).toBe('index');
    const res = await put(`list-prices/${sku}`, { priceList: 'pl_eur', amount: '12,34', version: 10 });
    expect(await json<PriceAnswer>(res)).toMatchObject({
      sku,
      priceList: 'pl_eur',
      currency: 'EUR',
      amountMinor: 1234,
      version: 10,
      outcome: 'applied',
    });
    const seen = await priceOf();
    expect(seen.lines[0]?.price?.listMinor).toBe(1234);
    expect(seen.source).toBe('sql');
    await buildFor('co_acme');
    const fp = await fingerprintOf('co_acme');
    // once this isolate's pointer cache lets it see the new generation, the index answers again
    const later = await lookupEntries(deps(), fp, [sku], Date.now() + MISSING_POINTER_CACHE_MS);
    expect(later.hit).toBe(true);
    expect(later.hit && later.entries.get(sku)?.listMinor).toBe(1234);
  });

  it('an older price after a newer keeps the newer, in SQL and in the index; a replay writes nothing', async () => {
    await put(`list-prices/${sku}`, { priceList: 'pl_eur', amount: 13, version: 20 });
    const older = await json<PriceAnswer>(
      await put(`list-prices/${sku}`, { priceList: 'pl_eur', amount: '99.00', version: 19 }),
    );
    expect(older).toMatchObject({ amountMinor: 1300, version: 20, outcome: 'skipped_older' });
    await buildFor('co_acme');
    const g0 = await requestedGenerations();
    const replay = await json<PriceAnswer>(
      await put(`list-prices/${sku}`, { priceList: 'pl_eur', amount: '13.00', version: 20 }),
    );
    expect(replay.outcome).toBe('unchanged');
    expect(bumped(g0, await requestedGenerations())).toEqual([]);
    expect(await audits('erp.list_price_put', 'pl_eur')).toHaveLength(2);
    expect(
      await first('SELECT amount_minor FROM list_prices WHERE price_list_id = ? AND sku = ?', 'pl_eur', sku),
    ).toEqual({ amount_minor: 1300 });
    const entry = await lookupEntries(
      deps(),
      await fingerprintOf('co_acme'),
      [sku],
      Date.now() + 10 * MISSING_POINTER_CACHE_MS,
    );
    expect(entry.hit && entry.entries.get(sku)?.listMinor).toBe(1300);
  });

  it('rebuilds the indexes of that list only', async () => {
    const [acme, globex, initech] = await Promise.all(
      ['co_acme', 'co_globex', 'co_initech'].map(fingerprintOf),
    );
    const g0 = await requestedGenerations();
    await put(`list-prices/${sku}`, { priceList: 'pl_gbp', amount: '10.50', version: 30 });
    expect(bumped(g0, await requestedGenerations())).toEqual([initech]);
    const g1 = await requestedGenerations();
    await put(`list-prices/${sku}`, { priceList: 'pl_eur', amount: '10.50', version: 30 });
    expect(bumped(g1, await requestedGenerations()).sort()).toEqual([acme, globex].sort());
  });

  it('answers bad input with 400 or 422 and the field, an unknown SKU with 404, never a 500', async () => {
    const cases: [unknown, number, string][] = [
      [{ priceList: 'pl_eur', amount: '1.234,50', version: 1 }, 400, 'amount'],
      [{ priceList: 'pl_eur', amount: -1, version: 1 }, 400, 'amount'],
      [{ priceList: 'pl_eur', amount: '1', version: -1 }, 400, 'version'],
      [{ priceList: 'pl_eur', version: 1 }, 400, 'amount'],
      [{ priceList: 'pl_eur', amount: '1.005', version: 99 }, 422, 'amount'],
      [{ priceList: 'pl_nope', amount: '1', version: 99 }, 422, 'priceList'],
    ];
    for (const [body, status, path] of cases) {
      const problem = await expectProblem(await put(`list-prices/${sku}`, body), status);
      expect(problem.errors?.map((e) => e.path)).toContain(path);
    }
    await expectProblem(
      await put('list-prices/NO-SUCH-SKU', { priceList: 'pl_eur', amount: '1', version: 1 }),
      404,
    );
    await expectProblem(
      await put(`list-prices/${sku}`, { priceList: 'pl_eur', amount: '2', version: 30 }),
      409,
    );
  });

  it('needs the erp.write permission', async () => {
    const buyer = await loginAs('buyer@acme.example');
    const res = await call(`/erp/v1/list-prices/${sku}`, {
      method: 'PUT',
      token: buyer,
      body: { priceList: 'pl_eur', amount: 1, version: 1 },
    });
    await expectProblem(res, 403);
  });
});

import { describe, expect, it } from 'vitest';
import { listPricesSpec } from '../../src/services/erp-import/kinds/list-prices';
import { productsSpec } from '../../src/services/erp-import/kinds/products';
import { bumped, importRows, requestedGenerations } from './erp-kinds-helpers';
import { all, buildFor, fingerprintOf, first } from './pricing-helpers';

const product = (sku: string, version: number | string, over: Record<string, unknown> = {}) => ({
  sku,
  name: `Widget ${sku}`,
  family: 'ERP widgets',
  category: 'Fasteners/ERP widgets/Small',
  brand: 'Nordfix',
  unitOfMeasure: 'PCE',
  version: String(version),
  ...over,
});

describe('products import', () => {
  it('creates products and their missing categories with parents, from CSV text and JSON values', async () => {
    const out = await importRows(productsSpec, [
      product('ERP-P-1', 1, { attributes: '{"material":"steel","lengthMm":40}', packSize: '10' }),
      {
        ...product('ERP-P-2', 1),
        attributes: { material: 'brass' },
        packSize: 5,
        status: 'obsolete',
        replacementSku: 'ERP-P-1',
      },
    ]);
    expect(out).toMatchObject({ applied: 2, unchanged: 0, skippedOlder: 0, rejected: [], parseRejects: [] });
    const rows = await all<{
      sku: string;
      category_path: string;
      attributes: string;
      pack_size: number;
      erp_version: number;
    }>(
      "SELECT sku, category_path, attributes, pack_size, erp_version FROM products WHERE sku LIKE 'ERP-P-%' ORDER BY sku",
    );
    expect(rows).toEqual([
      {
        sku: 'ERP-P-1',
        category_path: 'fasteners/erp-widgets/small',
        attributes: '{"material":"steel","lengthMm":40}',
        pack_size: 10,
        erp_version: 1,
      },
      {
        sku: 'ERP-P-2',
        category_path: 'fasteners/erp-widgets/small',
        attributes: '{"material":"brass"}',
        pack_size: 5,
        erp_version: 1,
      },
    ]);
    const cats = await all<{ path: string; parent_path: string | null; name: string; depth: number }>(
      "SELECT path, parent_path, name, depth FROM categories WHERE path LIKE 'fasteners/erp-widgets%' ORDER BY path",
    );
    expect(cats).toEqual([
      { path: 'fasteners/erp-widgets', parent_path: 'fasteners', name: 'ERP widgets', depth: 2 },
      { path: 'fasteners/erp-widgets/small', parent_path: 'fasteners/erp-widgets', name: 'Small', depth: 3 },
    ]);
  });

  it('older after newer keeps the newer, a replay is unchanged, rows of one chunk apply by version not order', async () => {
    await importRows(productsSpec, [product('ERP-P-3', 5, { name: 'Five' })]);
    const older = await importRows(productsSpec, [
      product('ERP-P-3', 4, { name: 'Four', category: 'Fasteners/Never made' }),
    ]);
    expect(older).toMatchObject({ applied: 0, skippedOlder: 1 });
    expect(await all("SELECT path FROM categories WHERE path = 'fasteners/never-made'")).toEqual([]);
    const stamp = () =>
      first<{ updated_at: number }>('SELECT updated_at FROM products WHERE sku = ?', 'ERP-P-3');
    const before = await stamp();
    const replay = await importRows(
      productsSpec,
      [product('ERP-P-3', 5, { name: 'Five' })],
      before.updated_at + 1000,
    );
    expect(replay).toMatchObject({ applied: 0, unchanged: 1, skippedOlder: 0 });
    // nothing written: not even the row's time
    expect(await stamp()).toEqual(before);
    const mixed = await importRows(productsSpec, [
      product('ERP-P-3', 9, { name: 'Nine' }),
      product('ERP-P-3', 7, { name: 'Seven' }),
    ]);
    expect(mixed).toMatchObject({ applied: 1, skippedOlder: 1 });
    expect(await first('SELECT name, erp_version FROM products WHERE sku = ?', 'ERP-P-3')).toEqual({
      name: 'Nine',
      erp_version: 9,
    });
  });

  it('rebuilds every index for a change the index reads, none for a new name', async () => {
    await importRows(productsSpec, [product('ERP-P-4', 1)]);
    for (const company of ['co_acme', 'co_globex', 'co_initech']) await buildFor(company);
    const g0 = await requestedGenerations();
    await importRows(productsSpec, [product('ERP-P-4', 2, { name: 'Renamed', description: 'Longer text' })]);
    const g1 = await requestedGenerations();
    expect(bumped(g0, g1)).toEqual([]);
    await importRows(productsSpec, [product('ERP-P-4', 3, { name: 'Renamed', status: 'obsolete' })]);
    const g2 = await requestedGenerations();
    expect(bumped(g1, g2).sort()).toEqual(
      (await Promise.all(['co_acme', 'co_globex', 'co_initech'].map(fingerprintOf))).sort(),
    );
  });

  it('rejects bad cells with their column', async () => {
    const out = await importRows(productsSpec, [
      product('ERP-P-5', 1, { packSize: '0' }),
      product('ERP-P-6', 1, { attributes: '[1,2]' }),
      product('ERP-P-7', 'yesterday'),
      product('ERP-P-8', 1, { category: 'a//b' }),
      product('', 1),
    ]);
    expect(out.parseRejects.map((r) => [r.rowNo, r.column])).toEqual([
      [1, 'packSize'],
      [2, 'attributes'],
      [3, 'version'],
      [4, 'category'],
      [5, 'sku'],
    ]);
  });
});

describe('list-prices import', () => {
  it('converts decimals (dot or comma) to minor units in the list currency and rejects unknown lists and SKUs', async () => {
    const [{ sku }, { sku: other }] = (await all<{ sku: string }>(
      'SELECT sku FROM products ORDER BY sku LIMIT 2',
    )) as [{ sku: string }, { sku: string }];
    const out = await importRows(listPricesSpec, [
      { priceList: 'pl_eur', sku, amount: '12,50', version: '2026-01-01T10:00:00+01:00' },
      { priceList: 'pl_gbp', sku, amount: 7.25, version: 1 },
      { priceList: 'pl_nope', sku, amount: '1', version: 1 },
      { priceList: 'pl_eur', sku: 'NO-SUCH-SKU', amount: '1', version: 1 },
      { priceList: 'pl_eur', sku, amount: '1.234,5', version: 1 },
      { priceList: 'pl_gbp', sku: other, amount: '1.005', version: 2 },
    ]);
    expect(out.applied).toBe(2);
    expect(out.parseRejects).toEqual([expect.objectContaining({ rowNo: 5, column: 'amount' })]);
    expect(out.rejected).toEqual([
      expect.objectContaining({ rowNo: 3, column: 'priceList' }),
      expect.objectContaining({ rowNo: 4, column: 'sku' }),
      expect.objectContaining({ rowNo: 6, column: 'amount' }),
    ]);
    const rows = await all<{ price_list_id: string; amount_minor: number; erp_version: number }>(
      'SELECT price_list_id, amount_minor, erp_version FROM list_prices WHERE sku = ? ORDER BY price_list_id',
      sku,
    );
    expect(rows).toEqual([
      { price_list_id: 'pl_eur', amount_minor: 1250, erp_version: Date.parse('2026-01-01T09:00:00Z') },
      { price_list_id: 'pl_gbp', amount_minor: 725, erp_version: 1 },
    ]);
  });
});

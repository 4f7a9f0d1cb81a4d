import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { customersSpec } from '../../src/services/erp-import/kinds/customers';
import { bumped, importRows, requestedGenerations } from './erp-kinds-helpers';
import { all, fingerprintOf, first } from './pricing-helpers';

const assignedFingerprint = async (companyId: string) =>
  (
    await first<{ fingerprint: string }>(
      'SELECT fingerprint FROM company_pricing WHERE company_id = ?',
      companyId,
    )
  ).fingerprint;

const customer = (number: string, version: number, over: Record<string, unknown> = {}) => ({
  customerNumber: number,
  name: `Customer ${number}`,
  currency: 'EUR',
  country: 'FR',
  version: String(version),
  ...over,
});
const address = (id: string, over: Record<string, unknown> = {}) => ({
  addressId: id,
  addressType: 'ship_to',
  line1: `${id} rue de la Paix`,
  postalCode: '75002',
  city: 'Paris',
  ...over,
});

const companyOf = (number: string) =>
  first<{
    id: string;
    name: string;
    parent_id: string | null;
    sales_rep_user_id: string | null;
    erp_version: number;
    status: string;
  }>(
    'SELECT id, name, parent_id, sales_rep_user_id, erp_version, status FROM companies WHERE erp_customer_number = ?',
    number,
  );
const sitesOf = (companyId: string) =>
  all<{
    erp_address_id: string;
    name: string;
    is_default_ship_to: number;
    is_billing: number;
    country: string;
  }>(
    'SELECT erp_address_id, name, is_default_ship_to, is_billing, country FROM sites WHERE company_id = ? ORDER BY erp_address_id',
    companyId,
  );

describe('customers import', () => {
  it('creates a customer with a billing and a default ship-to address from one row per address', async () => {
    const out = await importRows(customersSpec, [
      {
        ...customer('C-100', 1, { salesRepEmail: 'REP@supplier.example' }),
        ...address('A1', { addressType: 'billing' }),
      },
      {
        ...customer('C-100', 1, { salesRepEmail: 'rep@supplier.example' }),
        ...address('A2', { isDefault: 'yes', addressCountry: 'BE' }),
      },
    ]);
    expect(out).toMatchObject({ applied: 2, unchanged: 0, skippedOlder: 0, rejected: [], parseRejects: [] });
    const company = await companyOf('C-100');
    expect(company).toMatchObject({
      name: 'Customer C-100',
      parent_id: null,
      sales_rep_user_id: 'usr_rep',
      erp_version: 1,
    });
    expect(company.id).toMatch(/^co_/);
    expect(await sitesOf(company.id)).toEqual([
      {
        erp_address_id: 'A1',
        name: 'Paris, A1 rue de la Paix',
        is_default_ship_to: 0,
        is_billing: 1,
        country: 'FR',
      },
      {
        erp_address_id: 'A2',
        name: 'Paris, A2 rue de la Paix',
        is_default_ship_to: 1,
        is_billing: 0,
        country: 'BE',
      },
    ]);
    const replay = await importRows(customersSpec, [
      {
        ...customer('C-100', 1, { salesRepEmail: 'REP@supplier.example' }),
        ...address('A1', { addressType: 'billing' }),
      },
      {
        ...customer('C-100', 1, { salesRepEmail: 'rep@supplier.example' }),
        ...address('A2', { isDefault: 'yes', addressCountry: 'BE' }),
      },
    ]);
    expect(replay).toMatchObject({ applied: 0, unchanged: 2, skippedOlder: 0, rejected: [] });
  });

  it('moves the default ship-to to the address the ERP names, and never goes back to an older version', async () => {
    await importRows(customersSpec, [
      { ...customer('C-110', 1), ...address('A1', { isDefault: true }) },
      { ...customer('C-110', 1), ...address('A2') },
    ]);
    const { id } = await companyOf('C-110');
    const out = await importRows(customersSpec, [
      { ...customer('C-110', 3, { name: 'Renamed' }), ...address('A2', { isDefault: true }) },
      { ...customer('C-110', 2, { name: 'Older' }), ...address('A1', { isDefault: true }) },
    ]);
    expect(out).toMatchObject({ applied: 2 });
    expect((await sitesOf(id)).map((s) => [s.erp_address_id, s.is_default_ship_to])).toEqual([
      ['A1', 0],
      ['A2', 1],
    ]);
    expect((await companyOf('C-110')).name).toBe('Renamed');
    const older = await importRows(customersSpec, [
      { ...customer('C-110', 2, { name: 'Older' }), ...address('A2') },
    ]);
    expect(older).toMatchObject({ applied: 0, skippedOlder: 1 });
    expect((await companyOf('C-110')).name).toBe('Renamed');
  });

  it('writes a parent of the same chunk before its child, whatever the row order', async () => {
    const out = await importRows(customersSpec, [
      customer('C-122', 1, { parentCustomerNumber: 'C-121' }),
      customer('C-121', 1, { parentCustomerNumber: 'C-120' }),
      customer('C-120', 1),
    ]);
    expect(out).toMatchObject({ applied: 3, rejected: [] });
    const [root, mid, leaf] = await Promise.all(['C-120', 'C-121', 'C-122'].map(companyOf));
    expect(mid?.parent_id).toBe(root?.id);
    expect(leaf?.parent_id).toBe(mid?.id);
  });

  it('rejects unknown parents, sales reps and price lists, and a parent that would make a loop', async () => {
    await importRows(customersSpec, [
      customer('C-130', 1),
      customer('C-131', 1, { parentCustomerNumber: 'C-130' }),
    ]);
    const out = await importRows(customersSpec, [
      customer('C-132', 1, { parentCustomerNumber: 'C-999' }),
      customer('C-133', 1, { salesRepEmail: 'nobody@supplier.example' }),
      customer('C-134', 1, { priceList: 'pl_gbp' }),
      customer('C-130', 2, { parentCustomerNumber: 'C-131' }),
      customer('C-135', 1, { parentCustomerNumber: 'C-132' }),
      customer('C-136', 1, { priceList: 'pl_eur' }),
    ]);
    expect(out.applied).toBe(1);
    expect(out.rejected.map((r) => [r.rowNo, r.column])).toEqual([
      [1, 'parentCustomerNumber'],
      [2, 'salesRepEmail'],
      [3, 'priceList'],
      [4, 'parentCustomerNumber'],
      [5, 'parentCustomerNumber'],
    ]);
    expect((await companyOf('C-130')).parent_id).toBeNull();
  });

  it('re-resolves who reads which index when a parent changes, not for a new name', async () => {
    await env.DB.prepare("UPDATE companies SET erp_customer_number = 'C-ACME' WHERE id = 'co_acme'").run();
    await importRows(customersSpec, [customer('C-141', 1)]);
    const child = await companyOf('C-141');
    const acme = await fingerprintOf('co_acme');
    const own = await fingerprintOf(child.id);
    expect(own).not.toBe(acme);
    const g0 = await requestedGenerations();
    await importRows(customersSpec, [customer('C-141', 2, { name: 'Renamed' })]);
    expect(await assignedFingerprint(child.id)).toBe(own);
    await importRows(customersSpec, [
      customer('C-141', 3, { parentCustomerNumber: 'C-ACME', name: 'Renamed' }),
    ]);
    // the child now inherits Acme's contracts: it reads Acme's index, without asking for it first
    expect(await assignedFingerprint(child.id)).toBe(acme);
    expect(bumped(g0, await requestedGenerations())).toEqual([]);
  });

  it("priceList sets the customer's list; a file without the column keeps it", async () => {
    await env.DB.prepare(
      "INSERT INTO price_lists (id, name, currency, is_default, status, updated_at) VALUES ('pl_eur_b', 'EUR special', 'EUR', 0, 'active', 0)",
    ).run();
    await importRows(customersSpec, [customer('C-150', 1)]);
    const { id } = await companyOf('C-150');
    const own = await fingerprintOf(id);
    const out = await importRows(customersSpec, [customer('C-150', 2, { priceList: 'pl_eur_b' })]);
    expect(out).toMatchObject({ applied: 1 });
    const listOf = () =>
      first<{ price_list_id: string | null }>('SELECT price_list_id FROM companies WHERE id = ?', id);
    expect(await listOf()).toEqual({ price_list_id: 'pl_eur_b' });
    // re-resolved by the import: another list is another index
    expect(await assignedFingerprint(id)).not.toBe(own);
    await importRows(customersSpec, [customer('C-150', 3, { name: 'Renamed' })]);
    expect(await listOf()).toEqual({ price_list_id: 'pl_eur_b' });
    await importRows(customersSpec, [customer('C-150', 4, { priceList: '' })]);
    expect(await listOf()).toEqual({ price_list_id: null });
    expect(await assignedFingerprint(id)).toBe(own);
  });
});

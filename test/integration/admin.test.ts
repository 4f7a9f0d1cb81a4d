import { describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';

describe('supplier administration', () => {
  it('a platform admin issues a scoped API key, shown once, which works until revoked', async () => {
    const ops = await loginAs('ops@supplier.example');
    const res = await call('/v1/admin/api-keys', {
      method: 'POST',
      token: ops,
      body: { name: 'Globex ERP', companyId: 'co_globex', scopes: ['catalog:read'] },
    });
    expect(res.status).toBe(201);
    const created = await json<{ id: string; key: string; prefix: string }>(res);
    expect(created.key).toMatch(new RegExp(`^b2bk_${created.prefix}_`));

    const listed = await (await call('/v1/admin/api-keys', { token: ops })).text();
    expect(listed).toContain(created.id);
    expect(listed).not.toContain(created.key);
    expect(listed).not.toContain('keyHash');

    const me = await json<{ companyId: string; permissions: string[] }>(
      await call('/v1/me', { token: created.key }),
    );
    expect(me).toMatchObject({ companyId: 'co_globex', permissions: ['catalog.view', 'prices.view'] });
    expect((await call('/v1/catalog/products?limit=1', { token: created.key })).status).toBe(200);
    await expectProblem(await call('/v1/company/users', { token: created.key }), 403);

    expect((await call(`/v1/admin/api-keys/${created.id}`, { method: 'DELETE', token: ops })).status).toBe(
      204,
    );
    await expectProblem(await call('/v1/me', { token: created.key }), 401);
    await expectProblem(
      await call(`/v1/admin/api-keys/${created.id}`, { method: 'DELETE', token: ops }),
      409,
    );
    const audit = await json<{ items: { action: string }[] }>(
      await call(`/v1/audit?target=${created.id}`, { token: ops, headers: { 'x-company-id': 'co_globex' } }),
    );
    expect(audit.items.map((e) => e.action)).toEqual(['api_key.revoke', 'api_key.create']);
  });

  it('rejects unknown scopes and companies with their paths', async () => {
    const ops = await loginAs('ops@supplier.example');
    const scope = await expectProblem(
      await call('/v1/admin/api-keys', {
        method: 'POST',
        token: ops,
        body: { name: 'x', companyId: null, scopes: ['root'] },
      }),
      400,
    );
    expect(scope.errors?.[0]?.path).toBe('scopes.0');
    const company = await expectProblem(
      await call('/v1/admin/api-keys', {
        method: 'POST',
        token: ops,
        body: { name: 'x', companyId: 'co_nope', scopes: ['catalog:read'] },
      }),
      422,
    );
    expect(company.errors?.[0]?.path).toBe('companyId');
  });

  it('a platform admin opens a child account; a sales rep cannot', async () => {
    const ops = await loginAs('ops@supplier.example');
    const body = {
      name: 'Acme Bordeaux',
      parentId: 'co_acme',
      defaultCurrency: 'EUR',
      country: 'FR',
      salesRepUserId: 'usr_rep',
    };
    await expectProblem(
      await call('/v1/admin/companies', {
        method: 'POST',
        token: await loginAs('rep@supplier.example'),
        body,
      }),
      403,
    );
    const res = await call('/v1/admin/companies', { method: 'POST', token: ops, body });
    expect(res.status).toBe(201);
    const company = await json<{ id: string }>(res);
    const acme = await json<{ children: { id: string }[] }>(
      await call('/v1/company', { token: await loginAs('admin@acme.example') }),
    );
    expect(acme.children.map((c) => c.id)).toContain(company.id);
    const bad = await expectProblem(
      await call('/v1/admin/companies', {
        method: 'POST',
        token: ops,
        body: { ...body, salesRepUserId: 'usr_acme_buyer' },
      }),
      422,
    );
    expect(bad.errors?.[0]?.path).toBe('salesRepUserId');
  });
});

describe('account data across the line', () => {
  it("the supplier sees an account's price list and sales rep; the customer's own profile shows neither", async () => {
    const ops = await loginAs('ops@supplier.example');
    const account = await json(await call('/v1/admin/companies/co_acme', { token: ops }));
    expect(account).toHaveProperty('priceListId');
    expect(account).toHaveProperty('salesRepUserId');
    const profile = await json(await call('/v1/company', { token: await loginAs('buyer@acme.example') }));
    expect(Object.keys(profile).sort()).toEqual([
      'children',
      'country',
      'defaultCurrency',
      'erpCustomerNumber',
      'id',
      'name',
      'parentId',
      'status',
    ]);
  });
});

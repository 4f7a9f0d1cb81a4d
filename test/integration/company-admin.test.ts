import { describe, expect, it } from 'vitest';
import { call, createUser, expectProblem, json, loginAs } from './harness';

const builtIn = (key: string) => `role_builtin_${key}`;

describe('company users', () => {
  it('an admin invites a user who can log in, then disabling revokes their token at once', async () => {
    const admin = await loginAs('admin@acme.example');
    const id = await createUser(
      admin,
      {
        email: 'New.Buyer@acme.example',
        name: 'New Buyer',
        roleIds: [builtIn('buyer')],
        orderLimitMinor: 25000,
      },
      'longenough',
    );
    const user = await json<{ id: string; email: string; roles: { key: string }[]; orderLimitMinor: number }>(
      await call(`/v1/company/users/${id}`, { token: admin }),
    );
    expect(user).toMatchObject({
      email: 'new.buyer@acme.example',
      orderLimitMinor: 25000,
      roles: [{ key: 'buyer' }],
    });
    expect(user).not.toHaveProperty('passwordHash');

    const login = await call('/v1/auth/login', {
      method: 'POST',
      body: { email: 'new.buyer@acme.example', password: 'longenough' },
    });
    const { accessToken } = await json<{ accessToken: string }>(login);
    expect((await call('/v1/catalog/products?limit=1', { token: accessToken })).status).toBe(200);

    const disabled = await call(`/v1/company/users/${user.id}`, {
      method: 'PATCH',
      token: admin,
      body: { status: 'disabled' },
    });
    expect(await json(disabled)).toMatchObject({ status: 'disabled' });
    await expectProblem(await call('/v1/catalog/products?limit=1', { token: accessToken }), 401);
    await expectProblem(
      await call('/v1/auth/login', {
        method: 'POST',
        body: { email: 'new.buyer@acme.example', password: 'longenough' },
      }),
      401,
    );
  });

  it('role changes apply on the next request', async () => {
    const admin = await loginAs('admin@acme.example');
    const buyer = await loginAs('buyer@acme.example');
    await expectProblem(await call('/v1/company/users', { token: buyer }), 403);
    await call('/v1/company/users/usr_acme_buyer', {
      method: 'PATCH',
      token: admin,
      body: { roleIds: [builtIn('buyer'), builtIn('admin')] },
    });
    expect((await call('/v1/company/users', { token: buyer })).status).toBe(200);
    await call('/v1/company/users/usr_acme_buyer', {
      method: 'PATCH',
      token: admin,
      body: { roleIds: [builtIn('buyer')] },
    });
    await expectProblem(await call('/v1/company/users', { token: buyer }), 403);
  });

  it('rejects a colleague’s email, unknown or foreign roles, self-disabling and empty patches', async () => {
    const admin = await loginAs('admin@acme.example');
    const base = { name: 'X', roleIds: [builtIn('buyer')] };
    await expectProblem(
      await call('/v1/company/users', {
        method: 'POST',
        token: admin,
        body: { ...base, email: 'buyer@acme.example' },
      }),
      409,
    );
    const foreign = await expectProblem(
      await call('/v1/company/users', {
        method: 'POST',
        token: admin,
        body: { ...base, email: 'x1@acme.example', roleIds: [builtIn('buyer'), builtIn('platform_admin')] },
      }),
      422,
    );
    expect(foreign.errors).toEqual([expect.objectContaining({ path: 'roleIds.1' })]);
    await expectProblem(
      await call('/v1/company/users/usr_acme_admin', {
        method: 'PATCH',
        token: admin,
        body: { status: 'disabled' },
      }),
      409,
    );
    const empty = await expectProblem(
      await call('/v1/company/users/usr_acme_buyer', { method: 'PATCH', token: admin, body: {} }),
      400,
    );
    expect(empty.detail).toMatch(/invalid/);
  });
});

describe('company roles', () => {
  it('lists built-in roles and creates, renames and re-permissions a custom role', async () => {
    const admin = await loginAs('admin@acme.example');
    const list = await json<{ items: { key: string; builtIn: boolean }[] }>(
      await call('/v1/company/roles', { token: admin }),
    );
    expect(
      list.items
        .filter((r) => r.builtIn)
        .map((r) => r.key)
        .sort(),
    ).toEqual(['admin', 'approver', 'buyer', 'finance', 'punchout_buyer', 'viewer']);

    const res = await call('/v1/company/roles', {
      method: 'POST',
      token: admin,
      body: {
        key: 'site_lead',
        name: 'Site lead',
        permissions: ['catalog.view', 'order.place', 'catalog.view'],
      },
    });
    expect(res.status).toBe(201);
    const role = await json<{ id: string; permissions: string[] }>(res);
    expect(role.permissions).toEqual(['catalog.view', 'order.place']);
    const patched = await call(`/v1/company/roles/${role.id}`, {
      method: 'PATCH',
      token: admin,
      body: { name: 'Lead', permissions: ['audit.view'] },
    });
    expect(await json(patched)).toMatchObject({ name: 'Lead', permissions: ['audit.view'] });
  });

  it('refuses supplier permissions, duplicate keys and edits of built-in roles', async () => {
    const admin = await loginAs('admin@acme.example');
    const bad = await expectProblem(
      await call('/v1/company/roles', {
        method: 'POST',
        token: admin,
        body: { key: 'sneaky', name: 'S', permissions: ['catalog.view', 'platform.admin'] },
      }),
      400,
    );
    expect(bad.errors).toEqual([expect.objectContaining({ path: 'permissions.1' })]);
    await expectProblem(
      await call('/v1/company/roles', {
        method: 'POST',
        token: admin,
        body: { key: 'buyer', name: 'B', permissions: ['catalog.view'] },
      }),
      409,
    );
    await expectProblem(
      await call(`/v1/company/roles/${builtIn('buyer')}`, {
        method: 'PATCH',
        token: admin,
        body: { name: 'Mine' },
      }),
      403,
    );
  });
});

describe('addresses and cost centers', () => {
  it('any member reads them; only admins change them; one default ship-to at a time', async () => {
    const admin = await loginAs('admin@acme.example');
    const buyer = await loginAs('buyer@acme.example');
    const before = await json<{ items: { id: string; isDefaultShipTo: boolean }[] }>(
      await call('/v1/company/addresses', { token: buyer }),
    );
    expect(before.items.filter((s) => s.isDefaultShipTo)).toHaveLength(1);
    const body = {
      name: 'Chantier Part-Dieu',
      line1: '5 Place Charles Béraudier',
      postalCode: '69003',
      city: 'Lyon',
      country: 'FR',
      isDefaultShipTo: true,
    };
    await expectProblem(await call('/v1/company/addresses', { method: 'POST', token: buyer, body }), 403);
    const created = await json<{ id: string }>(
      await call('/v1/company/addresses', { method: 'POST', token: admin, body }),
    );
    const after = await json<{ items: { id: string; isDefaultShipTo: boolean }[] }>(
      await call('/v1/company/addresses', { token: buyer }),
    );
    expect(after.items.filter((s) => s.isDefaultShipTo).map((s) => s.id)).toEqual([created.id]);
    const archived = await call(`/v1/company/addresses/${created.id}`, {
      method: 'PATCH',
      token: admin,
      body: { status: 'archived' },
    });
    expect(await json(archived)).toMatchObject({ status: 'archived' });
  });

  it('parallel creates of one code give one 201 and 409s, never a 500', async () => {
    const admin = await loginAs('admin@acme.example');
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () =>
        call('/v1/company/cost-centers', {
          method: 'POST',
          token: admin,
          body: { code: 'CC-RACE', name: 'Race' },
        }).then((r) => r.status),
      ),
    );
    expect(statuses.sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it('cost center codes are unique per company', async () => {
    const admin = await loginAs('admin@acme.example');
    const res = await call('/v1/company/cost-centers', {
      method: 'POST',
      token: admin,
      body: { code: 'CC-NEW', name: 'New' },
    });
    expect(res.status).toBe(201);
    await expectProblem(
      await call('/v1/company/cost-centers', {
        method: 'POST',
        token: admin,
        body: { code: 'CC-NEW', name: 'Again' },
      }),
      409,
    );
    const globexAdmin = await loginAs('admin@globex.example');
    expect(
      (
        await call('/v1/company/cost-centers', {
          method: 'POST',
          token: globexAdmin,
          body: { code: 'CC-NEW', name: 'Fine' },
        })
      ).status,
    ).toBe(201);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from '../harness';
import { auditRows, roleKeysOf, seedRole, seedUser, userRow } from './fixtures';

const builtIn = (key: string) => `role_builtin_${key}`;
const MANAGER = 'usr_acme_manager';

const patchUser = (token: string, id: string, body: unknown, headers: Record<string, string> = {}) =>
  call(`/v1/company/users/${id}`, { method: 'PATCH', token, body, headers });
const invite = (token: string, body: Record<string, unknown>) =>
  call('/v1/company/users', { method: 'POST', token, body: { name: 'Invited', ...body } });

beforeAll(async () => {
  // a delegate who may manage users but holds nothing else: the case the grant rule exists for
  await seedRole('role_acme_people', 'co_acme', 'people_manager', ['catalog.view', 'users.manage']);
  await seedUser({
    id: MANAGER,
    companyId: 'co_acme',
    email: 'manager@acme.example',
    roleIds: ['role_acme_people'],
    orderLimitMinor: 100_000,
    periodLimitMinor: 200_000,
    periodLimitPeriod: 'month',
  });
  await seedRole('role_acme_carts', 'co_acme', 'cart_keeper', ['catalog.view', 'cart.manage']);
  for (const n of [1, 2, 3])
    await seedUser({
      id: `usr_acme_plain${n}`,
      companyId: 'co_acme',
      email: `plain${n}@acme.example`,
      roleIds: [builtIn('viewer')],
    });
});

describe('nobody grants a right they do not hold', () => {
  it('a users.manage delegate cannot change its own roles or limits, and every refusal is audited', async () => {
    const manager = await loginAs('manager@acme.example');
    const escalate = await expectProblem(
      await patchUser(manager, MANAGER, { roleIds: [builtIn('admin')] }),
      403,
    );
    expect(escalate.detail).toMatch(/your own/i);
    expect(await roleKeysOf(MANAGER)).toEqual(['people_manager']);
    await expectProblem(await patchUser(manager, MANAGER, { orderLimitMinor: 10_000_000 }), 403);
    await expectProblem(await patchUser(manager, MANAGER, { orderLimitMinor: null }), 403);
    await expectProblem(
      await patchUser(manager, MANAGER, { periodLimitMinor: null, periodLimitPeriod: null }),
      403,
    );
    expect(await userRow(MANAGER)).toMatchObject({ order_limit_minor: 100_000, period_limit_minor: 200_000 });
    // a name is not a right
    expect((await patchUser(manager, MANAGER, { name: 'Manny Manager' })).status).toBe(200);
    const refused = await auditRows('user.update.refused', MANAGER);
    expect(refused).toHaveLength(4);
    expect(refused[0]).toMatchObject({ target_id: MANAGER });
    expect(refused[0]?.summary).toMatch(/own/);
  });

  it('a delegate creates and edits roles only from permissions it holds', async () => {
    const manager = await loginAs('manager@acme.example');
    const refused = await expectProblem(
      await call('/v1/company/roles', {
        method: 'POST',
        token: manager,
        body: { key: 'approvers_too', name: 'Too much', permissions: ['catalog.view', 'order.approve'] },
      }),
      403,
    );
    expect(refused.detail).toMatch(/order\.approve/);
    expect(refused.errors).toEqual([expect.objectContaining({ path: 'permissions.1' })]);
    expect(await auditRows('role.create.refused', MANAGER)).toHaveLength(1);

    const created = await call('/v1/company/roles', {
      method: 'POST',
      token: manager,
      body: { key: 'lookers', name: 'Lookers', permissions: ['catalog.view'] },
    });
    expect(created.status).toBe(201);
    const role = await json<{ id: string }>(created);
    const patch = (id: string, body: unknown) =>
      call(`/v1/company/roles/${id}`, { method: 'PATCH', token: manager, body });
    expect((await patch(role.id, { permissions: ['catalog.view', 'users.manage'] })).status).toBe(200);
    const wider = await expectProblem(await patch(role.id, { permissions: ['audit.view'] }), 403);
    expect(wider.errors).toEqual([expect.objectContaining({ path: 'permissions.0' })]);
    // a role holding more than the delegate is out of its reach, even to rename
    await expectProblem(await patch('role_acme_carts', { name: 'Renamed' }), 403);
    expect(await auditRows('role.update.refused', MANAGER)).toHaveLength(2);
  });

  it('a delegate assigns only roles within its permissions and limits within its own', async () => {
    const manager = await loginAs('manager@acme.example');
    const plain = 'usr_acme_plain1';
    const buyerRole = await expectProblem(
      await patchUser(manager, plain, { roleIds: [builtIn('buyer')] }),
      403,
    );
    expect(buyerRole.errors).toEqual([expect.objectContaining({ path: 'roleIds.0' })]);
    expect((await patchUser(manager, plain, { roleIds: ['role_acme_people'] })).status).toBe(200);

    const over = await expectProblem(await patchUser(manager, plain, { orderLimitMinor: 150_000 }), 403);
    expect(over.errors).toEqual([expect.objectContaining({ path: 'orderLimitMinor' })]);
    await expectProblem(await patchUser(manager, plain, { orderLimitMinor: null }), 403);
    expect((await patchUser(manager, plain, { orderLimitMinor: 80_000 })).status).toBe(200);

    const cap = (periodLimitMinor: number | null, periodLimitPeriod: string | null) =>
      patchUser(manager, plain, { periodLimitMinor, periodLimitPeriod });
    await expectProblem(await cap(null, null), 403);
    // 100,000 a day can add up to far more than the manager's 200,000 a month
    const daily = await expectProblem(await cap(100_000, 'day'), 403);
    expect(daily.errors).toEqual([expect.objectContaining({ path: 'periodLimitPeriod' })]);
    await expectProblem(await cap(250_000, 'month'), 403);
    expect((await cap(150_000, 'month')).status).toBe(200);
    expect(await userRow(plain)).toMatchObject({
      order_limit_minor: 80_000,
      period_limit_minor: 150_000,
      period_limit_period: 'month',
    });
  });

  it('a delegate cannot touch a user who holds more than it does, nor invite beyond its rights', async () => {
    const manager = await loginAs('manager@acme.example');
    await expectProblem(await patchUser(manager, 'usr_acme_admin', { status: 'disabled' }), 403);
    await expectProblem(await patchUser(manager, 'usr_acme_buyer', { orderLimitMinor: 1 }), 403);
    expect(await userRow('usr_acme_admin')).toMatchObject({ status: 'active' });

    const refused = await expectProblem(
      await invite(manager, { email: 'helper@acme.example', roleIds: [builtIn('buyer')] }),
      403,
    );
    expect(refused.errors).toEqual([expect.objectContaining({ path: 'roleIds.0' })]);
    expect(await auditRows('user.invite.refused', MANAGER)).toHaveLength(1);
    await expectProblem(
      await invite(manager, { email: 'helper@acme.example', roleIds: [builtIn('viewer')] }),
      403,
    );
    const allowed = await invite(manager, {
      email: 'helper@acme.example',
      roleIds: [builtIn('viewer')],
      orderLimitMinor: 50_000,
      periodLimitMinor: 100_000,
      periodLimitPeriod: 'month',
    });
    expect(allowed.status).toBe(202);
  });

  it('company admins keep full control of their company, but not of their own roles and limits', async () => {
    const admin = await loginAs('admin@acme.example');
    const plain = 'usr_acme_plain2';
    const full = { roleIds: [builtIn('admin')], orderLimitMinor: null, periodLimitMinor: null };
    expect((await patchUser(admin, plain, { ...full, periodLimitPeriod: null })).status).toBe(200);
    expect(await roleKeysOf(plain)).toEqual(['admin']);
    const own = await expectProblem(await patchUser(admin, 'usr_acme_admin', { orderLimitMinor: 1 }), 403);
    expect(own.detail).toMatch(/your own/i);
    await expectProblem(await patchUser(admin, 'usr_acme_admin', { roleIds: [builtIn('viewer')] }), 403);
    expect(await auditRows('user.update.refused', 'usr_acme_admin')).toHaveLength(2);
  });

  it('platform admins have full control of any company; sales reps administer no users', async () => {
    const ops = await loginAs('ops@supplier.example');
    const forAcme = { 'x-company-id': 'co_acme' };
    const res = await patchUser(
      ops,
      'usr_acme_plain3',
      { roleIds: [builtIn('admin')], orderLimitMinor: 1 },
      forAcme,
    );
    expect(res.status).toBe(200);
    const rep = await loginAs('rep@supplier.example');
    await expectProblem(await call('/v1/company/users', { token: rep, headers: forAcme }), 403);
    await expectProblem(await patchUser(rep, 'usr_acme_plain3', { orderLimitMinor: 2 }, forAcme), 403);
  });
});

describe('per-user period caps on the users API', () => {
  it('reads and writes periodLimitMinor and periodLimitPeriod as a pair', async () => {
    const admin = await loginAs('admin@acme.example');
    const manager = await json(await call(`/v1/company/users/${MANAGER}`, { token: admin }));
    expect(manager).toMatchObject({ periodLimitMinor: 200_000, periodLimitPeriod: 'month' });
    const set = await patchUser(admin, 'usr_acme_buyer', {
      periodLimitMinor: 300_000,
      periodLimitPeriod: 'week',
    });
    expect(await json(set)).toMatchObject({ periodLimitMinor: 300_000, periodLimitPeriod: 'week' });
    const list = await json<{ items: { id: string; periodLimitPeriod: string | null }[] }>(
      await call('/v1/company/users?limit=200', { token: admin }),
    );
    expect(list.items.find((u) => u.id === 'usr_acme_buyer')?.periodLimitPeriod).toBe('week');

    const paths = async (body: unknown) =>
      (await expectProblem(await patchUser(admin, 'usr_acme_buyer', body), 400)).errors?.map((e) => e.path);
    expect(await paths({ periodLimitMinor: 5 })).toEqual(['periodLimitPeriod']);
    expect(await paths({ periodLimitPeriod: 'day' })).toEqual(['periodLimitMinor']);
    expect(await paths({ periodLimitMinor: 5, periodLimitPeriod: null })).toEqual(['periodLimitPeriod']);
    expect(await paths({ periodLimitMinor: 5, periodLimitPeriod: 'year' })).toEqual(['periodLimitPeriod']);
    const inviteOne = await expectProblem(
      await invite(admin, { email: 'cap@acme.example', roleIds: [builtIn('viewer')], periodLimitMinor: 5 }),
      400,
    );
    expect(inviteOne.errors?.map((e) => e.path)).toEqual(['periodLimitPeriod']);

    const cleared = await patchUser(admin, 'usr_acme_buyer', {
      periodLimitMinor: null,
      periodLimitPeriod: null,
    });
    expect(await json(cleared)).toMatchObject({ periodLimitMinor: null, periodLimitPeriod: null });
  });
});

describe('role keys and repeated array items', () => {
  it('five parallel creates of one role key give one 201 and four 409s', async () => {
    const admin = await loginAs('admin@acme.example');
    const statuses = await Promise.all(
      Array.from({ length: 5 }, () =>
        call('/v1/company/roles', {
          method: 'POST',
          token: admin,
          body: { key: 'race_role', name: 'Race', permissions: ['catalog.view'] },
        }).then((r) => r.status),
      ),
    );
    expect(statuses.sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('a custom role cannot take the key of a built-in role (409)', async () => {
    const admin = await loginAs('admin@acme.example');
    for (const key of ['admin', 'viewer', 'platform_admin', 'sales_rep']) {
      const res = await call('/v1/company/roles', {
        method: 'POST',
        token: admin,
        body: { key, name: 'Impostor', permissions: ['catalog.view'] },
      });
      expect((await expectProblem(res, 409)).detail, key).toMatch(/built-in/);
    }
  });

  it('a role named twice in roleIds is a 400 on roleIds.N, not a 409', async () => {
    const admin = await loginAs('admin@acme.example');
    const twice = [builtIn('viewer'), builtIn('buyer'), builtIn('viewer')];
    const patched = await expectProblem(await patchUser(admin, 'usr_acme_plain1', { roleIds: twice }), 400);
    expect(patched.errors?.map((e) => e.path)).toEqual(['roleIds.2']);
    const invited = await expectProblem(
      await invite(admin, { email: 'twice@acme.example', roleIds: twice }),
      400,
    );
    expect(invited.errors?.map((e) => e.path)).toEqual(['roleIds.2']);
  });
});

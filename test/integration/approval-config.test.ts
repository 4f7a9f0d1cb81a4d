import { describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';

interface Policy {
  id: string;
  name: string;
  kind: string;
  status: string;
  steps: unknown[];
  thresholdMinor: number | null;
}
interface Budget {
  id: string;
  costCenterId: string;
  period: string;
  amountMinor: number;
  onExceed: string;
  status: string;
}

const POLICIES = '/v1/company/approval-policies';
const BUDGETS = '/v1/company/budgets';
const approver = { role: 'approver', required: 1 };
const finance = { role: 'finance', required: 1 };

const admin = () => loginAs('admin@acme.example');
const post = async (path: string, body: unknown, token?: string) =>
  call(path, { method: 'POST', token: token ?? (await admin()), body });
const patch = async (path: string, body: unknown) =>
  call(path, { method: 'PATCH', token: await admin(), body });
const del = async (path: string, token?: string) =>
  call(path, { method: 'DELETE', token: token ?? (await admin()) });

/** The paths of a problem's field errors, sorted. */
async function paths(res: Response, status: number): Promise<string[]> {
  const problem = await expectProblem(res, status);
  return (problem.errors ?? []).map((e) => e.path).sort();
}

async function auditActions(targetId: string): Promise<string[]> {
  const log = await json<{ items: { action: string; companyId: string }[] }>(
    await call(`/v1/audit?target=${targetId}`, { token: await admin() }),
  );
  expect(log.items.every((e) => e.companyId === 'co_acme')).toBe(true);
  return log.items.map((e) => e.action).sort();
}

describe('approval policies', () => {
  it('an admin creates every shape; approvers and finance read them in creation order', async () => {
    const role = await json<{ key: string }>(
      await post('/v1/company/roles', {
        key: 'site_lead',
        name: 'Site lead',
        permissions: ['order.approve'],
      }),
    );
    const bodies = [
      { name: 'Above 5,000', kind: 'amount', thresholdMinor: 500_000, steps: [approver] },
      {
        name: 'Two levels',
        kind: 'two_levels',
        thresholdMinor: 100_000,
        secondThresholdMinor: 1_000_000,
        steps: [approver, finance],
      },
      {
        name: 'IT spend',
        kind: 'cost_center',
        costCenterId: 'cc_acme_it',
        steps: [{ role: role.key, required: 1 }],
      },
      {
        name: 'Safety gear',
        kind: 'categories',
        categories: ['fasteners', 'fasteners/screws'],
        steps: [{ userIds: ['usr_acme_approver', 'usr_acme_finance'], required: 2 }],
      },
      {
        name: 'Newcomers',
        kind: 'first_order',
        steps: [approver, { role: 'admin', userIds: ['usr_acme_finance'], required: 1 }, finance],
      },
    ];
    const created: Policy[] = [];
    for (const body of bodies) {
      const res = await post(POLICIES, body);
      expect(res.status, await res.clone().text()).toBe(201);
      created.push(await json<Policy>(res));
    }
    expect(created[0]).toMatchObject({ kind: 'amount', thresholdMinor: 500_000, status: 'active' });
    expect(created[0]).not.toHaveProperty('companyId');
    expect(created[3]).toMatchObject({ categories: ['fasteners', 'fasteners/screws'] });

    for (const email of ['approver@acme.example', 'finance@acme.example']) {
      const token = await loginAs(email);
      const list = await json<{ items: Policy[] }>(await call(POLICIES, { token }));
      const ids = created.map((p) => p.id);
      expect(list.items.map((p) => p.id).filter((id) => ids.includes(id))).toEqual(ids);
      expect((await call(`${POLICIES}/${created[1]?.id}`, { token })).status).toBe(200);
    }
  });

  it('changes, archives and reactivates a policy, each audited', async () => {
    const policy = await json<Policy>(
      await post(POLICIES, { name: 'Lifecycle', kind: 'amount', thresholdMinor: 1_000, steps: [approver] }),
    );
    const changed = await patch(`${POLICIES}/${policy.id}`, { name: 'Renamed', thresholdMinor: 2_000 });
    expect(await json(changed)).toMatchObject({ name: 'Renamed', thresholdMinor: 2_000 });
    expect((await del(`${POLICIES}/${policy.id}`)).status).toBe(204);
    expect(await json(await call(`${POLICIES}/${policy.id}`, { token: await admin() }))).toMatchObject({
      status: 'archived',
    });
    const active = await json<{ items: Policy[] }>(
      await call(`${POLICIES}?status=active`, { token: await admin() }),
    );
    expect(active.items.map((p) => p.id)).not.toContain(policy.id);
    await expectProblem(await del(`${POLICIES}/${policy.id}`), 409);
    expect(await json(await patch(`${POLICIES}/${policy.id}`, { status: 'active' }))).toMatchObject({
      status: 'active',
    });
    expect(await auditActions(policy.id)).toEqual([
      'approval_policy.archive',
      'approval_policy.create',
      'approval_policy.update',
      'approval_policy.update',
    ]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['amount without threshold', { kind: 'amount', steps: [approver] }, ['thresholdMinor']],
    [
      'amount with a field of another shape',
      { kind: 'amount', thresholdMinor: 1, costCenterId: 'cc_acme_it', steps: [approver] },
      ['costCenterId'],
    ],
    ['amount with two steps', { kind: 'amount', thresholdMinor: 1, steps: [approver, finance] }, ['steps']],
    [
      'two_levels without second',
      { kind: 'two_levels', thresholdMinor: 1, steps: [approver, finance] },
      ['secondThresholdMinor'],
    ],
    [
      'two_levels second not above first',
      { kind: 'two_levels', thresholdMinor: 5, secondThresholdMinor: 5, steps: [approver, finance] },
      ['secondThresholdMinor'],
    ],
    [
      'two_levels with one step',
      { kind: 'two_levels', thresholdMinor: 5, secondThresholdMinor: 6, steps: [approver] },
      ['steps'],
    ],
    ['cost_center without it', { kind: 'cost_center', steps: [approver] }, ['costCenterId']],
    ['categories without them', { kind: 'categories', steps: [approver] }, ['categories']],
    [
      'categories twice',
      { kind: 'categories', categories: ['tools', 'tools'], steps: [approver] },
      ['categories'],
    ],
    ['no step', { kind: 'first_order', steps: [] }, ['steps']],
    [
      'four steps',
      {
        kind: 'first_order',
        steps: [approver, finance, { role: 'admin', required: 1 }, { role: 'buyer', required: 1 }],
      },
      ['steps'],
    ],
    ['a step naming nobody', { kind: 'first_order', steps: [{ required: 1 }] }, ['steps.0']],
    [
      'more approvals than named users',
      { kind: 'first_order', steps: [{ userIds: ['usr_acme_approver', 'usr_acme_finance'], required: 3 }] },
      ['steps.0.required'],
    ],
    [
      'zero approvals',
      { kind: 'first_order', steps: [{ role: 'approver', required: 0 }] },
      ['steps.0.required'],
    ],
    [
      'a user twice',
      { kind: 'first_order', steps: [{ userIds: ['usr_acme_approver', 'usr_acme_approver'], required: 1 }] },
      ['steps.0.userIds'],
    ],
    ['the same approvers twice', { kind: 'first_order', steps: [finance, approver, finance] }, ['steps.2']],
    ['an unknown kind', { kind: 'vibes', steps: [approver] }, ['kind']],
    ['an unknown field', { kind: 'first_order', steps: [approver], priority: 1 }, ['priority']],
  ])('400 on %s', async (_name, body, expected) => {
    expect(await paths(await post(POLICIES, { name: 'Bad', ...body }), 400)).toEqual(expected);
  });

  it('422 on records that are not this company’s, every path at once', async () => {
    const globexRole = await post(
      '/v1/company/roles',
      { key: 'globex_lead', name: 'Globex lead', permissions: ['order.approve'] },
      await loginAs('admin@globex.example'),
    );
    expect(globexRole.status).toBe(201);
    const archivedCc = await json<{ id: string }>(
      await post('/v1/company/cost-centers', { code: 'CC-OLD', name: 'Old' }),
    );
    await patch(`/v1/company/cost-centers/${archivedCc.id}`, { status: 'archived' });

    for (const costCenterId of ['cc_globex_inst', archivedCc.id, 'cc_nope']) {
      const res = await post(POLICIES, { name: 'CC', kind: 'cost_center', costCenterId, steps: [approver] });
      expect(await paths(res, 422)).toEqual(['costCenterId']);
    }
    const cats = await post(POLICIES, {
      name: 'Cats',
      kind: 'categories',
      categories: ['fasteners', 'no/such/category', 'fasteners/screws'],
      steps: [approver],
    });
    expect(await paths(cats, 422)).toEqual(['categories.1']);
    const steps = await post(POLICIES, {
      name: 'Steps',
      kind: 'first_order',
      steps: [
        { role: 'wizard', required: 1 },
        { role: 'sales_rep', userIds: ['usr_acme_finance', 'usr_globex_buyer'], required: 1 },
        { role: 'globex_lead', userIds: ['usr_rep'], required: 1 },
      ],
    });
    expect(await paths(steps, 422)).toEqual([
      'steps.0.role',
      'steps.1.role',
      'steps.1.userIds.1',
      'steps.2.role',
      'steps.2.userIds.0',
    ]);
  });

  it('a patch keeps the kind’s shape and checks only the references it sends', async () => {
    const two = await json<Policy>(
      await post(POLICIES, {
        name: 'Patch me',
        kind: 'two_levels',
        thresholdMinor: 100,
        secondThresholdMinor: 200,
        steps: [approver, finance],
      }),
    );
    const url = `${POLICIES}/${two.id}`;
    expect(await paths(await patch(url, { kind: 'amount' }), 400)).toEqual(['kind']);
    expect(await paths(await patch(url, { secondThresholdMinor: 50 }), 400)).toEqual([
      'secondThresholdMinor',
    ]);
    expect(await paths(await patch(url, { costCenterId: 'cc_acme_it' }), 400)).toEqual(['costCenterId']);
    expect(await paths(await patch(url, { steps: [approver] }), 400)).toEqual(['steps']);
    expect(await paths(await patch(url, {}), 400)).toEqual(['']);
    expect(
      await paths(
        await patch(url, { steps: [approver, { userIds: ['usr_globex_admin'], required: 1 }] }),
        422,
      ),
    ).toEqual(['steps.1.userIds.0']);
    expect(await json(await patch(url, { thresholdMinor: 150 }))).toMatchObject({
      thresholdMinor: 150,
      secondThresholdMinor: 200,
    });
  });

  it('a buyer may neither read nor write; the other company sees 404', async () => {
    const policy = await json<Policy>(
      await post(POLICIES, { name: 'Mine', kind: 'first_order', steps: [approver] }),
    );
    const buyer = await loginAs('buyer@acme.example');
    await expectProblem(await call(POLICIES, { token: buyer }), 403);
    await expectProblem(await call(`${POLICIES}/${policy.id}`, { token: buyer }), 403);
    await expectProblem(
      await post(POLICIES, { name: 'X', kind: 'first_order', steps: [approver] }, buyer),
      403,
    );
    await expectProblem(await del(`${POLICIES}/${policy.id}`, buyer), 403);
    await expectProblem(
      await call(POLICIES, { method: 'POST', token: await loginAs('approver@acme.example'), body: {} }),
      403,
    );

    const globex = await loginAs('admin@globex.example');
    await expectProblem(await call(`${POLICIES}/${policy.id}`, { token: globex }), 404);
    await expectProblem(
      await call(`${POLICIES}/${policy.id}`, { method: 'PATCH', token: globex, body: { name: 'Hijacked' } }),
      404,
    );
    await expectProblem(await del(`${POLICIES}/${policy.id}`, globex), 404);
    const theirs = await json<{ items: Policy[] }>(await call(POLICIES, { token: globex }));
    expect(theirs.items.map((p) => p.id)).not.toContain(policy.id);
    expect(await json(await call(`${POLICIES}/${policy.id}`, { token: await admin() }))).toMatchObject({
      name: 'Mine',
      status: 'active',
    });
  });
});

describe('budgets', () => {
  it('one per cost center and period; changed, archived, reactivated, each audited', async () => {
    const res = await post(BUDGETS, {
      costCenterId: 'cc_acme_maint',
      period: 'month',
      amountMinor: 500_000,
      currency: 'EUR',
    });
    expect(res.status).toBe(201);
    const budget = await json<Budget>(res);
    expect(budget).toMatchObject({ onExceed: 'finance_approval', status: 'active', amountMinor: 500_000 });
    expect(budget).not.toHaveProperty('companyId');
    const quarter = await post(BUDGETS, {
      costCenterId: 'cc_acme_maint',
      period: 'quarter',
      amountMinor: 0,
      currency: 'EUR',
      onExceed: 'refuse',
    });
    expect(quarter.status).toBe(201);
    await expectProblem(
      await post(BUDGETS, {
        costCenterId: 'cc_acme_maint',
        period: 'month',
        amountMinor: 1,
        currency: 'EUR',
      }),
      409,
    );

    const url = `${BUDGETS}/${budget.id}`;
    expect(await json(await patch(url, { amountMinor: 750_000, onExceed: 'refuse' }))).toMatchObject({
      amountMinor: 750_000,
      onExceed: 'refuse',
    });
    expect((await del(url)).status).toBe(204);
    await expectProblem(await del(url), 409);
    const again = await expectProblem(
      await post(BUDGETS, {
        costCenterId: 'cc_acme_maint',
        period: 'month',
        amountMinor: 1,
        currency: 'EUR',
      }),
      409,
    );
    expect(again.detail).toMatch(/archived/);
    expect(await json(await patch(url, { status: 'active' }))).toMatchObject({ status: 'active' });
    expect(await auditActions(budget.id)).toEqual([
      'budget.archive',
      'budget.create',
      'budget.update',
      'budget.update',
    ]);

    const finance = await loginAs('finance@acme.example');
    const list = await json<{ items: Budget[] }>(
      await call(`${BUDGETS}?costCenterId=cc_acme_maint`, { token: finance }),
    );
    expect(list.items.map((b) => b.period).sort()).toEqual(['month', 'quarter']);
    expect((await call(url, { token: await loginAs('approver@acme.example') })).status).toBe(200);
  });

  it.each<[string, Record<string, unknown>, number, string[]]>([
    ['another company’s cost center', { costCenterId: 'cc_globex_inst' }, 422, ['costCenterId']],
    ['an unknown cost center', { costCenterId: 'cc_nope' }, 422, ['costCenterId']],
    ['another currency', { currency: 'GBP' }, 422, ['currency']],
    ['a negative amount', { amountMinor: -1 }, 400, ['amountMinor']],
    ['a fractional amount', { amountMinor: 1.5 }, 400, ['amountMinor']],
    ['an unknown period', { period: 'week' }, 400, ['period']],
    ['an unknown exceed rule', { onExceed: 'ignore' }, 400, ['onExceed']],
    ['an unknown field', { note: 'x' }, 400, ['note']],
  ])('rejects %s', async (_name, override, status, expected) => {
    const body = {
      costCenterId: 'cc_acme_prod',
      period: 'year',
      amountMinor: 1_000,
      currency: 'EUR',
      ...override,
    };
    expect(await paths(await post(BUDGETS, body), status)).toEqual(expected);
  });

  it('patch rules, buyer 403, other company 404', async () => {
    const budget = await json<Budget>(
      await post(BUDGETS, { costCenterId: 'cc_acme_hse', period: 'year', amountMinor: 10, currency: 'EUR' }),
    );
    const url = `${BUDGETS}/${budget.id}`;
    expect(await paths(await patch(url, { currency: 'USD' }), 422)).toEqual(['currency']);
    expect(await paths(await patch(url, { period: 'month' }), 400)).toEqual(['period']);
    expect(await paths(await patch(url, { costCenterId: 'cc_acme_it' }), 400)).toEqual(['costCenterId']);

    const buyer = await loginAs('buyer@acme.example');
    await expectProblem(await call(BUDGETS, { token: buyer }), 403);
    await expectProblem(await call(url, { method: 'PATCH', token: buyer, body: { amountMinor: 1 } }), 403);

    const globex = await loginAs('admin@globex.example');
    await expectProblem(await call(url, { token: globex }), 404);
    await expectProblem(await call(url, { method: 'PATCH', token: globex, body: { amountMinor: 1 } }), 404);
    await expectProblem(await del(url, globex), 404);
    const theirs = await json<{ items: Budget[] }>(await call(BUDGETS, { token: globex }));
    expect(theirs.items.map((b) => b.id)).not.toContain(budget.id);
    expect(await json(await call(url, { token: await admin() }))).toMatchObject({
      amountMinor: 10,
      status: 'active',
    });
  });

  it('supplier staff act with X-Company-Id: a platform admin may, a sales rep may not', async () => {
    const ops = await loginAs('ops@supplier.example');
    const rep = await loginAs('rep@supplier.example');
    const headers = { 'x-company-id': 'co_acme' };
    expect((await call(BUDGETS, { token: ops, headers })).status).toBe(200);
    await expectProblem(await call(BUDGETS, { token: rep, headers }), 403);
  });
});

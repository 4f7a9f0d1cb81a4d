import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';
import { all, buildFor, first, plainAcmeProduct } from './pricing-helpers';

interface Approval {
  orderId: string;
  status: string;
  currentStep: number;
  actAs: { userId: string; actingFor: string | null }[];
}

let sku = '';
let unit = 0;

beforeAll(async () => {
  await buildFor('co_acme');
  const row = await plainAcmeProduct(-1);
  sku = row.sku;
  unit = row.amount_minor;
});

/** A buyer order over their 5,000.00 EUR limit: it waits for an approver. */
async function pendingOrder(key: string): Promise<string> {
  const buyer = await loginAs('buyer@acme.example');
  const cart = await json<{ id: string }>(
    await call('/v1/carts', { method: 'POST', token: buyer, body: { name: key } }),
  );
  const quantity = Math.ceil(700_000 / unit);
  const added = await call(`/v1/carts/${cart.id}/lines`, {
    method: 'POST',
    token: buyer,
    body: { lines: [{ sku, quantity }] },
  });
  if (added.status !== 200) throw new Error(`lines: ${added.status} ${await added.text()}`);
  const res = await call(`/v1/carts/${cart.id}/checkout`, {
    method: 'POST',
    token: buyer,
    body: {},
    headers: { 'idempotency-key': key },
  });
  const outcome = await json<{ status: string; orderId: string }>(res);
  expect(outcome.status).toBe('pending_approval');
  return outcome.orderId;
}

const decide = (token: string, orderId: string, verdict: 'approve' | 'reject', comment?: string) =>
  call(`/v1/approvals/${orderId}/${verdict}`, { method: 'POST', token, body: comment ? { comment } : {} });

const orderStatus = async (orderId: string) =>
  (await first<{ status: string }>('SELECT status FROM orders WHERE id = ?', orderId)).status;

describe('approvals', () => {
  it('an approver sees the request, approves it, and the order is placed and announced; a second decision is a 409', async () => {
    const orderId = await pendingOrder('approve-1');
    const approver = await loginAs('approver@acme.example');
    const list = await json<{ items: Approval[] }>(await call('/v1/approvals', { token: approver }));
    const mine = list.items.find((a) => a.orderId === orderId);
    expect(mine?.actAs).toEqual([{ userId: 'usr_acme_approver', actingFor: null }]);
    const res = await decide(approver, orderId, 'approve', 'ok for the plant');
    expect(res.status).toBe(200);
    expect((await json<Approval>(res)).status).toBe('approved');
    expect(await orderStatus(orderId)).toBe('placed');
    const topics = await all<{ id: string; topic: string }>(
      'SELECT id, topic FROM outbox WHERE aggregate_id = ? ORDER BY id',
      orderId,
    );
    expect(topics.map((t) => t.id.split('_').slice(2).join('_')).sort()).toEqual(
      ['approval_requested', 'export', 'order_approved'].sort(),
    );
    const history = await json<{ history: { type: string; note: string | null }[] }>(
      await call(`/v1/orders/${orderId}`, { token: approver }),
    );
    expect(history.history.map((h) => h.type)).toEqual(['pending_approval', 'approval', 'placed']);
    await expectProblem(await decide(approver, orderId, 'approve'), 409);
  });

  it('a rejection ends the order, and its lines come back to the requester as a saved cart', async () => {
    const orderId = await pendingOrder('reject-1');
    const approver = await loginAs('approver@acme.example');
    expect((await decide(approver, orderId, 'reject', 'split it into two orders')).status).toBe(200);
    expect(await orderStatus(orderId)).toBe('rejected');
    const buyer = await loginAs('buyer@acme.example');
    const carts = await json<{ items: { id: string; name: string | null; lineCount: number }[] }>(
      await call('/v1/carts', { token: buyer }),
    );
    const returned = carts.items.find((c) => c.name === `Returned order ${orderId}`);
    expect(returned?.lineCount).toBe(1);
    const audit = await first<{ summary: string }>(
      "SELECT summary FROM audit_log WHERE action = 'order.reject' AND target_id = ?",
      orderId,
    );
    expect(audit.summary).toContain('split it into two orders');
  });

  it('the requester never approves their own order; a buyer without order.approve gets 403', async () => {
    const admin = await loginAs('admin@acme.example');
    const policy = await call('/v1/company/approval-policies', {
      method: 'POST',
      token: admin,
      body: {
        name: 'Everything over 10.00',
        kind: 'amount',
        thresholdMinor: 1000,
        steps: [{ role: 'admin', required: 1 }],
      },
    });
    expect(policy.status).toBe(201);
    const cart = await json<{ id: string }>(
      await call('/v1/carts', { method: 'POST', token: admin, body: { name: 'Own' } }),
    );
    await call(`/v1/carts/${cart.id}/lines`, {
      method: 'POST',
      token: admin,
      body: { lines: [{ sku, quantity: 5 }] },
    });
    const placed = await json<{ status: string; orderId: string }>(
      await call(`/v1/carts/${cart.id}/checkout`, {
        method: 'POST',
        token: admin,
        body: {},
        headers: { 'idempotency-key': 'own-1' },
      }),
    );
    expect(placed.status).toBe('pending_approval');
    await expectProblem(await decide(admin, placed.orderId, 'approve'), 403);
    await expectProblem(await call('/v1/approvals', { token: await loginAs('buyer@acme.example') }), 403);
    await call(`/v1/company/approval-policies/${(await json<{ id: string }>(policy)).id}`, {
      method: 'DELETE',
      token: admin,
    });
  });

  it("another company's approver cannot see or act on the request", async () => {
    const orderId = await pendingOrder('foreign-1');
    const globex = await loginAs('admin@globex.example');
    const list = await json<{ items: Approval[] }>(await call('/v1/approvals', { token: globex }));
    expect(list.items.map((a) => a.orderId)).not.toContain(orderId);
    await expectProblem(await decide(globex, orderId, 'approve'), 404);
    expect(await orderStatus(orderId)).toBe('pending_approval');
  });
});

describe('delegation', () => {
  it('a substitute acts for the approver during the period, and the audit says who acted for whom', async () => {
    const orderId = await pendingOrder('delegated-1');
    const approver = await loginAs('approver@acme.example');
    const finance = await loginAs('finance@acme.example');
    const now = Date.now();
    const created = await call('/v1/delegations', {
      method: 'POST',
      token: approver,
      body: {
        substituteUserId: 'usr_acme_finance',
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
      },
    });
    expect(created.status).toBe(201);
    const list = await json<{ items: Approval[] }>(await call('/v1/approvals', { token: finance }));
    expect(list.items.find((a) => a.orderId === orderId)?.actAs).toContainEqual({
      userId: 'usr_acme_finance',
      actingFor: 'usr_acme_approver',
    });
    expect((await decide(finance, orderId, 'approve')).status).toBe(200);
    const audit = await first<{ actor_id: string; acting_for_id: string | null }>(
      "SELECT actor_id, acting_for_id FROM audit_log WHERE action = 'order.approve' AND target_id = ?",
      orderId,
    );
    expect(audit).toEqual({ actor_id: 'usr_acme_finance', acting_for_id: 'usr_acme_approver' });

    // handing them back in the same period would be a loop
    const loop = await expectProblem(
      await call('/v1/delegations', {
        method: 'POST',
        token: finance,
        body: {
          substituteUserId: 'usr_acme_approver',
          startsAt: new Date(now).toISOString(),
          endsAt: new Date(now + 60_000).toISOString(),
        },
      }),
      422,
    );
    expect(loop.errors?.[0]?.path).toBe('substituteUserId');
    const badPeriod = await expectProblem(
      await call('/v1/delegations', {
        method: 'POST',
        token: approver,
        body: {
          substituteUserId: 'usr_acme_admin',
          startsAt: new Date(now).toISOString(),
          endsAt: new Date(now - 1).toISOString(),
        },
      }),
      400,
    );
    expect(badPeriod.errors?.[0]?.path).toBe('endsAt');
    const notApprover = await expectProblem(
      await call('/v1/delegations', {
        method: 'POST',
        token: approver,
        body: {
          substituteUserId: 'usr_acme_buyer',
          startsAt: new Date(now).toISOString(),
          endsAt: new Date(now + 1000).toISOString(),
        },
      }),
      422,
    );
    expect(notApprover.errors?.[0]?.path).toBe('substituteUserId');
  });
});

describe('cancelling and previewing', () => {
  it('the requester withdraws a pending order: cancelled, no longer approvable, its budget given back', async () => {
    const buyer = await loginAs('buyer@acme.example');
    await call('/v1/company/budgets', {
      method: 'POST',
      token: await loginAs('admin@acme.example'),
      body: { costCenterId: 'cc_acme_maint', period: 'year', amountMinor: 100_000_000, currency: 'EUR' },
    });
    const cart = await json<{ id: string }>(
      await call('/v1/carts', { method: 'POST', token: buyer, body: { name: 'Withdrawn' } }),
    );
    await call(`/v1/carts/${cart.id}/lines`, {
      method: 'POST',
      token: buyer,
      body: { lines: [{ sku, quantity: Math.ceil(700_000 / unit) }] },
    });
    const preview = await json<{
      outcome: string;
      budget: { remainingMinor: number } | null;
      totalMinor: number;
    }>(await call(`/v1/carts/${cart.id}/checkout?costCenterId=cc_acme_maint`, { token: buyer }));
    expect(preview.outcome).toBe('pending_approval');
    const before = preview.budget?.remainingMinor ?? 0;
    const placed = await json<{ orderId: string; status: string }>(
      await call(`/v1/carts/${cart.id}/checkout`, {
        method: 'POST',
        token: buyer,
        body: { costCenterId: 'cc_acme_maint' },
        headers: { 'idempotency-key': 'withdraw-1' },
      }),
    );
    expect(placed.status).toBe('pending_approval');
    const other = await json<{ id: string }>(
      await call('/v1/carts', { method: 'POST', token: buyer, body: { name: 'Probe' } }),
    );
    await call(`/v1/carts/${other.id}/lines`, {
      method: 'POST',
      token: buyer,
      body: { lines: [{ sku, quantity: 1 }] },
    });
    const probe = async () =>
      (
        await json<{ budget: { remainingMinor: number } | null }>(
          await call(`/v1/carts/${other.id}/checkout?costCenterId=cc_acme_maint`, { token: buyer }),
        )
      ).budget?.remainingMinor;
    expect(await probe()).toBe(before - preview.totalMinor);

    await expectProblem(
      await call(`/v1/orders/${placed.orderId}/cancel`, {
        method: 'POST',
        token: await loginAs('approver@acme.example'),
        body: {},
      }),
      403,
    );
    expect(
      (
        await call(`/v1/orders/${placed.orderId}/cancel`, {
          method: 'POST',
          token: buyer,
          body: { reason: 'ordered twice' },
        })
      ).status,
    ).toBe(204);
    expect(await orderStatus(placed.orderId)).toBe('cancelled');
    expect(await probe()).toBe(before);
    await expectProblem(
      await call(`/v1/orders/${placed.orderId}/cancel`, { method: 'POST', token: buyer, body: {} }),
      409,
    );
    await expectProblem(await decide(await loginAs('approver@acme.example'), placed.orderId, 'approve'), 409);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from '../harness';
import { buildFor, plainAcmeProduct } from '../pricing-helpers';
import { seedRole, seedUser } from './fixtures';

/** Money a user without prices.view must not see: amount fields, pricing provenance, amounts in text. */
function expectNoMoney(label: string, body: unknown) {
  const text = JSON.stringify(body);
  expect(text, label).not.toMatch(/Minor"/);
  expect(text, label).not.toMatch(/"(ruleId|ruleIds|tierMinQuantity|offers)"/);
  expect(text, label).not.toMatch(/\d\.\d\d\b/);
}

let sku = '';

beforeAll(async () => {
  await buildFor('co_acme');
  sku = (await plainAcmeProduct()).sku;
  // ordering at contract price without seeing it, and approving without seeing amounts
  await seedRole('role_acme_blind', 'co_acme', 'blind_orderer', [
    'catalog.view',
    'cart.manage',
    'order.place',
  ]);
  await seedRole('role_acme_blind_appr', 'co_acme', 'blind_approver', ['catalog.view', 'order.approve']);
  await seedUser({
    id: 'usr_acme_blind',
    companyId: 'co_acme',
    email: 'blind@acme.example',
    roleIds: ['role_acme_blind'],
  });
  await seedUser({
    id: 'usr_acme_blind_appr',
    companyId: 'co_acme',
    email: 'blind.approver@acme.example',
    roleIds: ['role_acme_blind_appr'],
  });
});

async function cartWithLine(token: string, name: string) {
  const cart = await json<{ id: string }>(await call('/v1/carts', { method: 'POST', token, body: { name } }));
  const added = await call(`/v1/carts/${cart.id}/lines`, {
    method: 'POST',
    token,
    body: { lines: [{ sku, quantity: 2 }] },
  });
  expect(added.status).toBe(200);
  return { id: cart.id, body: await json<{ lines: { sku: string; quantity: number }[] }>(added) };
}

const checkout = (token: string, cartId: string, key: string, body: Record<string, unknown> = {}) =>
  call(`/v1/carts/${cartId}/checkout`, { method: 'POST', token, body, headers: { 'idempotency-key': key } });

describe('prices follow prices.view in every answer that carries money', () => {
  it('a buyer without prices.view fills a cart, previews, checks out and reads its orders without a price', async () => {
    const blind = await loginAs('blind@acme.example');
    const current = await call('/v1/carts/current/lines', {
      method: 'POST',
      token: blind,
      body: { lines: [{ sku, quantity: 1 }] },
    });
    expect(current.status).toBe(200);
    const line = await json<{ lines: { sku: string; quantity: number }[]; totals: { lineCount: number } }>(
      current,
    );
    expect(line.lines[0]).toMatchObject({ sku, quantity: 1 });
    expect(line.totals.lineCount).toBe(1);
    expectNoMoney('add lines', line);
    expectNoMoney('cart', await json(await call('/v1/carts/current', { token: blind })));

    const cart = await cartWithLine(blind, 'Blind order');
    expectNoMoney('saved cart lines', cart.body);
    const preview = await call(`/v1/carts/${cart.id}/checkout`, { token: blind });
    expect(preview.status).toBe(200);
    expectNoMoney('preview', await json(preview));
    const placed = await checkout(blind, cart.id, 'blind-1');
    expect(placed.status).toBe(201);
    const outcome = await json<{ orderId: string; status: string; lineCount: number }>(placed);
    expect(outcome.lineCount).toBe(1);
    expectNoMoney('checkout', outcome);

    const list = await json<{ items: { id: string }[] }>(await call('/v1/orders', { token: blind }));
    expect(list.items.map((o) => o.id)).toContain(outcome.orderId);
    expectNoMoney('orders', list);
    const detail = await json<{ lines: { sku: string; quantity: number }[] }>(
      await call(`/v1/orders/${outcome.orderId}`, { token: blind }),
    );
    expect(detail.lines).toEqual([expect.objectContaining({ sku, quantity: 2 })]);
    expectNoMoney('order', detail);

    // the same order, for someone who may see prices, does carry them
    const admin = await loginAs('admin@acme.example');
    const full = await json<{ totalMinor: number }>(
      await call(`/v1/orders/${outcome.orderId}`, { token: admin }),
    );
    expect(full.totalMinor).toBeGreaterThan(0);
  });

  it('approvals work without amounts, and a budget refusal does not tell the amount', async () => {
    const admin = await loginAs('admin@acme.example');
    const blind = await loginAs('blind@acme.example');
    const approver = await loginAs('blind.approver@acme.example');
    const policy = await json<{ id: string }>(
      await call('/v1/company/approval-policies', {
        method: 'POST',
        token: admin,
        body: {
          name: 'Blind check',
          kind: 'amount',
          thresholdMinor: 1,
          steps: [{ userIds: ['usr_acme_blind_appr'], required: 1 }],
        },
      }),
    );
    const cart = await cartWithLine(blind, 'Needs approval');
    const pending = await checkout(blind, cart.id, 'blind-approval');
    const outcome = await json<{ orderId: string; status: string; approvalSteps: { reason: string }[] }>(
      pending,
    );
    expect(outcome.status).toBe('pending_approval');
    expect(outcome.approvalSteps[0]?.reason).toMatch(/^Order above/);
    expectNoMoney('pending checkout', outcome);
    const approvals = await json<{ items: { orderId: string }[] }>(
      await call('/v1/approvals', { token: approver }),
    );
    expect(approvals.items.map((a) => a.orderId)).toContain(outcome.orderId);
    expectNoMoney('approvals', approvals);
    const decided = await call(`/v1/approvals/${outcome.orderId}/approve`, {
      method: 'POST',
      token: approver,
      body: {},
    });
    expect(decided.status).toBe(200);
    expectNoMoney('decision', await json(decided));
    await call(`/v1/company/approval-policies/${policy.id}`, { method: 'DELETE', token: admin });

    const budget = await json<{ id: string }>(
      await call('/v1/company/budgets', {
        method: 'POST',
        token: admin,
        body: {
          costCenterId: 'cc_acme_maint',
          period: 'month',
          amountMinor: 1,
          currency: 'EUR',
          onExceed: 'refuse',
        },
      }),
    );
    const overBudget = await cartWithLine(blind, 'Over budget');
    const preview = await json<{ budget: Record<string, unknown>; outcome: string; refusal: string }>(
      await call(`/v1/carts/${overBudget.id}/checkout?costCenterId=cc_acme_maint`, { token: blind }),
    );
    expect(preview).toMatchObject({
      outcome: 'refused',
      budget: { budgetId: budget.id, onExceed: 'refuse' },
    });
    expectNoMoney('budget preview', preview);
    const refused = await expectProblem(
      await checkout(blind, overBudget.id, 'blind-budget', { costCenterId: 'cc_acme_maint' }),
      422,
    );
    expect(refused.detail).toMatch(/budget/);
    expectNoMoney('budget refusal', refused);
    // with prices.view the same refusal names the amount left
    const buyer = await loginAs('buyer@acme.example');
    const seen = await cartWithLine(buyer, 'Over budget, seen');
    const told = await expectProblem(
      await checkout(buyer, seen.id, 'buyer-budget', { costCenterId: 'cc_acme_maint' }),
      422,
    );
    expect(told.detail).toMatch(/0\.01/);
    await call(`/v1/company/budgets/${budget.id}`, { method: 'DELETE', token: admin });
  });
});

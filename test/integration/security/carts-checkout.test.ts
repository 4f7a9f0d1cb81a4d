import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from '../harness';
import { buildFor, first } from '../pricing-helpers';

/**
 * Carts, checkout and approvals under pressure from their own users: one person counted twice, a colleague
 * disposing of someone else's cart, lines lost to a running checkout, a reused Idempotency-Key, limits
 * walked around, permissions borrowed from a neighbouring route.
 */
let sku = '';

beforeAll(async () => {
  await buildFor('co_acme');
  // orderable, visible, no quantity rules, no contract price, between 5 and 50 EUR, in stock
  const row = await first<{ sku: string; amount_minor: number }>(
    `SELECT p.sku, l.amount_minor FROM products p JOIN list_prices l ON l.sku = p.sku AND l.price_list_id = 'pl_eur'
     WHERE p.status = 'active' AND p.min_order_qty = 1 AND p.order_multiple = 1 AND l.amount_minor BETWEEN 500 AND 5000
     AND p.category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%'
     AND p.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable')
     AND p.sku NOT IN (SELECT target FROM price_rules WHERE target_type = 'sku')
     AND (SELECT sum(on_hand) FROM stock s WHERE s.sku = p.sku) > 1000
     ORDER BY p.sku LIMIT 1`,
  );
  sku = row.sku;
});

const savedCart = async (token: string, name: string, quantity = 1, shared = false) => {
  const cart = await json<{ id: string }>(
    await call('/v1/carts', { method: 'POST', token, body: { name, shared } }),
  );
  const added = await call(`/v1/carts/${cart.id}/lines`, {
    method: 'POST',
    token,
    body: { lines: [{ sku, quantity }] },
  });
  if (added.status !== 200) throw new Error(`add lines: ${added.status} ${await added.text()}`);
  return cart.id;
};

const checkout = (token: string, cartId: string, key: string, body: Record<string, unknown> = {}) =>
  call(`/v1/carts/${cartId}/checkout`, { method: 'POST', token, body, headers: { 'idempotency-key': key } });

/** A new active user of Acme with the given roles (through the company API), signed in. */
const newUser = async (email: string, roleIds: string[]) => {
  const admin = await loginAs('admin@acme.example');
  const created = await call('/v1/company/users', {
    method: 'POST',
    token: admin,
    body: { email, name: email.split('@')[0], password: 'demo1234-long-enough', roleIds },
  });
  if (created.status !== 201) throw new Error(`new user: ${created.status} ${await created.text()}`);
  const login = await call('/v1/auth/login', {
    method: 'POST',
    body: { email, password: 'demo1234-long-enough' },
  });
  return {
    id: (await json<{ id: string }>(created)).id,
    token: (await json<{ accessToken: string }>(login)).accessToken,
  };
};

const decide = (token: string, orderId: string, verdict: 'approve' | 'reject') =>
  call(`/v1/approvals/${orderId}/${verdict}`, { method: 'POST', token, body: {} });

const orderStatus = async (orderId: string) =>
  (await first<{ status: string }>('SELECT status FROM orders WHERE id = ?', orderId)).status;

describe('approvals count people, not clicks', () => {
  it('one person cannot fill two places of a step, once as themself and once as a substitute', async () => {
    const admin = await loginAs('admin@acme.example');
    const approver = await loginAs('approver@acme.example');
    const finance = await loginAs('finance@acme.example');
    const policy = await json<{ id: string }>(
      await call('/v1/company/approval-policies', {
        method: 'POST',
        token: admin,
        body: {
          name: 'Two people',
          kind: 'amount',
          thresholdMinor: 100,
          steps: [{ userIds: ['usr_acme_approver', 'usr_acme_finance'], required: 2 }],
        },
      }),
    );
    const now = Date.now();
    const delegated = await call('/v1/delegations', {
      method: 'POST',
      token: finance,
      body: {
        substituteUserId: 'usr_acme_approver',
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
      },
    });
    expect(delegated.status).toBe(201);
    const buyer = await loginAs('buyer@acme.example');
    const placed = await json<{ status: string; orderId: string }>(
      await checkout(buyer, await savedCart(buyer, 'Two people'), 'two-people-1'),
    );
    expect(placed.status).toBe('pending_approval');

    expect((await decide(approver, placed.orderId, 'approve')).status).toBe(200);
    // the same person again, now as finance's substitute: still one person
    const again = await expectProblem(await decide(approver, placed.orderId, 'approve'), 409);
    expect(again.detail).toMatch(/already decided/);
    expect(await orderStatus(placed.orderId)).toBe('pending_approval');
    const listed = await json<{ items: { orderId: string }[] }>(
      await call('/v1/approvals', { token: approver }),
    );
    expect(listed.items.map((a) => a.orderId)).not.toContain(placed.orderId);

    // the second person completes the step
    expect((await decide(finance, placed.orderId, 'approve')).status).toBe(200);
    expect(await orderStatus(placed.orderId)).toBe('placed');
    await call(`/v1/company/approval-policies/${policy.id}`, { method: 'DELETE', token: admin });
  });
});

describe('one ownership rule for disposing of a cart', () => {
  it('a colleague fills a shared cart but cannot delete it or check it out; they copy it; an admin may', async () => {
    const owner = await loginAs('buyer@acme.example');
    const colleague = await newUser('buyer2@acme.example', ['role_builtin_buyer']);
    const cartId = await savedCart(owner, 'Shared site order', 2, true);

    const more = await call(`/v1/carts/${cartId}/lines`, {
      method: 'POST',
      token: colleague.token,
      body: { lines: [{ sku, quantity: 1 }] },
    });
    expect(more.status).toBe(200);
    const refusedCheckout = await expectProblem(await checkout(colleague.token, cartId, 'not-mine-1'), 403);
    expect(refusedCheckout.detail).toMatch(/owner/);
    await expectProblem(await call(`/v1/carts/${cartId}`, { method: 'DELETE', token: colleague.token }), 403);
    await expectProblem(
      await call(`/v1/carts/${cartId}`, { method: 'PATCH', token: colleague.token, body: { shared: false } }),
      403,
    );
    const intact = await json<{ lines: { quantity: number }[] }>(
      await call(`/v1/carts/${cartId}`, { token: owner }),
    );
    expect(intact.lines.map((l) => l.quantity)).toEqual([3]);

    // the colleague's way: copy it, and order the copy
    const copy = await json<{ id: string }>(
      await call('/v1/carts', {
        method: 'POST',
        token: colleague.token,
        body: { name: 'My copy', copyFrom: cartId },
      }),
    );
    expect((await checkout(colleague.token, copy.id, 'my-copy-1')).status).toBe(201);

    // a company admin may check out (or delete) anyone's shared cart
    const admin = await loginAs('admin@acme.example');
    expect((await checkout(admin, cartId, 'admin-takes-it-1')).status).toBe(201);
  });
});

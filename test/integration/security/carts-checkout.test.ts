import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FaultPoint, setFaultHook } from '../../../src/durable/faults';
import { call, createUser, expectProblem, json, loginAs } from '../harness';
import { all, buildFor, first, plainAcmeProduct } from '../pricing-helpers';

/**
 * Carts, checkout and approvals under pressure from their own users: one person counted twice, a colleague
 * disposing of someone else's cart, lines lost to a running checkout, a reused Idempotency-Key, limits
 * walked around, permissions borrowed from a neighbouring route.
 */
let sku = '';

beforeAll(async () => {
  await buildFor('co_acme');
  // orderable, visible, no quantity rules, no contract price, between 5 and 50 EUR, in stock
  const row = await plainAcmeProduct(1000);
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

/** A new active user of Acme with the given roles (invited through the company API, joined), signed in. */
const newUser = async (email: string, roleIds: string[]) => {
  const admin = await loginAs('admin@acme.example');
  const id = await createUser(admin, { email, name: email.split('@')[0] ?? email, roleIds }, PASSWORD);
  const login = await call('/v1/auth/login', { method: 'POST', body: { email, password: PASSWORD } });
  if (login.status !== 200) throw new Error(`login ${email}: ${login.status} ${await login.text()}`);
  return { id, token: (await json<{ accessToken: string }>(login)).accessToken };
};
const PASSWORD = 'demo1234-long-enough';

/** Runs `action` at `point` of the checkout under `key` (and nowhere else), inside Acme's object. */
const atFaultPoint = (key: string, point: FaultPoint, action: () => unknown) =>
  runInDurableObject(env.ORGANIZATION.getByName('co_acme'), () =>
    setFaultHook((reached, at) => (reached === point && at.idempotencyKey === key ? action() : undefined)),
  );
const clearFaults = () => runInDurableObject(env.ORGANIZATION.getByName('co_acme'), () => setFaultHook(null));

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

describe('nothing a user was told was saved vanishes in a checkout', () => {
  it('while a checkout holds the cart, every write to it is refused with cart_locked', async () => {
    const buyer = await loginAs('buyer@acme.example');
    const cartId = await savedCart(buyer, 'Held open', 2);
    const { cart: line } = await (async () => {
      const cart = await json<{ lines: { id: string }[] }>(
        await call(`/v1/carts/${cartId}`, { token: buyer }),
      );
      return { cart: cart.lines[0]?.id ?? '' };
    })();
    // the writes are made while the checkout is held at the fault point, from inside the object (a promise
    // settled across two request contexts would tie the test's responses to the object's context)
    const answers: { status: number; code: string; detail: string }[] = [];
    await atFaultPoint('held-open-1', 'checkout.decided', async () => {
      const writes = await Promise.all([
        call(`/v1/carts/${cartId}/lines`, {
          method: 'POST',
          token: buyer,
          body: { lines: [{ sku, quantity: 5 }] },
        }),
        call(`/v1/carts/${cartId}/lines/${line}`, { method: 'PATCH', token: buyer, body: { quantity: 9 } }),
        call(`/v1/carts/${cartId}/lines/${line}`, { method: 'DELETE', token: buyer }),
        call(`/v1/carts/${cartId}`, { method: 'PATCH', token: buyer, body: { name: 'Renamed' } }),
        call(`/v1/carts/${cartId}`, { method: 'DELETE', token: buyer }),
      ]);
      for (const res of writes)
        answers.push({ status: res.status, ...(await json<{ code: string; detail: string }>(res)) });
    });
    const placed = await checkout(buyer, cartId, 'held-open-1');
    await clearFaults();
    expect(answers).toHaveLength(5);
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 409, code: 'cart_locked' });
      expect(answer.detail).toMatch(/being checked out/);
    }
    expect(placed.status).toBe(201);
    const { orderId } = await json<{ orderId: string }>(placed);
    const order = await json<{ lines: { sku: string; quantity: number }[] }>(
      await call(`/v1/orders/${orderId}`, { token: buyer }),
    );
    expect(order.lines.map((l) => [l.sku, l.quantity])).toEqual([[sku, 2]]);
  });

  it('a cart changed after its checkout was priced is kept, not consumed', async () => {
    const buyer = await loginAs('buyer@acme.example');
    const cartId = await savedCart(buyer, 'Changed after pricing', 2);
    // the checkout crashes once its order is written, before the object's bookkeeping
    await atFaultPoint('changed-1', 'checkout.order-written', () => {
      throw new Error('injected failure after the order write');
    });
    expect((await checkout(buyer, cartId, 'changed-1')).status).toBe(500);
    await clearFaults();
    // nothing runs now, so the cart takes a line, acknowledged with a new version
    const added = await call(`/v1/carts/${cartId}/lines`, {
      method: 'POST',
      token: buyer,
      body: { lines: [{ sku, quantity: 5 }] },
    });
    expect(added.status).toBe(200);
    // the retry finds the order written at the priced version: the order stands, the cart with the new line stays
    const retried = await checkout(buyer, cartId, 'changed-1');
    expect(retried.status).toBe(201);
    const cart = await call(`/v1/carts/${cartId}`, { token: buyer });
    expect(cart.status).toBe(200);
    expect((await json<{ lines: { quantity: number }[] }>(cart)).lines.map((l) => l.quantity)).toEqual([7]);
  });
});

describe('an Idempotency-Key names one request', () => {
  it('the same key with another cart, user or body is refused with idempotency_key_reused', async () => {
    const buyer = await loginAs('buyer@acme.example');
    const cartId = await savedCart(buyer, 'Keyed');
    const body = { poNumber: 'PO-1', reference: 'Site A' };
    const first = await checkout(buyer, cartId, 'keyed-1', body);
    expect(first.status).toBe(201);
    const { orderId } = await json<{ orderId: string }>(first);

    const reused = [
      await checkout(buyer, cartId, 'keyed-1', { ...body, poNumber: 'PO-2' }),
      await checkout(buyer, cartId, 'keyed-1', { poNumber: 'PO-1' }),
      await checkout(buyer, cartId, 'keyed-1', { ...body, costCenterId: 'cc_acme_it' }),
      await checkout(buyer, await savedCart(buyer, 'Other cart'), 'keyed-1', body),
    ];
    const admin = await loginAs('admin@acme.example');
    reused.push(await checkout(admin, await savedCart(admin, 'Admin cart'), 'keyed-1', body));
    for (const res of reused) {
      const problem = await expectProblem(res, 422);
      expect(problem.code).toBe('idempotency_key_reused');
    }
    // the same request again: the same order, still one
    const again = await checkout(buyer, cartId, 'keyed-1', { reference: 'Site A', poNumber: 'PO-1' });
    expect(again.status).toBe(201);
    expect((await json<{ orderId: string }>(again)).orderId).toBe(orderId);
  });
});

describe('a required cost center cannot be left out', () => {
  it('the company setting decides: when budgeted (default), always, never; checkout and preview agree', async () => {
    const admin = await loginAs('admin@acme.example');
    const buyer = await loginAs('buyer@acme.example');
    const settings = '/v1/company/budget-settings';
    const setRule = (costCenterRequired: string, token = admin) =>
      call(settings, { method: 'PATCH', token, body: { costCenterRequired } });
    expect(await json(await call(settings, { token: admin }))).toEqual({
      costCenterRequired: 'when_budgeted',
    });
    const noCenter = { costCenterId: null };

    // no active budget yet: a checkout without a cost center passes
    expect((await checkout(buyer, await savedCart(buyer, 'No budget yet'), 'cc-1', noCenter)).status).toBe(
      201,
    );

    const budget = await json<{ id: string }>(
      await call('/v1/company/budgets', {
        method: 'POST',
        token: admin,
        body: { costCenterId: 'cc_acme_it', period: 'year', amountMinor: 100_000_000, currency: 'EUR' },
      }),
    );
    const cartId = await savedCart(buyer, 'Budgeted company');
    const refused = await expectProblem(await checkout(buyer, cartId, 'cc-2', noCenter), 422);
    expect(refused.errors?.map((e) => e.path)).toEqual(['costCenterId']);
    const preview = await json<{ outcome: string; problems: { path: string }[] }>(
      await call(`/v1/carts/${cartId}/checkout`, { token: buyer }),
    );
    expect(preview.outcome).toBe('blocked');
    expect(preview.problems.map((p) => p.path)).toContain('costCenterId');
    expect((await checkout(buyer, cartId, 'cc-3', { costCenterId: 'cc_acme_it' })).status).toBe(201);

    await expectProblem(await setRule('never', buyer), 403);
    expect(await json(await setRule('never'))).toEqual({ costCenterRequired: 'never' });
    expect((await checkout(buyer, await savedCart(buyer, 'Never'), 'cc-4', noCenter)).status).toBe(201);

    // always: even without any budget
    await call(`/v1/company/budgets/${budget.id}`, { method: 'DELETE', token: admin });
    expect((await setRule('always')).status).toBe(200);
    await expectProblem(await checkout(buyer, await savedCart(buyer, 'Always'), 'cc-5', noCenter), 422);
    const audit = await first<{ n: number }>(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'budget_settings.update' AND company_id = 'co_acme'",
    );
    expect(audit.n).toBe(2);
    await expectProblem(await setRule('sometimes'), 400);
    expect((await setRule('when_budgeted')).status).toBe(200);
  });
});

describe('a period spending cap cannot be split around', () => {
  it('racing orders over the cap wait for approval; cancelled ones give their share back', async () => {
    const capped = await newUser('capped@acme.example', ['role_builtin_buyer']);
    const priceOf = async (quantity: number) => {
      const cartId = await savedCart(capped.token, `Probe ${quantity}`, quantity);
      const preview = await json<{ totalMinor: number }>(
        await call(`/v1/carts/${cartId}/checkout`, { token: capped.token }),
      );
      await call(`/v1/carts/${cartId}`, { method: 'DELETE', token: capped.token });
      return preview.totalMinor;
    };
    const [one, two] = [await priceOf(1), await priceOf(2)];
    const cap = two + one;
    const capSet = await call(`/v1/company/users/${capped.id}`, {
      method: 'PATCH',
      token: await loginAs('admin@acme.example'),
      body: { periodLimitMinor: cap, periodLimitPeriod: 'month' },
    });
    expect(capSet.status).toBe(200);

    const carts = await Promise.all([0, 1, 2].map((i) => savedCart(capped.token, `Split ${i}`, 2)));
    const preview = await json<{ periodLimit: { limitMinor: number; remainingMinor: number } | null }>(
      await call(`/v1/carts/${carts[0]}/checkout`, { token: capped.token }),
    );
    expect(preview.periodLimit).toMatchObject({ limitMinor: cap, remainingMinor: cap });
    const outcomes = await Promise.all(
      carts.map(async (id, i) =>
        json<{ status: string; orderId: string; approvalSteps: { key: string }[] }>(
          await checkout(capped.token, id, `split-${i}`),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'placed')).toHaveLength(1);
    const waiting = outcomes.filter((o) => o.status === 'pending_approval');
    expect(waiting).toHaveLength(2);
    for (const o of waiting) expect(o.approvalSteps.map((s) => s.key)).toEqual(['period-limit']);

    // withdrawn orders no longer count: what is left fits exactly (the cap is not exceeded)
    for (const o of waiting) {
      const cancelled = await call(`/v1/orders/${o.orderId}/cancel`, {
        method: 'POST',
        token: capped.token,
        body: {},
      });
      expect(cancelled.status).toBe(204);
    }
    const last = await json<{ status: string }>(
      await checkout(capped.token, await savedCart(capped.token, 'Fits', 1), 'split-last'),
    );
    expect(last.status).toBe('placed');
    const counted = await all<{ status: string }>(
      "SELECT status FROM orders WHERE placed_by = ? AND status IN ('placed', 'pending_approval')",
      capped.id,
    );
    expect(counted).toHaveLength(2);
  });
});

describe('an attempt dropped by recovery holds again when retried', () => {
  it('the retried key is charged to the budget again, so the budget is not overspent', async () => {
    const admin = await loginAs('admin@acme.example');
    const buyer = await loginAs('buyer@acme.example');
    const probe = await savedCart(buyer, 'Budget probe');
    const one = (
      await json<{ totalMinor: number }>(
        await call(`/v1/carts/${probe}/checkout?costCenterId=cc_acme_maint`, { token: buyer }),
      )
    ).totalMinor;
    // room for exactly one such order
    const budget = await json<{ id: string }>(
      await call('/v1/company/budgets', {
        method: 'POST',
        token: admin,
        body: {
          costCenterId: 'cc_acme_maint',
          period: 'month',
          amountMinor: one,
          currency: 'EUR',
          onExceed: 'refuse',
        },
      }),
    );
    const charged = { costCenterId: 'cc_acme_maint' };
    const cartId = await savedCart(buyer, 'Dropped then retried');
    await atFaultPoint('reheld-1', 'checkout.decided', () => {
      throw new Error('injected failure after the decision');
    });
    expect((await checkout(buyer, cartId, 'reheld-1', charged)).status).toBe(500);
    await clearFaults();
    // another key recovers the interrupted one (no order: dropped, its budget share given back), then fails itself
    await expectProblem(await checkout(buyer, cartId, 'reheld-2', { costCenterId: 'cc_nope' }), 422);
    // the first key again: a fresh attempt for the same order id, which must take its share again
    expect((await checkout(buyer, cartId, 'reheld-1', charged)).status).toBe(201);
    const refused = await expectProblem(await checkout(buyer, probe, 'reheld-3', charged), 422);
    expect(refused.detail).toMatch(/remaining budget/);
    await call(`/v1/company/budgets/${budget.id}`, { method: 'DELETE', token: admin });
  });
});

describe('each cart and checkout route states its own permission', () => {
  it('order.place without cart.manage checks out but cannot touch carts; cart.manage alone cannot check out', async () => {
    const admin = await loginAs('admin@acme.example');
    const role = async (key: string, permissions: string[]) =>
      (
        await json<{ id: string }>(
          await call('/v1/company/roles', {
            method: 'POST',
            token: admin,
            body: { key, name: key, permissions: ['catalog.view', 'prices.view', ...permissions] },
          }),
        )
      ).id;
    const placer = await role('placer', ['order.place']);
    const filler = await role('filler', ['cart.manage']);
    const both = await role('filler_placer', ['cart.manage', 'order.place']);

    // a user fills a cart, then keeps only the right to place orders
    const user = await newUser('placer@acme.example', [both]);
    const cartId = await savedCart(user.token, 'Filled before');
    const patched = await call(`/v1/company/users/${user.id}`, {
      method: 'PATCH',
      token: admin,
      body: { roleIds: [placer] },
    });
    expect(patched.status).toBe(200);
    expect((await call(`/v1/carts/${cartId}/checkout`, { token: user.token })).status).toBe(200);
    const writes = [
      call('/v1/carts', { token: user.token }),
      call('/v1/carts', { method: 'POST', token: user.token, body: { name: 'New' } }),
      call(`/v1/carts/${cartId}`, { token: user.token }),
      call(`/v1/carts/${cartId}/lines`, {
        method: 'POST',
        token: user.token,
        body: { lines: [{ sku, quantity: 1 }] },
      }),
      call(`/v1/carts/${cartId}`, { method: 'DELETE', token: user.token }),
    ];
    for (const res of await Promise.all(writes)) await expectProblem(res, 403);
    expect((await checkout(user.token, cartId, 'placer-1')).status).toBe(201);

    // the reverse: carts, but no orders
    const other = await newUser('filler@acme.example', [filler]);
    const own = await savedCart(other.token, 'Mine to fill');
    expect((await call(`/v1/carts/${own}`, { token: other.token })).status).toBe(200);
    await expectProblem(await call(`/v1/carts/${own}/checkout`, { token: other.token }), 403);
    await expectProblem(await checkout(other.token, own, 'filler-1'), 403);
  });
});

import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';
import { all, buildFor, first, plainAcmeProduct } from './pricing-helpers';
import { seedRep } from './rep-helpers';

interface PricedCart {
  id: string;
  ownerId: string;
  name: string | null;
  preparedBy?: string | null;
  lines: { sku: string; quantity: number; note: string | null }[];
  totals: { totalMinor: number };
}
interface Outcome {
  status: 'placed' | 'pending_approval';
  orderId: string;
}

const ACME = { 'x-company-id': 'co_acme' };
let sku: string;
let rep: string;
let buyer: string;
let admin: string;
let seq = 0;
const unique = (what: string) => `${what}-${Date.now().toString(36)}-${++seq}`;

const asRep = (path: string, body?: unknown, headers: Record<string, string> = {}, token = rep) =>
  call(path, {
    method: body === undefined ? 'GET' : 'POST',
    token,
    body,
    headers: { ...ACME, ...headers },
  });

async function prepare(name: string, forUserId = 'usr_acme_buyer'): Promise<PricedCart> {
  const res = await asRep('/v1/rep/carts', {
    forUserId,
    name,
    lines: [{ sku, quantity: 2, note: 'as discussed' }],
  });
  if (res.status !== 201) throw new Error(`prepare: ${res.status} ${await res.text()}`);
  return json<PricedCart>(res);
}

const setRepSettings = async (settings: { repMayPlaceOrders?: boolean; repSeesCarts?: boolean }) => {
  const res = await call('/v1/company/rep-settings', { method: 'PATCH', token: admin, body: settings });
  expect(res.status).toBe(200);
  return json<{ repMayPlaceOrders: boolean; repSeesCarts: boolean }>(res);
};

const orderRow = (id: string) =>
  first<{ channel: string; channel_ref: string | null; placed_by: string; status: string }>(
    'SELECT channel, channel_ref, placed_by, status FROM orders WHERE id = ?',
    id,
  );

beforeAll(async () => {
  await buildFor('co_acme');
  sku = (await plainAcmeProduct()).sku;
  await seedRep('usr_rep_other', 'other-rep@supplier.example');
  [rep, buyer, admin] = await Promise.all([
    loginAs('rep@supplier.example'),
    loginAs('buyer@acme.example'),
    loginAs('admin@acme.example'),
  ]);
});

describe('prepared carts', () => {
  it('prepares a cart the buyer sees as theirs, with preparedBy, audited as the rep for the buyer', async () => {
    const cart = await prepare('Restock as discussed');
    expect(cart).toMatchObject({
      ownerId: 'usr_acme_buyer',
      preparedBy: 'usr_rep',
      name: 'Restock as discussed',
    });
    expect(cart.lines).toMatchObject([{ sku, quantity: 2, note: 'as discussed' }]);
    const mine = await json<{ items: { id: string; preparedBy?: string | null }[] }>(
      await call('/v1/carts', { token: buyer }),
    );
    expect(mine.items.find((c) => c.id === cart.id)?.preparedBy).toBe('usr_rep');
    const seen = await json<PricedCart>(await call(`/v1/carts/${cart.id}`, { token: buyer }));
    expect(seen.preparedBy).toBe('usr_rep');
    const audit = await first<{ actor_id: string; acting_for_id: string; summary: string }>(
      "SELECT actor_id, acting_for_id, summary FROM audit_log WHERE action = 'rep.cart_prepare' AND target_id = ?",
      cart.id,
    );
    expect(audit).toMatchObject({ actor_id: 'usr_rep', acting_for_id: 'usr_acme_buyer' });
    expect(audit.summary).toContain('Rep for buyer');
  });

  it('keeps a summary of the open carts in D1, written by the company object’s alarm', async () => {
    const cart = await prepare('Summed');
    expect(await runDurableObjectAlarm(env.ORGANIZATION.getByName('co_acme'))).toBe(true);
    const open = await all<{ id: string }>(
      "SELECT company_id AS id FROM company_cart_stats WHERE company_id = 'co_acme'",
    );
    expect(open).toHaveLength(1);
    const page = await json<{
      items: { id: string; openCarts: { count: number; valueMinor: number; oldestAt: number } }[];
    }>(await call('/v1/rep/accounts?q=Acme%20Industrie', { token: rep }));
    const acme = page.items.find((a) => a.id === 'co_acme');
    // this file's carts with lines so far: the first prepared cart and this one, same lines
    expect(acme?.openCarts.count).toBe(2);
    expect(acme?.openCarts.valueMinor).toBe(2 * cart.totals.totalMinor);
  });

  it('refuses a buyer who is not an active user of the company with order.place (422 forUserId)', async () => {
    for (const forUserId of ['usr_globex_buyer', 'usr_acme_approver', 'usr_nobody']) {
      const res = await asRep('/v1/rep/carts', { forUserId, name: 'x', lines: [{ sku, quantity: 1 }] });
      const problem = await expectProblem(res, 422);
      expect(problem.errors?.map((e) => e.path)).toEqual(['forUserId']);
    }
  });

  it('sends the prepared cart to the buyer through the notifications outbox', async () => {
    const cart = await prepare('To review');
    const res = await asRep(`/v1/rep/carts/${cart.id}/send`, {});
    expect(res.status).toBe(202);
    const sent = await json<{ eventId: string; sentTo: { id: string } }>(res);
    expect(sent.sentTo.id).toBe('usr_acme_buyer');
    const row = await first<{ topic: string; payload: string }>(
      'SELECT topic, payload FROM outbox WHERE id = ?',
      sent.eventId,
    );
    expect(row.topic).toBe('notification');
    expect(JSON.parse(row.payload)).toMatchObject({
      event: 'cart.prepared_by_rep',
      companyId: 'co_acme',
      payload: { cartId: cart.id, to: { userId: 'usr_acme_buyer' }, preparedBy: 'usr_rep' },
    });
    // a cart the buyer made themselves is not the rep's to send
    const own = await json<{ id: string }>(
      await call('/v1/carts', { method: 'POST', token: buyer, body: { name: 'Mine' } }),
    );
    await expectProblem(await asRep(`/v1/rep/carts/${own.id}/send`, {}), 409);
  });

  it('is ordered by the buyer with channel rep_assisted', async () => {
    const cart = await prepare('Buyer orders it');
    const res = await call(`/v1/carts/${cart.id}/checkout`, {
      method: 'POST',
      token: buyer,
      body: {},
      headers: { 'idempotency-key': unique('buyer') },
    });
    expect(res.status).toBe(201);
    const { orderId } = await json<Outcome>(res);
    expect(await orderRow(orderId)).toMatchObject({
      channel: 'rep_assisted',
      channel_ref: 'usr_rep',
      placed_by: 'usr_acme_buyer',
    });
  });
});

describe('orders the rep places', () => {
  it('checks a prepared cart out only when the company allows it, as the buyer, audited', async () => {
    const cart = await prepare('Rep places it');
    const key = unique('rep');
    const refused = await expectProblem(
      await asRep(`/v1/rep/carts/${cart.id}/checkout`, {}, { 'idempotency-key': key }),
      403,
    );
    expect(refused.detail).toContain('repMayPlaceOrders');
    // the rep cannot change the company's settings; its administrator can, and it is audited
    await expectProblem(
      await call('/v1/company/rep-settings', {
        method: 'PATCH',
        token: rep,
        body: { repMayPlaceOrders: true },
        headers: ACME,
      }),
      403,
    );
    expect(await setRepSettings({ repMayPlaceOrders: true })).toEqual({
      repMayPlaceOrders: true,
      repSeesCarts: false,
    });
    const audit = await first<{ summary: string; actor_id: string }>(
      "SELECT summary, actor_id FROM audit_log WHERE action = 'rep_settings.update' ORDER BY at DESC LIMIT 1",
    );
    expect(audit).toMatchObject({
      actor_id: 'usr_acme_admin',
      summary: expect.stringContaining('repMayPlaceOrders: false → true'),
    });

    const res = await asRep(`/v1/rep/carts/${cart.id}/checkout`, {}, { 'idempotency-key': key });
    expect(res.status).toBe(201);
    const outcome = await json<Outcome>(res);
    expect(await orderRow(outcome.orderId)).toMatchObject({
      channel: 'rep_assisted',
      channel_ref: 'usr_rep',
      placed_by: 'usr_acme_buyer',
    });
    const again = await asRep(`/v1/rep/carts/${cart.id}/checkout`, {}, { 'idempotency-key': key });
    expect((await json<Outcome>(again)).orderId).toBe(outcome.orderId);
    const rows = await all<{ actor_id: string; acting_for_id: string; summary: string }>(
      "SELECT actor_id, acting_for_id, summary FROM audit_log WHERE action = 'rep.order_place_for_buyer' AND target_id = ?",
      outcome.orderId,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: 'usr_rep', acting_for_id: 'usr_acme_buyer' });
    expect(rows[0]?.summary).toContain('Rep for buyer');
    await setRepSettings({ repMayPlaceOrders: false });
  });

  it('enters a phone order with channel rep_entered, once per key, only when allowed', async () => {
    const body = {
      forUserId: 'usr_acme_buyer',
      source: 'phone',
      lines: [{ sku, quantity: 3 }],
      note: 'called at 9',
    };
    const key = unique('phone');
    await expectProblem(await asRep('/v1/rep/orders', body, { 'idempotency-key': key }), 403);
    await setRepSettings({ repMayPlaceOrders: true });
    await expectProblem(await asRep('/v1/rep/orders', body), 400);
    const res = await asRep('/v1/rep/orders', body, { 'idempotency-key': key });
    expect(res.status).toBe(201);
    const outcome = await json<Outcome>(res);
    expect(await orderRow(outcome.orderId)).toMatchObject({
      channel: 'rep_entered',
      channel_ref: 'phone:usr_rep',
      placed_by: 'usr_acme_buyer',
    });
    const again = await json<Outcome>(await asRep('/v1/rep/orders', body, { 'idempotency-key': key }));
    expect(again.orderId).toBe(outcome.orderId);
    await expectProblem(
      await asRep('/v1/rep/orders', { ...body, lines: [{ sku, quantity: 4 }] }, { 'idempotency-key': key }),
      422,
    );
    const bad = await expectProblem(
      await asRep(
        '/v1/rep/orders',
        { ...body, forUserId: 'usr_globex_buyer' },
        { 'idempotency-key': unique('k') },
      ),
      422,
    );
    expect(bad.errors?.map((e) => e.path)).toEqual(['forUserId']);
    await setRepSettings({ repMayPlaceOrders: false });
  });
});

describe('reading the company’s carts', () => {
  it('is refused until the company shares its carts, then read only and priced', async () => {
    const cart = await prepare('Visible later');
    const refused = await expectProblem(await asRep('/v1/rep/carts?userId=usr_acme_buyer'), 403);
    expect(refused.detail).toContain('repSeesCarts');
    await expectProblem(await asRep(`/v1/rep/carts/${cart.id}`), 403);
    expect((await call('/v1/company/rep-settings', { token: rep, headers: ACME })).status).toBe(200);
    await setRepSettings({ repSeesCarts: true });
    const list = await json<{ items: { id: string; ownerId: string }[] }>(
      await asRep('/v1/rep/carts?userId=usr_acme_buyer'),
    );
    expect(list.items.map((c) => c.id)).toContain(cart.id);
    expect(list.items.every((c) => c.ownerId === 'usr_acme_buyer')).toBe(true);
    const one = await json<PricedCart>(await asRep(`/v1/rep/carts/${cart.id}`));
    expect(one.totals.totalMinor).toBe(cart.totals.totalMinor);
    await setRepSettings({ repSeesCarts: false });
    await expectProblem(await asRep(`/v1/rep/carts/${cart.id}`), 403);
  });
});

describe('who may use it', () => {
  it('answers 403 to a buyer on every rep route', async () => {
    const cart = await prepare('Buyer pokes');
    const tries: [string, unknown][] = [
      ['/v1/rep/accounts', undefined],
      ['/v1/rep/carts', undefined],
      [`/v1/rep/carts/${cart.id}`, undefined],
      ['/v1/rep/carts', { forUserId: 'usr_acme_buyer', name: 'x', lines: [{ sku, quantity: 1 }] }],
      [`/v1/rep/carts/${cart.id}/send`, {}],
      [`/v1/rep/carts/${cart.id}/checkout`, {}],
      ['/v1/rep/orders', { forUserId: 'usr_acme_buyer', source: 'phone', lines: [{ sku, quantity: 1 }] }],
    ];
    for (const [path, body] of tries) {
      await expectProblem(await asRep(path, body, { 'idempotency-key': unique('b') }, buyer), 403);
    }
  });

  it('answers 404 to the rep of other accounts on every company route, and lists nothing of the company', async () => {
    const other = await loginAs('other-rep@supplier.example');
    const cart = await prepare('Not yours');
    const tries: [string, unknown][] = [
      ['/v1/rep/carts', undefined],
      [`/v1/rep/carts/${cart.id}`, undefined],
      ['/v1/rep/carts', { forUserId: 'usr_acme_buyer', name: 'x', lines: [{ sku, quantity: 1 }] }],
      [`/v1/rep/carts/${cart.id}/send`, {}],
      [`/v1/rep/carts/${cart.id}/checkout`, {}],
      ['/v1/rep/orders', { forUserId: 'usr_acme_buyer', source: 'email', lines: [{ sku, quantity: 1 }] }],
      ['/v1/company/rep-settings', undefined],
    ];
    for (const [path, body] of tries) {
      await expectProblem(await asRep(path, body, { 'idempotency-key': unique('o') }, other), 404);
    }
    const page = await json<{ items: { id: string }[] }>(await call('/v1/rep/accounts', { token: other }));
    expect(page.items.map((a) => a.id)).not.toContain('co_acme');
  });
});

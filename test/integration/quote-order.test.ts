import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors';
import { setFaultHook } from '../../src/durable/faults';
import {
  placeQuotedOrder,
  type QuotedOrderRequest,
  type QuotedOrderResult,
} from '../../src/services/quotes/place-order';
import { call, json, loginAs } from './harness';
import { orderView } from './order-life-helpers';
import { all, buildFor } from './pricing-helpers';
import { type OurLine, ourLines } from './punchout-order-helpers';

/**
 * An accepted quote becomes one order at the quoted prices, through the company's object. The quote is a
 * snapshot built here (the service takes one; where quotes are stored does not matter to it).
 */
const NOW = Date.now();
const HOUR = 3_600_000;
let lines: OurLine[];
let seq = 0;
const deps = () => ({ organization: env.ORGANIZATION });

/** A quote of our two lines at 80 % of their index price (at least 1 cent off), valid for a day. */
function quote(over: Partial<QuotedOrderRequest> = {}): QuotedOrderRequest {
  const n = ++seq;
  return {
    companyId: 'co_acme',
    quoteId: `quo_test_${NOW.toString(36)}_${n}`,
    quoteNumber: `Q-2026-${String(n).padStart(4, '0')}`,
    version: 2,
    buyerId: 'usr_acme_buyer',
    currency: 'EUR',
    lines: lines.map((l, i) => ({
      lineNo: i + 1,
      sku: l.sku,
      quantity: l.quantity,
      unitPriceMinor: quoted(l),
    })),
    validUntil: NOW + 24 * HOUR,
    input: {},
    requestId: `req_quote_${n}`,
    now: NOW,
    ...over,
  };
}
const quoted = (l: OurLine) => Math.min(l.unitMinor - 1, Math.floor(l.unitMinor * 0.8));

interface OrderRow {
  id: string;
  status: string;
  channel: string;
  channel_ref: string | null;
  reference: string | null;
  total_minor: number;
  placed_by: string;
}
const ordersOfQuote = (quoteId: string) =>
  all<OrderRow>(
    'SELECT id, status, channel, channel_ref, reference, total_minor, placed_by FROM orders WHERE channel_ref = ?',
    quoteId,
  );
const linesOf = (orderId: string) =>
  all<{ sku: string; quantity: number; unit_minor: number; line_total_minor: number }>(
    'SELECT sku, quantity, unit_minor, line_total_minor FROM order_lines WHERE order_id = ? ORDER BY line_no',
    orderId,
  );

/** The AppError a call throws (the test fails when it does not throw one). */
async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  await buildFor('co_acme');
  lines = await ourLines([3, 5]);
});

describe('placeQuotedOrder', () => {
  it('places one order at the quoted prices, channel quote, the quote number as its reference', async () => {
    const q = quote();
    const placed = await placeQuotedOrder(deps(), q);
    const total = q.lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
    expect(placed).toEqual<QuotedOrderResult>({
      orderId: placed.orderId,
      status: 'placed',
      totalMinor: total,
      currency: 'EUR',
      lineCount: 2,
    });
    expect(await ordersOfQuote(q.quoteId)).toEqual([
      {
        id: placed.orderId,
        status: 'placed',
        channel: 'quote',
        channel_ref: q.quoteId,
        reference: q.quoteNumber,
        total_minor: total,
        placed_by: 'usr_acme_buyer',
      },
    ]);
    expect(await linesOf(placed.orderId)).toEqual(
      q.lines.map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        unit_minor: l.unitPriceMinor,
        line_total_minor: l.quantity * l.unitPriceMinor,
      })),
    );
    // the order reads like any other
    const view = await orderView(placed.orderId);
    expect(view.totalMinor).toBe(total);
    expect(view.lines.map((l) => [l.sku, l.unitMinor])).toEqual(
      q.lines.map((l) => [l.sku, l.unitPriceMinor]),
    );
  });

  it('the same accept again answers the same order; a reference the buyer gives is kept', async () => {
    const q = quote({ input: { reference: 'Site B roof', poNumber: 'PO-77' } });
    const a = await placeQuotedOrder(deps(), q);
    const b = await placeQuotedOrder(deps(), { ...q, requestId: 'req_again', now: NOW + 1000 });
    expect(b).toEqual(a);
    const rows = await ordersOfQuote(q.quoteId);
    expect(rows.map((r) => [r.id, r.reference])).toEqual([[a.orderId, 'Site B roof']]);
  });

  it('two accepts at once place one order and both answer it', async () => {
    const q = quote();
    const [a, b] = await Promise.all([
      placeQuotedOrder(deps(), q),
      placeQuotedOrder(deps(), { ...q, requestId: 'req_other' }),
    ]);
    expect(b.orderId).toBe(a.orderId);
    expect(await ordersOfQuote(q.quoteId)).toHaveLength(1);
  });

  it('an accept arriving while the first one checks out waits for it and answers its order', async () => {
    const q = quote();
    const acme = env.ORGANIZATION.getByName('co_acme');
    let second: Promise<unknown> | null = null;
    // the second accept arrives in the object at the moment the first one has decided, before its write
    await runInDurableObject(acme, (instance) =>
      setFaultHook((point, at) => {
        if (point !== 'checkout.decided' || at.idempotencyKey !== `quote:${q.quoteId}` || second) return;
        second = instance.placeQuote({ ...q, requestId: 'req_second' });
      }),
    );
    try {
      const placed = await placeQuotedOrder(deps(), q);
      expect(await second).toMatchObject({ ok: true, value: { orderId: placed.orderId } });
      expect(await ordersOfQuote(q.quoteId)).toHaveLength(1);
    } finally {
      await runInDurableObject(acme, () => setFaultHook(null));
    }
  });

  it('another version of a quote that already became an order is a conflict', async () => {
    const q = quote();
    const placed = await placeQuotedOrder(deps(), q);
    const first = q.lines[0];
    if (!first) throw new Error('no line');
    const other = { ...q, version: 3, lines: [{ ...first, unitPriceMinor: first.unitPriceMinor - 1 }] };
    const error = await refusal(placeQuotedOrder(deps(), other));
    expect(error.code).toBe('conflict');
    expect(await ordersOfQuote(q.quoteId)).toEqual([expect.objectContaining({ id: placed.orderId })]);
  });

  it('an expired quote places nothing; a quote placed before it expired still answers its order', async () => {
    const late = quote({ validUntil: NOW - 1 });
    const error = await refusal(placeQuotedOrder(deps(), late));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('valid until');
    expect(await ordersOfQuote(late.quoteId)).toEqual([]);

    const q = quote({ validUntil: NOW + HOUR });
    const placed = await placeQuotedOrder(deps(), q);
    const again = await placeQuotedOrder(deps(), { ...q, now: NOW + 2 * HOUR, requestId: 'req_late' });
    expect(again).toEqual(placed);
    expect(await ordersOfQuote(q.quoteId)).toHaveLength(1);
  });

  it('the quoted prices stay with the quote: the buyer’s own cart of the same SKUs pays the index price', async () => {
    const q = quote();
    await placeQuotedOrder(deps(), q);
    const token = await loginAs('buyer@acme.example');
    const carts = await json<{ items: { name: string | null }[] }>(await call('/v1/carts', { token }));
    expect(carts.items.map((c) => c.name)).not.toContain(`Quote ${q.quoteNumber}`);

    const cart = await json<{ id: string }>(
      await call('/v1/carts', { method: 'POST', token, body: { name: `After ${q.quoteNumber}` } }),
    );
    const added = await call(`/v1/carts/${cart.id}/lines`, {
      method: 'POST',
      token,
      body: { lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) },
    });
    const priced = await json<{ lines: { sku: string; unitMinor: number }[] }>(added);
    expect(priced.lines.map((l) => [l.sku, l.unitMinor])).toEqual(lines.map((l) => [l.sku, l.unitMinor]));
    const res = await call(`/v1/carts/${cart.id}/checkout`, {
      method: 'POST',
      token,
      body: {},
      headers: { 'idempotency-key': `after-${q.quoteId}` },
    });
    expect(res.status).toBe(201);
    const { orderId } = await json<{ orderId: string }>(res);
    expect((await linesOf(orderId)).map((l) => [l.sku, l.unit_minor])).toEqual(
      lines.map((l) => [l.sku, l.unitMinor]),
    );
  });

  it('checks out as the buyer: the company’s approval policy still applies', async () => {
    const admin = await loginAs('admin@acme.example');
    const created = await call('/v1/company/approval-policies', {
      method: 'POST',
      token: admin,
      body: {
        name: 'Every quote',
        kind: 'amount',
        thresholdMinor: 1,
        steps: [{ role: 'approver', required: 1 }],
      },
    });
    expect(created.status).toBe(201);
    const policy = await json<{ id: string }>(created);
    try {
      const q = quote();
      const placed = await placeQuotedOrder(deps(), q);
      expect(placed.status).toBe('pending_approval');
      expect((await ordersOfQuote(q.quoteId)).map((r) => r.status)).toEqual(['pending_approval']);
      const approver = await loginAs('approver@acme.example');
      const pending = await json<{ items: { orderId: string; totalMinor: number }[] }>(
        await call('/v1/approvals', { token: approver }),
      );
      expect(pending.items).toContainEqual(
        expect.objectContaining({ orderId: placed.orderId, totalMinor: placed.totalMinor }),
      );
    } finally {
      await call(`/v1/company/approval-policies/${policy.id}`, { method: 'DELETE', token: admin });
    }
  });

  it('refuses as checkout does: field paths for the checkout input, a currency the company does not order in', async () => {
    const q = quote({ input: { shipToSiteId: 'site_nowhere' } });
    const error = await refusal(placeQuotedOrder(deps(), q));
    expect(error.code).toBe('unprocessable');
    expect(error.issues.map((i) => i.path)).toEqual(['shipToSiteId']);

    const gbp = await refusal(placeQuotedOrder(deps(), quote({ currency: 'GBP' })));
    expect(gbp.code).toBe('unprocessable');
    expect(gbp.issues.map((i) => i.path)).toEqual(['currency']);

    const bad = await refusal(
      placeQuotedOrder(deps(), quote({ lines: [{ lineNo: 1, sku: 'X', quantity: 0, unitPriceMinor: -5 }] })),
    );
    expect(bad.issues.map((i) => i.path)).toEqual(['lines.0.quantity', 'lines.0.unitPriceMinor']);
    expect(await ordersOfQuote(q.quoteId)).toEqual([]);
    // a refused quote leaves no cart behind
    const token = await loginAs('buyer@acme.example');
    const carts = await json<{ items: { name: string | null }[] }>(await call('/v1/carts', { token }));
    expect(carts.items.map((c) => c.name)).not.toContain(`Quote ${q.quoteNumber}`);
  });
});

import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client';
import { deliverNotification, type Notification } from '../../src/services/notifications';
import { apiKeys, call, expectProblem, json, loginAs } from './harness';
import { buildFor } from './pricing-helpers';
import { type OurLine, ordersWithPo, ourLines } from './punchout-order-helpers';

interface PartnerOrder {
  id: string;
  status: string;
  channel: string;
  channelRef: string | null;
  poNumber: string;
  currency: string;
  totalMinor: number;
  lineCount: number;
  lines: { lineNo: number; sku: string; quantity: number; unitMinor: number; note: string | null }[];
}

let lines: OurLine[];
let seq = 0;
const unique = (what: string) => `${what}-${Date.now().toString(36)}-${++seq}`;

const post = (body: unknown, key: string | null, token = apiKeys().partner) =>
  call('/v1/partner/orders', {
    method: 'POST',
    token,
    body,
    headers: key === null ? {} : { 'idempotency-key': key },
  });

const bodyOf = (poNumber: string, over: Record<string, unknown> = {}) => ({
  poNumber,
  lines: lines.map((l, i) => ({
    sku: l.sku,
    quantity: l.quantity,
    unitPriceMinor: l.unitMinor,
    ...(i === 0 ? { note: 'for site B' } : {}),
  })),
  reference: 'REQ-77',
  ...over,
});

beforeAll(async () => {
  await buildFor('co_acme');
  lines = await ourLines([2, 4]);
});

describe('POST /v1/partner/orders', () => {
  it('places the order through checkout with channel partner_api; the same key and body answer the same order', async () => {
    const po = unique('PO');
    const key = unique('key');
    const res = await post(bodyOf(po), key);
    expect(res.status).toBe(201);
    const order = await json<PartnerOrder>(res);
    expect(res.headers.get('location')).toBe(`/v1/orders/${order.id}`);
    expect(order).toMatchObject({
      status: 'placed',
      channel: 'partner_api',
      channelRef: 'key_partner_acme',
      poNumber: po,
      currency: 'EUR',
      lineCount: 2,
      totalMinor: lines.reduce((s, l) => s + l.quantity * l.unitMinor, 0),
    });
    expect(order.lines.map((l) => [l.sku, l.quantity, l.unitMinor, l.note])).toEqual([
      [lines[0]?.sku, lines[0]?.quantity, lines[0]?.unitMinor, 'for site B'],
      [lines[1]?.sku, lines[1]?.quantity, lines[1]?.unitMinor, null],
    ]);

    const again = await post(bodyOf(po), key);
    expect(again.status).toBe(201);
    expect(await json(again)).toEqual(order);
    expect(await ordersWithPo(po)).toMatchObject([{ id: order.id, placedBy: 'key_partner_acme' }]);

    // the same key with another body: refused, no second order
    const other = await expectProblem(await post(bodyOf(po, { reference: 'REQ-78' }), key), 422);
    expect(other.code).toBe('idempotency_key_reused');
    expect(await ordersWithPo(po)).toHaveLength(1);
  });

  it('validates like checkout: Idempotency-Key required, field paths, unknown SKU 422, a price not ours 409', async () => {
    const po = unique('PO');
    const noKey = await expectProblem(await post(bodyOf(po), null), 400);
    expect(noKey.errors?.map((e) => e.path)).toEqual(['idempotency-key']);

    const bad = await expectProblem(
      await post({ poNumber: po, lines: [{ sku: 'X', quantity: 0 }], colour: 'red' }, unique('key')),
      400,
    );
    expect(bad.errors?.map((e) => e.path).sort()).toEqual(['colour', 'lines.0.quantity']);

    const body = bodyOf(po);
    body.lines[1] = { sku: 'NO-SUCH-SKU', quantity: 1, unitPriceMinor: 100 };
    const unknown = await expectProblem(await post(body, unique('key')), 422);
    expect(unknown.errors).toEqual([{ path: 'lines.1.sku', message: 'NO-SUCH-SKU is not in our catalog' }]);

    const priced = bodyOf(po);
    const first = lines[0] as OurLine;
    priced.lines[0] = { sku: first.sku, quantity: first.quantity, unitPriceMinor: first.unitMinor - 1 };
    const price = await expectProblem(await post(priced, unique('key')), 409);
    expect(price.errors?.[0]?.path).toBe('lines.0.unitPriceMinor');
    expect(price.errors?.[0]?.message).toContain(`our price for ${first.quantity}`);
    expect(await ordersWithPo(po)).toHaveLength(0);
  });

  it('is for API keys with orders:write: a person gets 403, a key without it 403', async () => {
    const buyer = await loginAs('buyer@acme.example');
    await expectProblem(await post(bodyOf(unique('PO')), unique('key'), buyer), 403);
    const ops = await loginAs('ops@supplier.example');
    const made = await json<{ key: string }>(
      await call('/v1/admin/api-keys', {
        method: 'POST',
        token: ops,
        body: { name: 'Acme reader', companyId: 'co_acme', scopes: ['catalog:read', 'orders:read'] },
      }),
    );
    await expectProblem(await post(bodyOf(unique('PO')), unique('key'), made.key), 403);
  });

  it('emits order.placed naming the channel, and the company webhook receives it', async () => {
    const admin = await loginAs('admin@acme.example');
    const settings = await call('/v1/company/notifications/settings', {
      method: 'PUT',
      token: admin,
      body: { webhookUrl: 'https://hooks.acme.test/partner' },
    });
    expect(settings.status).toBe(200);
    const order = await json<PartnerOrder>(await post(bodyOf(unique('PO')), unique('key')));
    const row = await env.DB.prepare('SELECT payload FROM outbox WHERE id = ?')
      .bind(`obx_${order.id.slice(4)}_order_placed`)
      .first<{ payload: string }>();
    const event = JSON.parse(row?.payload ?? 'null') as Notification;
    expect(event.payload).toMatchObject({
      orderId: order.id,
      channel: 'partner_api',
      channelRef: 'key_partner_acme',
    });

    const sent: { url: string; body: string }[] = [];
    const recorder = async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push({ url: String(input), body: String(init?.body) });
      return new Response('ok');
    };
    expect(await deliverNotification(createDatabase(env), event, Date.now(), recorder)).toBe('delivered');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe('https://hooks.acme.test/partner');
    expect(JSON.parse(sent[0]?.body ?? '{}')).toMatchObject({
      event: 'order.placed',
      payload: { orderId: order.id, channel: 'partner_api', poNumber: order.poNumber },
    });
  });
});

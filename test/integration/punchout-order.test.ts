import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json, loginAs } from './harness';
import { buildFor } from './pricing-helpers';
import { CXML_FIXTURES, createTestPartner, type TestPartner } from './punchout-helpers';
import {
  answerOf,
  type OurLine,
  ordersWithPo,
  ourLines,
  ourOrderRequest,
  postCxml,
} from './punchout-order-helpers';

let lines: OurLine[];
let seq = 0;
const unique = (what: string) => `${what}-${Date.now().toString(36)}-${++seq}`;

async function partner(options: Parameters<typeof createTestPartner>[0] = {}): Promise<TestPartner> {
  return createTestPartner({ secret: 'coyote', ...options });
}

const orderFor = (p: TestPartner, over: Partial<Parameters<typeof ourOrderRequest>[0]> = {}) =>
  ourOrderRequest({
    identity: p.senderIdentity ?? '',
    orderId: unique('PO'),
    payloadId: `${unique('payload')}@buyer.test`,
    lines,
    ...over,
  });

beforeAll(async () => {
  await buildFor('co_acme');
  lines = await ourLines([3, 5]);
});

describe('OrderRequest samples written by other implementations', () => {
  // each sample posted with a partner matching its Sender credential and secret
  const cases: {
    file: string;
    domain: string;
    identity: string;
    secret: string;
    code: number;
    why: RegExp;
  }[] = [
    {
      file: 'cxmlphp-orderrequest-eur-billto-de-comments-attachment.xml',
      domain: 'NetworkId',
      identity: 'inbound@prominate-platform.com',
      secret: 'coyote',
      code: 417,
      why: /line 1: 1233244 is not in our catalog; line 2: 1233245 is not in our catalog/,
    },
    {
      file: 'cxmlphp-orderrequest-payment-reference.xml',
      domain: 'NetworkId',
      identity: 'AN00000123',
      secret: 'Secret!123',
      code: 400,
      why: /orders in EUR; the order is in USD/,
    },
    {
      file: 'officeluv-orderrequest-coupa-2-lines-accounting.xml',
      domain: 'NetworkID',
      identity: 'DAN_Coupa',
      secret: 'alsdkfjalksdjflaksjdfklj',
      code: 400,
      why: /orders in EUR; the order is in USD/,
    },
    {
      // the sample's Sender carries no SharedSecret at all
      file: 'officeluv-orderrequest-coupa-comments-billto.xml',
      domain: 'duns',
      identity: 'dell',
      secret: 'anything',
      code: 401,
      why: /SharedSecret do not match/,
    },
  ];

  it('covers every OrderRequest sample', () => {
    const samples = Object.keys(CXML_FIXTURES).filter((f) => f.includes('orderrequest'));
    expect(samples.sort()).toEqual(cases.map((c) => c.file).sort());
  });

  it.each(cases)('$file → $code', async (c) => {
    await createTestPartner({ senderDomain: c.domain, senderIdentity: c.identity, secret: c.secret });
    const answer = await answerOf(await postCxml(CXML_FIXTURES[c.file] ?? ''));
    expect(answer.code).toBe(c.code);
    expect(answer.http).toBe(c.code);
    expect(answer.message).toMatch(c.why);
    expect(answer.text).toContain('<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/');
  });
});

describe('POST /punchout/cxml/order', () => {
  it('places the order once: the same document again answers the same Response, and no second order', async () => {
    const p = await partner();
    const orderId = unique('PO');
    const xml = orderFor(p, { orderId });
    const first = await postCxml(xml);
    const answer = await answerOf(first);
    expect(answer).toMatchObject({
      http: 200,
      code: 200,
      message: expect.stringMatching(/^Order ord_\w+ placed$/),
    });
    const again = await answerOf(await postCxml(xml));
    expect(again.text).toBe(answer.text);

    const orders = await ordersWithPo(orderId);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      poNumber: orderId,
      channel: 'punchout',
      channelRef: p.id,
      placedBy: 'usr_acme_buyer',
      status: 'placed',
      totalMinor: lines.reduce((sum, l) => sum + l.quantity * l.unitMinor, 0),
    });
    expect(answer.message).toContain(orders[0]?.id);

    // the same order under a new payloadID (a resend by the procurement system): the first answer
    const resent = await answerOf(await postCxml(orderFor(p, { orderId })));
    expect(resent.text).toBe(answer.text);
    // the same orderID with other content: a conflict, never a second order
    const changed = [{ ...(lines[0] as OurLine), quantity: 9 }, lines[1] as OurLine];
    const other = await answerOf(await postCxml(orderFor(p, { orderId, lines: changed })));
    expect(other.code).toBe(409);
    expect(await ordersWithPo(orderId)).toHaveLength(1);

    // both exchanges are in the punch-out log, the secret redacted
    const logged = await env.DB.prepare(
      "SELECT direction, status, body FROM punchout_log WHERE kind = 'cxml.order' AND partner_id = ? ORDER BY created_at, direction",
    )
      .bind(p.id)
      .all<{ direction: string; status: number; body: string }>();
    expect(logged.results.length).toBeGreaterThanOrEqual(4);
    expect(logged.results.some((r) => r.direction === 'out' && r.body === answer.text)).toBe(true);
    expect(logged.results.every((r) => !r.body.includes('<SharedSecret>coyote'))).toBe(true);
  });

  it('refuses a unit price outside the partner tolerance (409, naming the line, their price and ours)', async () => {
    const p = await partner({ priceToleranceBp: 100 });
    const [a, b] = lines as [OurLine, OurLine];
    const high = Math.round(b.unitMinor * 1.05) + 1;
    const orderId = unique('PO');
    const answer = await answerOf(await postCxml(orderFor(p, { orderId, prices: [a.unitMinor, high] })));
    expect(answer.code).toBe(409);
    expect(answer.message).toBe(
      `line 2: ${b.sku} at ${(high / 100).toFixed(2)} EUR, our price for ${b.quantity} is ${(b.unitMinor / 100).toFixed(2)} EUR`,
    );
    expect(await ordersWithPo(orderId)).toHaveLength(0);
    // within 1 %: accepted, charged at our price
    const near = Math.floor(b.unitMinor * 1.005);
    const ok = await answerOf(await postCxml(orderFor(p, { orderId, prices: [a.unitMinor, near] })));
    expect(ok.code).toBe(200);
  });

  it('refuses an unknown SKU (417 naming the line) and a wrong secret (401); neither places anything', async () => {
    const p = await partner();
    const orderId = unique('PO');
    const unknown = [lines[0] as OurLine, { ...(lines[1] as OurLine), sku: 'NO-SUCH-SKU' }];
    const refused = await answerOf(await postCxml(orderFor(p, { orderId, lines: unknown })));
    expect(refused).toMatchObject({ code: 417, message: 'line 2: NO-SUCH-SKU is not in our catalog' });
    const wrong = await answerOf(await postCxml(orderFor(p, { orderId, secret: 'not-coyote' })));
    expect(wrong).toMatchObject({ http: 401, code: 401 });
    expect(await ordersWithPo(orderId)).toHaveLength(0);
  });

  it('answers cXML, never problem+json: malformed XML 406, update 450', async () => {
    const broken = await postCxml('<cXML payloadID="x" timestamp="t"><Request>');
    expect(broken.headers.get('content-type')).toMatch(/^text\/xml/);
    expect((await answerOf(broken)).code).toBe(406);
    const p = await partner();
    const update = await answerOf(await postCxml(orderFor(p, { type: 'update' })));
    expect(update).toMatchObject({ code: 450, http: 501, message: expect.stringContaining('not applied') });
  });

  it('delete cancels the order the orderID placed; a second delete is a conflict', async () => {
    const p = await partner();
    const orderId = unique('PO');
    expect((await answerOf(await postCxml(orderFor(p, { orderId })))).code).toBe(200);
    const cancel = await answerOf(await postCxml(orderFor(p, { orderId, type: 'delete' })));
    expect(cancel).toMatchObject({ code: 200, message: expect.stringMatching(/^Order ord_\w+ cancelled$/) });
    expect((await ordersWithPo(orderId))[0]?.status).toBe('cancelled');
    const again = await answerOf(await postCxml(orderFor(p, { orderId, type: 'delete' })));
    expect(again.code).toBe(409);
    const none = await answerOf(await postCxml(orderFor(p, { type: 'delete' })));
    expect(none.code).toBe(417);
  });

  it('an order above the buyer limit waits for approval (201), unless the partner’s approvals are trusted', async () => {
    // 5,000.00 EUR is the buyer's order limit
    const big = lines.map((l) => ({ ...l, quantity: Math.ceil(300_000 / l.unitMinor) }));
    const asked = await ourLines(big.map((l) => l.quantity));
    const untrusted = await partner();
    const orderId = unique('PO');
    const pending = await answerOf(await postCxml(orderFor(untrusted, { orderId, lines: asked })));
    expect(pending).toMatchObject({ code: 201, http: 200, message: expect.stringContaining('approval') });
    expect((await ordersWithPo(orderId))[0]?.status).toBe('pending_approval');

    const trusted = await partner({ trustApprovals: true });
    const trustedId = unique('PO');
    const placed = await answerOf(await postCxml(orderFor(trusted, { orderId: trustedId, lines: asked })));
    expect(placed.code).toBe(200);
    expect((await ordersWithPo(trustedId))[0]?.status).toBe('placed');
  });
});

/** `count` products Acme can order one at a time, priced now for quantity 2 (POST /v1/prices). */
async function pricedLines(count: number): Promise<OurLine[]> {
  const { results } = await env.DB.prepare(
    `SELECT sku, unit_of_measure AS unit FROM products WHERE status = 'active' AND min_order_qty = 1
     AND order_multiple = 1 ORDER BY sku LIMIT 600`,
  ).all<{ sku: string; unit: string }>();
  const buyer = await loginAs('buyer@acme.example');
  const priced = await json<{
    lines: { sku: string; status: string; price?: { unitMinor: number } | null }[];
  }>(
    await call('/v1/prices', {
      method: 'POST',
      token: buyer,
      body: { lines: results.map((r) => ({ sku: r.sku, quantity: 2 })) },
    }),
  );
  const lines = priced.lines.flatMap((l, i) =>
    l.status === 'priced' && l.price
      ? [{ sku: l.sku, quantity: 2, unitMinor: l.price.unitMinor, unit: results[i]?.unit ?? 'EA' }]
      : [],
  );
  expect(lines.length).toBeGreaterThanOrEqual(count);
  return lines.slice(0, count);
}

describe('a large OrderRequest', () => {
  it('places an order of 200 lines, each checked against its contract price', async () => {
    const p = await partner({ trustApprovals: true });
    const many = await pricedLines(200);
    const money = (minor: number) => `<Money currency="EUR">${(minor / 100).toFixed(2)}</Money>`;
    const items = many
      .map(
        (l, i) =>
          `<ItemOut quantity="${l.quantity}" lineNumber="${i + 1}"><ItemID><SupplierPartID>${l.sku}</SupplierPartID></ItemID>` +
          `<ItemDetail><UnitPrice>${money(l.unitMinor)}</UnitPrice><Description xml:lang="en">${l.sku}</Description>` +
          `<UnitOfMeasure>${l.unit}</UnitOfMeasure></ItemDetail></ItemOut>`,
      )
      .join('');
    const total = many.reduce((sum, l) => sum + l.unitMinor * l.quantity, 0);
    const orderId = unique('PO-200');
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><cXML payloadID="${unique('payload')}@buyer.test" timestamp="2026-11-30T10:00:00+01:00" xml:lang="en-US">` +
      `<Header><From><Credential domain="NetworkId"><Identity>${p.senderIdentity}</Identity></Credential></From>` +
      '<To><Credential domain="NetworkId"><Identity>supplier</Identity></Credential></To>' +
      `<Sender><Credential domain="NetworkId"><Identity>${p.senderIdentity}</Identity><SharedSecret>coyote</SharedSecret></Credential>` +
      '<UserAgent>test</UserAgent></Sender></Header>' +
      `<Request><OrderRequest><OrderRequestHeader orderID="${orderId}" orderDate="2026-11-30T10:00:00+01:00" type="new">` +
      `<Total>${money(total)}</Total></OrderRequestHeader>${items}</OrderRequest></Request></cXML>`;
    const answer = await answerOf(await postCxml(xml));
    expect(answer.code, answer.text).toBe(200);
    const [order] = await ordersWithPo(orderId);
    const admin = await loginAs('admin@acme.example');
    const detail = await json<{
      lines: unknown[];
      subtotalMinor: number;
      discountMinor: number;
      totalMinor: number;
    }>(await call(`/v1/orders/${order?.id}`, { token: admin }));
    expect(detail.lines).toHaveLength(200);
    // every line at the price the document carried; the company's offers may take something off the total
    expect(detail.subtotalMinor).toBe(total);
    expect(detail.totalMinor).toBe(total - detail.discountMinor);
  });
});

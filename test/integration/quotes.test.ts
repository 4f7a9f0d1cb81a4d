import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json } from './harness';
import { buildFor, first } from './pricing-helpers';
import { type OurLine, ourLines } from './punchout-order-helpers';
import { acme, DAY, post, type QuoteView, quoteAll, requestQuote, tokens, ymd } from './quotes-helpers';

let t: Awaited<ReturnType<typeof tokens>>;
let lines: OurLine[];
const request = () =>
  requestQuote(t.buyer, {
    lines: lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity * 10,
      targetUnitPriceMinor: l.unitMinor - 1,
    })),
    message: 'Big job on the Dupont site',
    wantedDeliveryDate: ymd(Date.now() + 14 * DAY),
    attachments: [{ url: 'https://files.example.com/plan.pdf', name: 'plan' }],
  });

beforeAll(async () => {
  await buildFor('co_acme');
  lines = await ourLines([2, 3]);
  t = await tokens();
});

describe('quote flow', () => {
  it('request → quote → counter → quote → decline, every version kept, each step audited and announced', async () => {
    const q = await request();
    expect(q).toMatchObject({ state: 'requested', currentVersion: 1, repUserId: 'usr_rep' });
    expect(q.number).toMatch(/^Q-\d{6}$/);
    expect(q.versions[0]).toMatchObject({ kind: 'request' });
    expect(q.versions[0]?.lines.map((l) => l.contractUnitPriceMinor)).toEqual(lines.map((l) => l.unitMinor));

    const quoted = await quoteAll(t.rep, q);
    expect(quoted).toMatchObject({ state: 'quoted', currentVersion: 2 });
    const line = quoted.versions[1]?.lines[0];
    const contract = lines[0]?.unitMinor ?? 0;
    expect(line).toMatchObject({
      contractUnitPriceMinor: contract,
      discountBps: 1000,
      unitPriceMinor: contract - Math.round(contract / 10),
      marginPercent: null,
    });
    expect(line?.discountPercent).toBeCloseTo(10, 0);

    const countered = await post(`/v1/quotes/${q.id}/counter`, t.buyer, {
      lines: [{ lineNo: 2, quantity: 60, targetUnitPriceMinor: 1 }],
      message: 'more for less?',
    });
    expect(countered.status).toBe(200);
    const c = await json<QuoteView>(countered);
    expect(c).toMatchObject({ state: 'countered', currentVersion: 3 });
    expect(c.versions[2]?.lines.map((l) => [l.lineNo, l.quantity, l.targetUnitPriceMinor])).toEqual([
      [1, 20, (lines[0]?.unitMinor ?? 0) - 1],
      [2, 60, 1],
    ]);

    const requoted = await quoteAll(t.rep, c);
    expect(requoted).toMatchObject({ state: 'quoted', currentVersion: 4 });
    const declined = await post(`/v1/quotes/${q.id}/decline`, t.buyer, { reason: 'Found it cheaper' });
    expect(await json(declined)).toMatchObject({ state: 'declined', decisionReason: 'Found it cheaper' });

    const audit = await first<{ actions: string }>(
      "SELECT group_concat(action, ',') AS actions FROM (SELECT action FROM audit_log WHERE target_id = ? ORDER BY at, rowid)",
      q.id,
    );
    expect(audit.actions).toBe('quote.request,quote.quote,quote.counter,quote.quote,quote.decline');
    const events = await first<{ n: number }>(
      'SELECT count(*) AS n FROM outbox WHERE aggregate_id = ?',
      q.id,
    );
    expect(events.n).toBe(5);
  });

  it('the same Idempotency-Key and body answer the same quote; another body is refused', async () => {
    const body = { lines: [{ sku: lines[0]?.sku, quantity: 5 }] };
    const key = { 'idempotency-key': `k-${Date.now()}` };
    const a = await requestQuote(t.buyer, body, key);
    const b = await requestQuote(t.buyer, body, key);
    expect(b.id).toBe(a.id);
    expect(b.number).toBe(a.number);
    const other = await post('/v1/quotes', t.buyer, { lines: [{ sku: lines[0]?.sku, quantity: 6 }] }, key);
    expect((await expectProblem(other, 422)).code).toBe('idempotency_key_reused');
  });

  it('a request from the buyer’s cart takes its lines', async () => {
    await call('/v1/carts/current/lines', {
      method: 'POST',
      token: t.buyer,
      body: { lines: [{ sku: lines[1]?.sku, quantity: 7 }] },
    });
    const q = await requestQuote(t.buyer, { cartId: 'current' });
    expect(q.versions[0]?.lines.find((l) => l.sku === lines[1]?.sku)?.quantity).toBeGreaterThanOrEqual(7);
  });

  it('withdraw: the requesting buyer while it waits for the rep, the rep while open; not the buyer once quoted', async () => {
    const a = await request();
    expect(await json(await post(`/v1/quotes/${a.id}/withdraw`, t.buyer, {}))).toMatchObject({
      state: 'withdrawn',
    });
    const b = await quoteAll(t.rep, await request());
    expect((await expectProblem(await post(`/v1/quotes/${b.id}/withdraw`, t.buyer, {}), 409)).errors).toEqual(
      [{ path: 'state', message: 'the quote is quoted' }],
    );
    const res = await post(`/v1/quotes/${b.id}/withdraw`, t.rep, { reason: 'price list changes' }, acme);
    expect(await json(res)).toMatchObject({ state: 'withdrawn' });
  });

  it('illegal transitions are 409 naming the state, and change nothing', async () => {
    const requested = await request();
    const declined = await quoteAll(t.rep, await request());
    await post(`/v1/quotes/${declined.id}/decline`, t.buyer, { reason: 'no' });
    const cases: [QuoteView, string, string, unknown, Record<string, string>][] = [
      [requested, 'counter', t.buyer, { lines: [{ lineNo: 1, quantity: 9 }] }, {}],
      [requested, 'accept', t.buyer, { version: 1 }, {}],
      [requested, 'decline', t.buyer, { reason: 'x' }, {}],
      [
        declined,
        'quote',
        t.rep,
        {
          lines: [
            { lineNo: 1, discountBps: 5 },
            { lineNo: 2, discountBps: 5 },
          ],
          validUntil: ymd(Date.now() + DAY),
        },
        acme,
      ],
      [declined, 'counter', t.buyer, { lines: [{ lineNo: 1, quantity: 9 }] }, {}],
      [declined, 'accept', t.buyer, { version: 2 }, {}],
      [declined, 'withdraw', t.rep, {}, acme],
    ];
    for (const [q, action, token, body, headers] of cases) {
      const before = await json<QuoteView>(await call(`/v1/quotes/${q.id}`, { token, headers }));
      const problem = await expectProblem(
        await post(`/v1/quotes/${q.id}/${action}`, token, body, headers),
        409,
      );
      expect(problem.errors?.[0]?.path, action).toBe('state');
      const after = await json<QuoteView>(await call(`/v1/quotes/${q.id}`, { token, headers }));
      expect(after).toEqual(before);
    }
  });

  it('lists the company’s quotes by state with cursor paging; the rep inbox shows what waits for them', async () => {
    const q = await request();
    const page = await json<{ items: { id: string }[]; nextCursor: string | null }>(
      await call('/v1/quotes?state=requested&limit=1', { token: t.buyer }),
    );
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    const next = await json<{ items: { id: string }[] }>(
      await call(`/v1/quotes?state=requested&limit=1&cursor=${page.nextCursor}`, { token: t.buyer }),
    );
    expect(next.items[0]?.id).not.toBe(page.items[0]?.id);
    const inbox = await json<{ items: { id: string; state: string; companyName: string }[] }>(
      await call('/v1/rep/quotes?limit=200', { token: t.rep }),
    );
    expect(inbox.items.find((i) => i.id === q.id)).toMatchObject({
      state: 'requested',
      companyName: expect.any(String),
    });
    expect(inbox.items.every((i) => i.state === 'requested' || i.state === 'countered')).toBe(true);
    const admin = await json<{ items: { id: string }[] }>(
      await call('/v1/rep/quotes?companyId=co_acme&limit=200', { token: t.ops }),
    );
    expect(admin.items.some((i) => i.id === q.id)).toBe(true);
  });
});

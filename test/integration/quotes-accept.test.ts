import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client';
import { expireDueQuotes } from '../../src/services/quotes/decide';
import { call, expectProblem, json } from './harness';
import { all, buildFor, first } from './pricing-helpers';
import { type OurLine, ourLines } from './punchout-order-helpers';
import {
  callAt,
  DAY,
  loginAt,
  ordersOfQuote,
  post,
  type QuoteView,
  quoteAll,
  requestQuote,
  tokens,
  ymd,
} from './quotes-helpers';

let t: Awaited<ReturnType<typeof tokens>>;
let lines: OurLine[];
const quoted = async (validUntil?: string) =>
  quoteAll(
    t.rep,
    await requestQuote(t.buyer, {
      lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, note: 'for <b>site</b>' })),
    }),
    validUntil,
  );

interface Accepted {
  quote: QuoteView;
  order: { id: string; status: string };
}

beforeAll(async () => {
  await buildFor('co_acme');
  lines = await ourLines([1, 2]);
  t = await tokens();
});

describe('accept', () => {
  it('places one order with channel quote; a retried accept answers the same order', async () => {
    const q = await quoted();
    const res = await post(`/v1/quotes/${q.id}/accept`, t.buyer, { version: 2, poNumber: 'PO-Q-1' });
    expect(res.status).toBe(200);
    const done = await json<Accepted>(res);
    expect(done.quote).toMatchObject({ state: 'ordered', orderId: done.order.id });
    expect(await ordersOfQuote(q.id)).toEqual([{ id: done.order.id, channel: 'quote', channel_ref: q.id }]);
    // the order charges the quoted prices (10 % off the contract price here), not the price index's
    const quotedLines = q.versions.at(-1)?.lines ?? [];
    expect(quotedLines.length).toBeGreaterThan(0);
    for (const l of quotedLines)
      expect(l.unitPriceMinor ?? Number.POSITIVE_INFINITY).toBeLessThan(l.contractUnitPriceMinor ?? 0);
    const charged = await all<{ sku: string; unit_minor: number }>(
      'SELECT sku, unit_minor FROM order_lines WHERE order_id = ? ORDER BY line_no',
      done.order.id,
    );
    expect(charged).toEqual(quotedLines.map((l) => ({ sku: l.sku, unit_minor: l.unitPriceMinor })));
    const again = await json<Accepted>(
      await post(`/v1/quotes/${q.id}/accept`, t.buyer, { version: 2, poNumber: 'PO-Q-1' }),
    );
    expect(again.order.id).toBe(done.order.id);
    expect(await ordersOfQuote(q.id)).toHaveLength(1);
    const audit = await first<{ actions: string }>(
      "SELECT group_concat(action, ',') AS actions FROM (SELECT action FROM audit_log WHERE target_id = ? ORDER BY at, rowid)",
      q.id,
    );
    expect(audit.actions).toBe('quote.request,quote.quote,quote.accept,quote.order');
  });

  it('two accepts at once: one order, both answer it', async () => {
    const q = await quoted();
    const [a, b] = await Promise.all([
      post(`/v1/quotes/${q.id}/accept`, t.buyer, { version: 2 }),
      post(`/v1/quotes/${q.id}/accept`, t.buyer, { version: 2 }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(200);
    expect([200, 409]).toContain(statuses[1]);
    const orders = await ordersOfQuote(q.id);
    expect(orders).toHaveLength(1);
    for (const res of [a, b])
      if (res.status === 200) expect((await json<Accepted>(res)).order.id).toBe(orders[0]?.id);
  });

  it('an older version is 409; a bad ship-to is a 422 and the quote stays quoted for a retry', async () => {
    const q = await quoted();
    const old = await expectProblem(await post(`/v1/quotes/${q.id}/accept`, t.buyer, { version: 1 }), 409);
    expect(old.errors?.[0]?.path).toBe('version');
    const bad = await post(`/v1/quotes/${q.id}/accept`, t.buyer, {
      version: 2,
      shipToSiteId: 'site_nowhere',
    });
    expect(bad.status).toBe(422);
    expect(await json(await call(`/v1/quotes/${q.id}`, { token: t.buyer }))).toMatchObject({
      state: 'quoted',
    });
    expect(await ordersOfQuote(q.id)).toHaveLength(0);
    expect((await post(`/v1/quotes/${q.id}/accept`, t.buyer, { version: 2 })).status).toBe(200);
  });

  it('past its validity: accept is 409 `expired` and the quote expires', async () => {
    const q = await quoted(ymd(Date.now()));
    const later = Date.now() + 2 * DAY;
    const token = await loginAt('buyer@acme.example', later);
    const res = await callAt(
      `/v1/quotes/${q.id}/accept`,
      { method: 'POST', token, body: { version: 2 } },
      later,
    );
    const problem = await expectProblem(res, 409);
    expect(problem.errors).toEqual([{ path: 'state', message: 'expired' }]);
    expect(await json(await call(`/v1/quotes/${q.id}`, { token: t.buyer }))).toMatchObject({
      state: 'expired',
    });
    expect(await ordersOfQuote(q.id)).toHaveLength(0);
  });
});

describe('expiry (5-minute cron)', () => {
  it('expires quoted quotes past their validity once, audited by the system and announced', async () => {
    const q = await quoted(ymd(Date.now()));
    const fresh = await quoted(ymd(Date.now() + 30 * DAY));
    const db = createDatabase(env);
    const later = Date.now() + 2 * DAY;
    expect(await expireDueQuotes(db, later, 'cron:test')).toBeGreaterThanOrEqual(1);
    expect(await expireDueQuotes(db, later, 'cron:test')).toBe(0);
    expect(await json(await call(`/v1/quotes/${q.id}`, { token: t.buyer }))).toMatchObject({
      state: 'expired',
    });
    expect(await json(await call(`/v1/quotes/${fresh.id}`, { token: t.buyer }))).toMatchObject({
      state: 'quoted',
    });
    const audit = await first<{ n: number; kind: string }>(
      "SELECT count(*) AS n, max(actor_kind) AS kind FROM audit_log WHERE target_id = ? AND action = 'quote.expire'",
      q.id,
    );
    expect(audit).toEqual({ n: 1, kind: 'system' });
    const event = await first<{ n: number }>(
      "SELECT count(*) AS n FROM outbox WHERE aggregate_id = ? AND json_extract(payload, '$.event') = 'quote.expired'",
      q.id,
    );
    expect(event.n).toBe(1);
  });
});

describe('document', () => {
  it('is printable HTML with a CSP, supplier and customer, and escapes what people typed', async () => {
    const q = await requestQuote(t.buyer, {
      lines: [{ sku: lines[0]?.sku, quantity: 1, note: '<script>alert(1)</script>' }],
      message: '"><img src=x onerror=alert(2)>',
    });
    const res = await call(`/v1/quotes/${q.id}/document`, { token: t.buyer });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('@page');
    expect(html).toContain(q.number);
    expect(html).toContain('Acme');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  });
});

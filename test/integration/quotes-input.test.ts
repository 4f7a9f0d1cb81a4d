import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem } from './harness';
import { buildFor } from './pricing-helpers';
import { type OurLine, ourLines } from './punchout-order-helpers';
import {
  acme,
  counts,
  DAY,
  hiddenSku,
  otherRep,
  post,
  type QuoteView,
  quoteAll,
  requestQuote,
  tokens,
  ymd,
} from './quotes-helpers';

let t: Awaited<ReturnType<typeof tokens>>;
let lines: OurLine[];
let requested: QuoteView;

beforeAll(async () => {
  await buildFor('co_acme');
  lines = await ourLines([1, 2]);
  t = await tokens();
  requested = await requestQuote(t.buyer, {
    lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
  });
});

/** The request or action is refused with these field paths, and nothing at all is stored. */
async function refusedWithNothingStored(send: () => Promise<Response>, status: number, paths: string[]) {
  const before = await counts();
  const problem = await expectProblem(await send(), status);
  expect(problem.errors?.map((e) => e.path)).toEqual(paths);
  expect(await counts()).toEqual(before);
}

describe('bad input', () => {
  it('a request: a hidden SKU, a date in the past, private attachment links', async () => {
    const hidden = await hiddenSku();
    await refusedWithNothingStored(
      () =>
        post('/v1/quotes', t.buyer, {
          lines: [
            { sku: lines[0]?.sku, quantity: 1 },
            { sku: hidden, quantity: 1 },
          ],
        }),
      422,
      ['lines.1.sku'],
    );
    await refusedWithNothingStored(
      () =>
        post('/v1/quotes', t.buyer, {
          lines: [{ sku: lines[0]?.sku, quantity: 1 }],
          wantedDeliveryDate: ymd(Date.now() - 2 * DAY),
          attachments: [
            { url: 'https://files.example.com/ok.pdf' },
            { url: 'http://10.0.0.1/x' },
            { url: 'http://localhost/x' },
            { url: 'http://169.254.169.254/latest/meta-data' },
          ],
        }),
      422,
      ['attachments.1.url', 'attachments.2.url', 'attachments.3.url', 'wantedDeliveryDate'],
    );
    await refusedWithNothingStored(
      () =>
        post('/v1/quotes', t.buyer, {
          lines: [{ sku: lines[0]?.sku, quantity: 1, targetUnitPriceMinor: 1.5 }],
        }),
      400,
      ['lines.0.targetUnitPriceMinor'],
    );
  });

  it('a quote: negative, zero and absurd prices, a validity in the past or beyond a year, lines missing or unknown', async () => {
    const url = `/v1/quotes/${requested.id}/quote`;
    const valid = ymd(Date.now() + 10 * DAY);
    const send = (body: unknown) => () => post(url, t.rep, body, acme);
    await refusedWithNothingStored(
      send({
        lines: [
          { lineNo: 1, unitPriceMinor: -5 },
          { lineNo: 2, unitPriceMinor: 0 },
        ],
        validUntil: valid,
      }),
      422,
      ['lines.0.unitPriceMinor', 'lines.1.unitPriceMinor'],
    );
    const contract = lines[0]?.unitMinor ?? 0;
    await refusedWithNothingStored(
      send({
        lines: [
          { lineNo: 1, unitPriceMinor: contract * 101 },
          { lineNo: 2, unitPriceMinor: 1e12 },
        ],
        validUntil: valid,
      }),
      422,
      ['lines.0.unitPriceMinor', 'lines.1.unitPriceMinor'],
    );
    await refusedWithNothingStored(
      send({
        lines: [
          { lineNo: 1, discountBps: 10_000 },
          { lineNo: 2, discountBps: 100 },
        ],
        validUntil: ymd(Date.now() - DAY),
      }),
      422,
      ['validUntil', 'lines.0.discountBps'],
    );
    await refusedWithNothingStored(
      send({ lines: [{ lineNo: 1, discountBps: 100 }], validUntil: ymd(Date.now() + 400 * DAY) }),
      422,
      ['lines', 'validUntil'],
    );
    await refusedWithNothingStored(
      send({
        lines: [
          { lineNo: 1, discountBps: 100 },
          { lineNo: 2, discountBps: 100 },
          { lineNo: 7, discountBps: 1 },
        ],
        validUntil: valid,
      }),
      422,
      ['lines.2.lineNo'],
    );
  });

  it('a counter on a line not in the quote', async () => {
    const q = await quoteAll(
      t.rep,
      await requestQuote(t.buyer, { lines: [{ sku: lines[0]?.sku, quantity: 1 }] }),
    );
    await refusedWithNothingStored(
      () =>
        post(`/v1/quotes/${q.id}/counter`, t.buyer, {
          lines: [
            { lineNo: 1, quantity: 2 },
            { lineNo: 9, quantity: 1 },
          ],
        }),
      422,
      ['lines.1.lineNo'],
    );
  });
});

describe('who reaches a quote', () => {
  it('a rep of no account, and a buyer of another company, get 404 on every quote route', async () => {
    const stranger = await otherRep();
    const id = requested.id;
    const routes: [string, string, unknown][] = [
      ['GET', `/v1/quotes/${id}`, undefined],
      ['GET', `/v1/quotes/${id}/document`, undefined],
      ['GET', '/v1/quotes', undefined],
      [
        'POST',
        `/v1/quotes/${id}/quote`,
        { lines: [{ lineNo: 1, discountBps: 1 }], validUntil: ymd(Date.now() + DAY) },
      ],
      ['POST', `/v1/quotes/${id}/withdraw`, {}],
    ];
    for (const [method, path, body] of routes) {
      await expectProblem(await call(path, { method, token: stranger, body, headers: acme }), 404);
    }
    const buyerRoutes: [string, string, unknown][] = [
      ['GET', `/v1/quotes/${id}`, undefined],
      ['GET', `/v1/quotes/${id}/document`, undefined],
      ['POST', `/v1/quotes/${id}/counter`, { lines: [{ lineNo: 1, quantity: 2 }] }],
      ['POST', `/v1/quotes/${id}/accept`, { version: 1 }],
      ['POST', `/v1/quotes/${id}/decline`, { reason: 'x' }],
      ['POST', `/v1/quotes/${id}/withdraw`, {}],
    ];
    for (const [method, path, body] of buyerRoutes) {
      await expectProblem(await call(path, { method, token: t.globex, body }), 404);
    }
    const inbox = await call('/v1/rep/quotes', { token: stranger });
    expect(((await inbox.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('a buyer cannot quote (403); the rep cannot accept for the buyer (403)', async () => {
    await expectProblem(
      await post(`/v1/quotes/${requested.id}/quote`, t.buyer, {
        lines: [{ lineNo: 1, discountBps: 1 }],
        validUntil: ymd(Date.now() + DAY),
      }),
      403,
    );
    await expectProblem(await post(`/v1/quotes/${requested.id}/accept`, t.rep, { version: 1 }, acme), 403);
  });
});

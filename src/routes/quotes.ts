import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { getOrder } from '../db/queries/orders';
import { listQuotes } from '../db/queries/quotes';
import { forbidden } from '../domain/errors';
import type { Permission } from '../domain/permissions';
import { companyObject } from '../durable/client';
import { actorOf } from '../http/actor';
import type { AppContext, AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, pageOf } from '../http/paging';
import { validBody, validParams, validQuery } from '../http/validate';
import { acceptQuote } from '../services/quotes/accept';
import { counterQuote } from '../services/quotes/counter';
import { declineQuote, withdrawQuote } from '../services/quotes/decide';
import { quoteDocument } from '../services/quotes/document';
import { headerView, quoteOr404, quoteView } from '../services/quotes/records';
import { requestQuote } from '../services/quotes/request';
import { quoteLines } from '../services/quotes/respond';
import {
  AcceptBody,
  AcceptedQuote,
  CounterBody,
  DeclineBody,
  Quote,
  QuoteBody,
  QuoteCursor,
  QuoteListItem,
  QuoteListQuery,
  QuoteParam,
  QuoteRequestBody,
  WithdrawBody,
} from './quotes-schemas';

const tags = ['Quotes'];

/** Either side of the negotiation: the buyer's people who ask for quotes, the rep who answers them. */
export const requireAnyOf = (...permissions: Permission[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!permissions.some((p) => c.var.principal.permissions.has(p)))
      throw forbidden(`This needs one of the permissions ${permissions.map((p) => `"${p}"`).join(', ')}`);
    await next();
  });
const readers = requireAnyOf('quotes.request', 'quotes.respond');

const theQuote = (c: AppContext, id: string) => quoteOr404(c.var.services.db, scopeOf(c).companyId, id);
const answer = async (c: AppContext, id: string, status: 200 | 201 = 200) =>
  c.json(await quoteView(c.var.services.db, await theQuote(c, id)), status);

/** The quote's `Idempotency-Key`, optional: without one every request makes a new quote. */
const optionalKey = (c: AppContext) => c.req.header('idempotency-key')?.trim().slice(0, 200) || null;

export const quoteRoutes = new Hono<AppEnv>()
  .post(
    '/',
    doc({
      tags,
      summary: 'Ask the sales rep for a quote, from a cart or from lines',
      description:
        'Send `cartId` (`current` or a cart id) or `lines` (SKU, quantity, optional target unit price and note), with an optional message, wanted delivery date (today or later) and up to 10 attachment links (https to a public host; `attachments.N.url`). Every SKU must be one the company can order (`lines.N.sku`). With `Idempotency-Key`, the same key and body answer the same quote. Numbered `Q-000001` per company; the company’s sales rep answers it. See docs/quotes.md.',
      ok: Quote,
      status: 201,
      errors: {
        422: 'A line the company cannot order, a date in the past, an attachment link refused, a reused key',
      },
    }),
    requirePermission('quotes.request'),
    validBody(QuoteRequestBody),
    async (c) => {
      const scope = scopeOf(c);
      const { quote } = await requestQuote(
        {
          db: c.var.services.db,
          object: companyObject(c.env, scope),
          companyId: scope.companyId,
          actor: actorOf(c),
          idempotencyKey: optionalKey(c),
        },
        c.req.valid('json'),
      );
      c.header('location', `/v1/quotes/${quote.id}`);
      return answer(c, quote.id, 201);
    },
  )
  .get(
    '/',
    doc({ tags, summary: 'The company’s quotes, newest request first', ok: pageOf(QuoteListItem) }),
    readers,
    validQuery(QuoteListQuery),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await listQuotes(c.var.services.db, {
        companyId: scopeOf(c).companyId,
        states: q.state,
        before: decodeCursor(QuoteCursor, q.cursor),
        limit: q.limit,
      });
      const page = keysetPage(rows, q.limit, (r) => ({ at: r.quote.requestedAt, id: r.quote.id }));
      return c.json({
        ...page,
        items: page.items.map((r) => ({ ...headerView(r.quote), companyName: r.companyName })),
      });
    },
  )
  .get(
    '/:id',
    doc({
      tags,
      summary: 'A quote with every version and its lines, contract and quoted prices side by side',
      ok: Quote,
    }),
    readers,
    validParams(QuoteParam),
    (c) => answer(c, c.req.valid('param').id),
  )
  .get(
    '/:id/document',
    doc({
      tags,
      summary: 'The printable quote (HTML, A4): supplier, customer, lines, totals, validity, terms',
      okMediaType: 'text/html',
    }),
    readers,
    validParams(QuoteParam),
    async (c) => {
      const html = await quoteDocument(c.var.services.db, await theQuote(c, c.req.valid('param').id));
      return c.body(html, 200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy':
          "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      });
    },
  )
  .post(
    '/:id/quote',
    doc({
      tags,
      summary: 'The rep prices every line of a request or counter (a new version)',
      description:
        'Per line a net `unitPriceMinor` or a `discountBps` on the contract price, optionally another quantity; `validUntil` (today to one year ahead), payment and delivery terms, a message. Refused (422, `lines.N.…`): a price of 0 or less, above 100× the contract price or above 10^11; a line left out (`lines`) or not in the quote (`lines.N.lineNo`). Only the company’s rep or a platform admin (another rep: 404).',
      ok: Quote,
      errors: {
        409: 'The quote is not requested, quoted or countered, or changed meanwhile',
        422: 'Prices, lines or dates refused',
      },
    }),
    requirePermission('quotes.respond'),
    validParams(QuoteParam),
    validBody(QuoteBody),
    async (c) => {
      const id = c.req.valid('param').id;
      const ctx = { db: c.var.services.db, object: companyObject(c.env, scopeOf(c)), actor: actorOf(c) };
      await quoteLines(ctx, await theQuote(c, id), c.req.valid('json'));
      return answer(c, id);
    },
  )
  .post(
    '/:id/counter',
    doc({
      tags,
      summary: 'The buyer answers a quote with other quantities or target prices (a new version)',
      ok: Quote,
      errors: {
        409: 'The quote is not quoted, or changed meanwhile',
        422: 'A line not in the quote (`lines.N.lineNo`)',
      },
    }),
    requirePermission('quotes.request'),
    validParams(QuoteParam),
    validBody(CounterBody),
    async (c) => {
      const id = c.req.valid('param').id;
      const ctx = { db: c.var.services.db, object: companyObject(c.env, scopeOf(c)), actor: actorOf(c) };
      await counterQuote(ctx, await theQuote(c, id), c.req.valid('json'));
      return answer(c, id);
    },
  )
  .post(
    '/:id/accept',
    doc({
      tags,
      summary: 'Accept the current quote and place its order',
      description:
        'Names the `version` accepted (the current one) and takes the checkout fields (ship-to, cost center, PO number…). Within validity only: past it, 409 and the quote expires. The order (channel `quote`) goes through the company’s approvals and budgets; a refusal the buyer can fix puts the quote back to `quoted`. Repeating an accept answers the same order.',
      ok: AcceptedQuote,
      errors: {
        409: 'Not the current version, expired, or not quoted',
        422: 'Checkout problems: address, cost center, budget',
      },
    }),
    requirePermission('quotes.request'),
    requirePermission('order.place'),
    validParams(QuoteParam),
    validBody(AcceptBody),
    async (c) => {
      const { version, ...input } = c.req.valid('json');
      const { db } = c.var.services;
      const ctx = { db, organization: c.env.ORGANIZATION, actor: actorOf(c) };
      const done = await acceptQuote(ctx, await theQuote(c, c.req.valid('param').id), { version, input });
      const view = await quoteView(db, done.quote);
      return c.json({
        quote: view,
        order: { id: done.orderId, status: await orderStatusOf(c, done.orderId) },
      });
    },
  )
  .post(
    '/:id/decline',
    doc({
      tags,
      summary: 'The buyer declines the current quote, with a reason',
      ok: Quote,
      errors: { 409: 'Not quoted' },
    }),
    requirePermission('quotes.request'),
    validParams(QuoteParam),
    validBody(DeclineBody),
    async (c) => {
      const id = c.req.valid('param').id;
      await declineQuote(c.var.services.db, await theQuote(c, id), actorOf(c), c.req.valid('json').reason);
      return answer(c, id);
    },
  )
  .post(
    '/:id/withdraw',
    doc({
      tags,
      summary: 'The rep withdraws an open quote; the requesting buyer a request still waiting for the rep',
      ok: Quote,
      errors: { 409: 'Not open (or, for the buyer, already quoted)' },
    }),
    readers,
    validParams(QuoteParam),
    validBody(WithdrawBody),
    async (c) => {
      const id = c.req.valid('param').id;
      await withdrawQuote(
        c.var.services.db,
        await theQuote(c, id),
        actorOf(c),
        c.req.valid('json').reason ?? null,
      );
      return answer(c, id);
    },
  );

async function orderStatusOf(c: AppContext, orderId: string): Promise<string> {
  const found = await getOrder(c.var.services.db, scopeOf(c).companyId, orderId);
  return found?.order.status ?? 'placed';
}

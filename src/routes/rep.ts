import { Hono } from 'hono';
import * as v from 'valibot';
import { forbidden } from '../domain/errors';
import { actsForAnyCompany } from '../domain/principal';
import { companyObject, unwrap } from '../durable/client';
import { actorOf } from '../http/actor';
import type { AppContext, AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { asSeenBy } from '../http/prices-visibility';
import { validBody, validParams, validQuery } from '../http/validate';
import { listAccounts } from '../services/rep/accounts';
import { prepareCart, sendPreparedCart } from '../services/rep/assist-carts';
import { checkoutForBuyer, enterOrder } from '../services/rep/assist-orders';
import { readRepSettings } from '../services/rep/settings';
import { Cart, CartSummary } from './cart-schemas';
import { CheckoutOutcome, idempotencyKey } from './checkout';
import {
  AccountsPage,
  AccountsQuery,
  CartsQuery,
  EnteredOrderBody,
  PrepareCartBody,
  RepCheckoutBody,
  SentCart,
} from './rep-schemas';
import { IdParam } from './schemas';

/**
 * The sales rep's workspace (docs/rep-workspace.md): the accounts dashboard, and assisted ordering for one
 * account named by `X-Company-Id` (the `companyScoped` middleware: another rep's account is a 404).
 */
const tags = ['Rep workspace'];

/** Reading a customer's carts is the company's choice (`repSeesCarts`); the answer says so. */
async function cartsVisible(c: AppContext): Promise<void> {
  const { repSeesCarts } = await readRepSettings(scopeOf(c));
  if (!repSeesCarts)
    throw forbidden(
      'This company does not share its carts with its sales rep (company setting repSeesCarts, set by its administrator)',
    );
}

const objectOf = (c: AppContext) => companyObject(c.env, scopeOf(c));

export const repAccountRoutes = new Hono<AppEnv>().get(
  '/accounts',
  doc({
    tags,
    summary: 'The rep’s accounts: revenue, trend, cadence, reactivation alerts and what waits on them',
    description:
      'A sales rep sees the companies they are the rep of; platform admins see every company (`repId` narrows to one rep’s). Revenue counts placed orders (minor units, company currency) of the last 30 and 90 days; `trendPercent` compares the last 30 days with the 30 before. `cadenceDays` is the median gap between the latest 11 placed orders (at least 3); the `reactivation` alert is raised when the time since the last order exceeds twice the cadence and is at least 14 days. Open carts come from a summary each company keeps, at most about a minute old (`openCarts.asOf`). Filters: `q` (name), `alert=reactivation`, `hasPending` (pending approvals or quotes waiting). Sorted by `sort` (`order` asc for name, desc otherwise by default), paged by `offset`/`limit`. The figures are kept up to 15 s per server instance (`figuresAt`).',
    ok: AccountsPage,
  }),
  requirePermission('accounts.view'),
  validQuery(AccountsQuery),
  async (c) => {
    const { principal, services } = c.var;
    const q = c.req.valid('query');
    if (principal.audience !== 'supplier') throw forbidden('The rep workspace is for the supplier’s staff');
    const all = actsForAnyCompany(principal);
    if (q.repId && !all) throw forbidden('Only platform admins look at another rep’s accounts');
    const page = await listAccounts(
      services.db,
      {
        repUserId: all ? (q.repId ?? null) : principal.id,
        q: q.q,
        alert: q.alert,
        hasPending: q.hasPending === undefined ? undefined : q.hasPending === 'true',
        sort: q.sort,
        order: q.order ?? (q.sort === 'name' ? 'asc' : 'desc'),
        offset: q.offset,
        limit: q.limit,
      },
      services.now(),
    );
    return c.json(page);
  },
);

export const repAssistRoutes = new Hono<AppEnv>()
  .post(
    '/carts',
    doc({
      tags,
      summary: 'Prepare a cart for a buyer of the company (X-Company-Id)',
      description:
        'The cart belongs to the buyer (`forUserId`: an active user of the company with `order.place`, else 422) and shows `preparedBy` in their carts. When the buyer checks it out the order’s channel is `rep_assisted`. Audited as the rep acting for the buyer.',
      ok: Cart,
      status: 201,
      errors: { 422: 'Unknown buyer, or lines naming products the company cannot order' },
    }),
    requirePermission('orders.assist'),
    validBody(PrepareCartBody),
    async (c) => {
      const cart = await prepareCart(scopeOf(c), objectOf(c), actorOf(c), c.req.valid('json'));
      c.header('location', `/v1/rep/carts/${cart.id}`);
      return c.json(asSeenBy(c.var.principal, cart), 201);
    },
  )
  .post(
    '/carts/:id/send',
    doc({
      tags,
      summary: 'Tell the buyer a prepared cart waits for their review (event cart.prepared_by_rep)',
      ok: SentCart,
      status: 202,
      errors: { 409: 'Not a cart a rep prepared' },
    }),
    requirePermission('orders.assist'),
    validParams(IdParam),
    async (c) => {
      const sent = await sendPreparedCart(
        c.env,
        scopeOf(c),
        objectOf(c),
        actorOf(c),
        c.req.valid('param').id,
      );
      return c.json(sent, 202);
    },
  )
  .post(
    '/carts/:id/checkout',
    doc({
      tags,
      summary: 'Check a prepared cart out for its buyer (only when the company allows it)',
      description:
        'Allowed only when the company’s setting `repMayPlaceOrders` is on (403 otherwise). The order is the buyer’s: their approvals, budgets and limits apply; channel `rep_assisted`, `channelRef` the rep. Requires `Idempotency-Key`.',
      ok: CheckoutOutcome,
      status: 201,
      errors: {
        403: 'The company does not let its rep place orders',
        409: 'Not a prepared cart, already checked out, or the key is in use',
        422: 'Checkout problems (address, cost center, budget)',
      },
    }),
    requirePermission('orders.assist'),
    validParams(IdParam),
    validBody(RepCheckoutBody),
    async (c) => {
      const key = idempotencyKey(c);
      const outcome = await checkoutForBuyer(scopeOf(c), objectOf(c), actorOf(c), {
        cartId: c.req.valid('param').id,
        key,
        input: c.req.valid('json'),
      });
      c.header('location', `/v1/orders/${outcome.orderId}`);
      return c.json(asSeenBy(c.var.principal, outcome), 201);
    },
  )
  .post(
    '/orders',
    doc({
      tags,
      summary: 'Enter an order taken by phone, email or at the counter, for a buyer',
      description:
        'Allowed only when the company’s setting `repMayPlaceOrders` is on (403 otherwise). Placed as the buyer through the company’s checkout (approvals, budgets, limits apply) with channel `rep_entered`, `channelRef` `<source>:<rep id>`. Requires `Idempotency-Key`: the same key and body answer the same order, another body is a 422.',
      ok: CheckoutOutcome,
      status: 201,
      errors: {
        403: 'The company does not let its rep place orders',
        422: 'Unknown buyer, lines that cannot be ordered, checkout problems, or a reused key',
      },
    }),
    requirePermission('orders.assist'),
    validBody(EnteredOrderBody),
    async (c) => {
      const key = idempotencyKey(c, 'An entered order');
      const { checkout, ...order } = c.req.valid('json');
      const outcome = await enterOrder(scopeOf(c), objectOf(c), actorOf(c), key, {
        ...order,
        input: checkout,
      });
      c.header('location', `/v1/orders/${outcome.orderId}`);
      return c.json(asSeenBy(c.var.principal, outcome), 201);
    },
  )
  .get(
    '/carts',
    doc({
      tags,
      summary: 'The company’s carts, or one user’s (read only; only when the company shares them)',
      description: 'Answers 403 unless the company’s setting `repSeesCarts` is on.',
      ok: v.object({ items: v.array(CartSummary) }),
    }),
    requirePermission('orders.assist'),
    validQuery(CartsQuery),
    async (c) => {
      await cartsVisible(c);
      const items = await objectOf(c).allCarts(c.req.valid('query').userId ?? null);
      return c.json({ items });
    },
  )
  .get(
    '/carts/:id',
    doc({
      tags,
      summary: 'One cart of the company, priced (read only; only when the company shares them)',
      ok: Cart,
    }),
    requirePermission('orders.assist'),
    validParams(IdParam),
    async (c) => {
      await cartsVisible(c);
      const cart = unwrap(await objectOf(c).anyCart(c.req.valid('param').id, c.var.services.now()));
      return c.json(asSeenBy(c.var.principal, cart));
    },
  );

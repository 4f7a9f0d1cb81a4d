import { Hono, type MiddlewareHandler } from 'hono';
import * as v from 'valibot';
import { AppError } from '../domain/errors';
import { companyObject, type ObjectResult, unwrap } from '../durable/client';
import type { AppContext, AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { asSeenBy } from '../http/prices-visibility';
import { validBody, validParams } from '../http/validate';
import { unavailableLines, unseenLines } from '../services/assortment-answers';
import type { PricedCart } from '../services/cart-pricing';
import { customerViewOf } from '../services/catalog-view';
import { customerEntries } from '../services/pricing/entries';
import { Cart, CartSummary } from './cart-schemas';
import {
  CartIdSchema,
  CartParam,
  IdSchema,
  NameSchema,
  NotedLineSchema,
  NoteSchema,
  patchOf,
  QuantitySchema,
} from './schemas';

const tags = ['Carts'];
const LineParam = v.strictObject({ id: CartIdSchema, lineId: IdSchema });
const NewCart = v.strictObject({
  name: NameSchema,
  shared: v.optional(v.boolean(), false),
  copyFrom: v.optional(CartIdSchema),
});
const CartPatch = patchOf({ name: NameSchema, shared: v.boolean() });
const NewLines = v.strictObject({
  lines: v.pipe(
    v.array(NotedLineSchema),
    v.minLength(1, 'send at least one line'),
    v.maxLength(1_000, 'at most 1,000 lines per call'),
  ),
  /** `all` (default): every line or none; `partial`: what can be added is, each refused line is reported */
  mode: v.optional(v.picklist(['all', 'partial']), 'all'),
});
const LinePatch = patchOf({ quantity: QuantitySchema, note: v.nullable(NoteSchema) });
const Refused = v.object({
  index: v.number(),
  sku: v.string(),
  code: v.picklist(['unknown_sku', 'not_available', 'cart_limit']),
  message: v.string(),
  salesRep: v.optional(v.nullable(v.object({ name: v.string(), email: v.string() }))),
});

/** `If-Match: "7"` (or W/"7", or 7): the version the change was made against; absent or * means any. */
export function expectedVersion(c: AppContext): number | undefined {
  const header = c.req.header('if-match')?.trim();
  if (!header || header === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,12})"?$/.exec(header);
  if (!match) {
    throw new AppError('validation_failed', 'If-Match must name a cart version', [
      { path: 'if-match', message: 'a version such as "3", from the ETag of the cart' },
    ]);
  }
  return Number(match[1]);
}

/**
 * What every cart route works with. The company's object answers carts priced (durable/cart-pricer.ts) and
 * resolves `current` itself: one call per request.
 */
function context(c: AppContext) {
  const { services, principal } = c.var;
  const carts = companyObject(c.env, scopeOf(c));
  const userId = principal.id;
  const actor = { userId, isAdmin: principal.permissions.has('users.manage') };
  const answer = (result: ObjectResult<PricedCart>, status: 200 | 201 = 200) => {
    const cart = unwrap(result);
    c.header('etag', `"${cart.version}"`);
    return c.json(asSeenBy(principal, cart), status);
  };
  return { carts, userId, actor, now: services.now(), answer };
}

/**
 * `mode: partial`: the lines the customer cannot see are told apart (unknown, or outside the assortment
 * with whom to ask) and the rest goes to the object in one step, which adds what fits and says what not.
 */
async function addPartially(c: AppContext, cartId: string, lines: v.InferOutput<typeof NewLines>['lines']) {
  const { carts, userId, now } = context(c);
  const deps = c.var.services.pricing;
  const view = await customerViewOf(deps, scopeOf(c).companyId, now);
  const seen = await customerEntries(
    deps,
    view.fingerprint,
    lines.map((l) => l.sku),
    now,
  );
  const unseen = await unseenLines(deps.db, view.companyId, lines, seen.entries);
  const kept = lines.flatMap((line, index) => (unseen.has(index) ? [] : [{ line, index }]));
  const added = unwrap(
    await carts.addCartLinesPartially(
      userId,
      cartId,
      expectedVersion(c),
      kept.map((k) => k.line),
      now,
    ),
  );
  const refused = [
    ...[...unseen].map(([index, why]) => ({ index, sku: lines[index]?.sku ?? '', ...why })),
    ...added.refused.map((r) => {
      const index = kept[r.index]?.index ?? r.index;
      return { index, sku: lines[index]?.sku ?? '', code: r.code, message: r.message };
    }),
  ].sort((a, b) => a.index - b.index);
  c.header('etag', `"${added.cart.version}"`);
  return c.json(asSeenBy(c.var.principal, { ...added.cart, refused }), 200);
}

// Each route states its permission: checkout routes share the /carts prefix (routes/checkout.ts), and a
// prefix-wide middleware here would ask them for cart.manage too. The tenant scope is set in app.ts.
const manageCarts = requirePermission('cart.manage');
// a punch-out `inspect` session reads its own cart without cart.manage (punchoutConfined keeps it there)
const viewCart: MiddlewareHandler<AppEnv> = (c, next) =>
  c.var.principal.punchout?.readOnly && c.var.principal.punchout.cartId === c.req.param('id')
    ? next()
    : manageCarts(c, next);

export const cartRoutes = new Hono<AppEnv>()
  .get(
    '/',
    doc({
      tags,
      summary: 'My carts and the carts shared with my company',
      ok: v.object({ items: v.array(CartSummary) }),
    }),
    manageCarts,
    async (c) => {
      const { carts, userId } = context(c);
      return c.json({ items: await carts.listCarts(userId) });
    },
  )
  .post(
    '/',
    doc({
      tags,
      summary: 'Save a named cart (empty, or a copy of another)',
      ok: Cart,
      status: 201,
      errors: { 422: 'The cart to copy does not exist' },
    }),
    manageCarts,
    validBody(NewCart),
    async (c) => {
      const { carts, userId, now, answer } = context(c);
      const { name, shared, copyFrom } = c.req.valid('json');
      return answer(await carts.createCart(userId, { name, shared, copyFrom }, now), 201);
    },
  )
  .get(
    '/:id',
    doc({ tags, summary: 'A cart, priced for my company (`current`: my current cart)', ok: Cart }),
    viewCart,
    validParams(CartParam),
    async (c) => {
      const { carts, userId, now, answer } = context(c);
      return answer(await carts.getCart(userId, c.req.valid('param').id, now));
    },
  )
  .patch(
    '/:id',
    doc({
      tags,
      summary: 'Rename or share a saved cart (its owner or a company admin)',
      ok: Cart,
      errors: { 409: 'Stale If-Match' },
    }),
    manageCarts,
    validParams(CartParam),
    validBody(CartPatch),
    async (c) => {
      const { carts, actor, now, answer } = context(c);
      const { id } = c.req.valid('param');
      return answer(await carts.updateCart(actor, id, expectedVersion(c), c.req.valid('json'), now));
    },
  )
  .delete(
    '/:id',
    doc({
      tags,
      summary: 'Delete a cart (its owner or a company admin)',
      status: 204,
      errors: { 403: 'Not the owner nor a company admin', 409: 'Stale If-Match' },
    }),
    manageCarts,
    validParams(CartParam),
    async (c) => {
      const { carts, actor } = context(c);
      unwrap(await carts.deleteCart(actor, c.req.valid('param').id, expectedVersion(c)));
      return c.body(null, 204);
    },
  )
  .post(
    '/:id/lines',
    doc({
      tags,
      summary: 'Add one or many lines (a SKU already in the cart adds up); `mode: partial` adds what it can',
      description:
        'By default every line is added or none (422 naming each refused line). With `mode: "partial"` the lines that can be added are, and the answer lists each refused line under `refused` (its index, SKU, code and message): unknown SKU, not in the assortment (with the sales rep), or over the cart limits.',
      ok: v.object({ ...Cart.entries, refused: v.optional(v.array(Refused)) }),
      errors: { 409: 'Stale If-Match', 422: 'Unknown SKUs, or the cart would exceed its limits' },
    }),
    manageCarts,
    validParams(CartParam),
    validBody(NewLines),
    async (c) => {
      const { carts, userId, now, answer } = context(c);
      const { lines, mode } = c.req.valid('json');
      const { id } = c.req.valid('param');
      if (mode === 'partial') return addPartially(c, id, lines);
      // an exact reference outside the assortment is refused with whom to ask, not as an unknown SKU
      const deps = c.var.services.pricing;
      const view = await customerViewOf(deps, scopeOf(c).companyId, now);
      const seen = await customerEntries(
        deps,
        view.fingerprint,
        lines.map((l) => l.sku),
        now,
      );
      const refused = await unavailableLines(deps.db, view.companyId, lines, seen.entries);
      if (refused.length > 0)
        throw new AppError('unprocessable', 'Some lines name products you cannot order', refused);
      return answer(await carts.addCartLines(userId, id, expectedVersion(c), lines, now));
    },
  )
  .patch(
    '/:id/lines/:lineId',
    doc({
      tags,
      summary: 'Change the quantity or the note of a line',
      ok: Cart,
      errors: { 409: 'Stale If-Match' },
    }),
    manageCarts,
    validParams(LineParam),
    validBody(LinePatch),
    async (c) => {
      const { carts, userId, now, answer } = context(c);
      const { id, lineId } = c.req.valid('param');
      return answer(
        await carts.updateCartLine(userId, id, lineId, expectedVersion(c), c.req.valid('json'), now),
      );
    },
  )
  .delete(
    '/:id/lines/:lineId',
    doc({ tags, summary: 'Remove a line', ok: Cart, errors: { 409: 'Stale If-Match' } }),
    manageCarts,
    validParams(LineParam),
    async (c) => {
      const { carts, userId, now, answer } = context(c);
      const { id, lineId } = c.req.valid('param');
      return answer(await carts.deleteCartLine(userId, id, lineId, expectedVersion(c), now));
    },
  );

import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import * as v from 'valibot';
import { AppError } from '../domain/errors';
import { MAX_QUANTITY } from '../domain/pricing/engine';
import type { AppContext, AppEnv } from '../http/context';
import { companyScoped, requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { onInvalid } from '../http/validate';
import { unavailableLines } from '../services/assortment-answers';
import { pricedCart } from '../services/cart-pricing';
import { cartsOf, unwrap } from '../services/carts';
import { customerViewOf } from '../services/catalog-view';
import { customerEntries } from '../services/pricing/entries';
import { Cart, CartSummary } from './cart-schemas';
import { IdSchema, NameSchema, text } from './schemas';

const tags = ['Carts'];
const Quantity = v.pipe(
  v.number('a number'),
  v.integer('a whole number of units'),
  v.minValue(1, 'at least 1'),
  v.maxValue(MAX_QUANTITY, `at most ${MAX_QUANTITY.toLocaleString('en')}`),
);
const Sku = text({ max: 64 });
const CartParam = v.strictObject({ id: v.union([v.literal('current'), IdSchema]) });
const LineParam = v.strictObject({ id: v.union([v.literal('current'), IdSchema]), lineId: IdSchema });
const NewCart = v.strictObject({
  name: NameSchema,
  shared: v.optional(v.boolean(), false),
  copyFrom: v.optional(v.union([v.literal('current'), IdSchema])),
});
const CartPatch = v.pipe(
  v.strictObject({ name: v.optional(NameSchema), shared: v.optional(v.boolean()) }),
  v.check((o) => Object.keys(o).length > 0, 'send at least one field to change'),
);
const NewLines = v.strictObject({
  lines: v.pipe(
    v.array(v.strictObject({ sku: Sku, quantity: Quantity })),
    v.minLength(1, 'send at least one line'),
    v.maxLength(1_000, 'at most 1,000 lines per call'),
  ),
});
const LinePatch = v.strictObject({ quantity: Quantity });

/** `If-Match: "7"` (or W/"7", or 7): the version the change was made against; absent or * means any. */
function expectedVersion(c: AppContext): number | undefined {
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

async function context(c: AppContext) {
  const { services, principal } = c.var;
  const scope = scopeOf(c);
  const carts = cartsOf(c.env, { scope, userId: principal.id });
  const now = services.now();
  const view = await customerViewOf(services.pricing, scope.companyId, now);
  /** 'current' names the user's current cart, created on first use */
  const idOf = async (id: string) =>
    id === 'current' ? (await carts.stub.currentCart(carts.companyId, carts.userId)).id : id;
  const answer = async (cart: Parameters<typeof pricedCart>[2], status: 200 | 201 = 200) => {
    c.header('etag', `"${cart.version}"`);
    return c.json(await pricedCart(services.pricing, view, cart, now), status);
  };
  return { carts, view, now, idOf, answer, deps: services.pricing };
}

export const cartRoutes = new Hono<AppEnv>()
  .use(companyScoped)
  .use(requirePermission('cart.manage'))
  .get(
    '/',
    doc({
      tags,
      summary: 'My carts and the carts shared with my company',
      ok: v.object({ items: v.array(CartSummary) }),
    }),
    async (c) => {
      const { carts } = await context(c);
      return c.json({ items: await carts.stub.listCarts(carts.companyId, carts.userId) });
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
    validator('json', NewCart, onInvalid),
    async (c) => {
      const { carts, idOf, answer } = await context(c);
      const body = c.req.valid('json');
      const copyFrom = body.copyFrom ? await idOf(body.copyFrom) : undefined;
      const created = unwrap(
        await carts.stub.createCart(carts.companyId, carts.userId, {
          name: body.name,
          shared: body.shared,
          copyFrom,
        }),
      );
      return answer(created, 201);
    },
  )
  .get(
    '/:id',
    doc({ tags, summary: 'A cart, priced for my company (`current`: my current cart)', ok: Cart }),
    validator('param', CartParam, onInvalid),
    async (c) => {
      const { carts, idOf, answer } = await context(c);
      const id = await idOf(c.req.valid('param').id);
      return answer(unwrap(await carts.stub.getCart(carts.companyId, carts.userId, id)));
    },
  )
  .patch(
    '/:id',
    doc({
      tags,
      summary: 'Rename or share a saved cart',
      ok: Cart,
      errors: { 409: 'Stale If-Match, or not the owner' },
    }),
    validator('param', CartParam, onInvalid),
    validator('json', CartPatch, onInvalid),
    async (c) => {
      const { carts, idOf, answer } = await context(c);
      const id = await idOf(c.req.valid('param').id);
      const changes = c.req.valid('json');
      return answer(
        unwrap(await carts.stub.updateCart(carts.companyId, carts.userId, id, expectedVersion(c), changes)),
      );
    },
  )
  .delete(
    '/:id',
    doc({ tags, summary: 'Delete a cart', status: 204, errors: { 409: 'Stale If-Match, or not the owner' } }),
    validator('param', CartParam, onInvalid),
    async (c) => {
      const { carts, idOf } = await context(c);
      const id = await idOf(c.req.valid('param').id);
      unwrap(await carts.stub.deleteCart(carts.companyId, carts.userId, id, expectedVersion(c)));
      return c.body(null, 204);
    },
  )
  .post(
    '/:id/lines',
    doc({
      tags,
      summary: 'Add one or many lines (a SKU already in the cart adds up)',
      ok: Cart,
      errors: { 409: 'Stale If-Match', 422: 'Unknown SKUs, or the cart would exceed its limits' },
    }),
    validator('param', CartParam, onInvalid),
    validator('json', NewLines, onInvalid),
    async (c) => {
      const { carts, idOf, answer, deps, view, now } = await context(c);
      const { lines } = c.req.valid('json');
      const seen = await customerEntries(
        deps,
        view.fingerprint,
        lines.map((l) => l.sku),
        now,
      );
      const refused = await unavailableLines(deps.db, view.companyId, lines, seen.entries);
      if (refused.length > 0)
        throw new AppError('unprocessable', 'Some lines name products you cannot order', refused);
      const id = await idOf(c.req.valid('param').id);
      return answer(
        unwrap(await carts.stub.addCartLines(carts.companyId, carts.userId, id, expectedVersion(c), lines)),
      );
    },
  )
  .patch(
    '/:id/lines/:lineId',
    doc({ tags, summary: 'Change the quantity of a line', ok: Cart, errors: { 409: 'Stale If-Match' } }),
    validator('param', LineParam, onInvalid),
    validator('json', LinePatch, onInvalid),
    async (c) => {
      const { carts, idOf, answer } = await context(c);
      const param = c.req.valid('param');
      const id = await idOf(param.id);
      const { quantity } = c.req.valid('json');
      return answer(
        unwrap(
          await carts.stub.updateCartLine(
            carts.companyId,
            carts.userId,
            id,
            param.lineId,
            expectedVersion(c),
            quantity,
          ),
        ),
      );
    },
  )
  .delete(
    '/:id/lines/:lineId',
    doc({ tags, summary: 'Remove a line', ok: Cart, errors: { 409: 'Stale If-Match' } }),
    validator('param', LineParam, onInvalid),
    async (c) => {
      const { carts, idOf, answer } = await context(c);
      const param = c.req.valid('param');
      const id = await idOf(param.id);
      return answer(
        unwrap(
          await carts.stub.deleteCartLine(
            carts.companyId,
            carts.userId,
            id,
            param.lineId,
            expectedVersion(c),
          ),
        ),
      );
    },
  );

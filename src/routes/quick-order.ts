import { Hono } from 'hono';
import { readQuantity } from '../domain/quick-order/quantity';
import { companyObject } from '../durable/client';
import { actorOf } from '../http/actor';
import type { AppContext, AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { asSeenBy } from '../http/prices-visibility';
import { validBody } from '../http/validate';
import { addResolvedLines, type CartOrigin } from '../services/quick-order/add-to-cart';
import { type LineRequest, MAX_RESOLVE_LINES, resolveLines } from '../services/quick-order/resolve';
import { expectedVersion } from './carts';
import { PastedText, readOrderLines, whenJson } from './order-input';
import { AddedToCart, QuickOrderLines, Resolution } from './quick-order-schemas';

const tags = ['Quick order and lists'];

/** Adds lines to a cart through the company's object, with the outcome of each (shared by lists and reorder). */
export async function addToCart(
  c: AppContext,
  input: {
    cartId: string;
    lines: readonly LineRequest[];
    acceptReplacements: boolean;
    source: string;
    origin: CartOrigin;
  },
) {
  const scope = scopeOf(c);
  const added = await addResolvedLines({
    deps: c.var.services.pricing,
    object: companyObject(c.env, scope),
    companyId: scope.companyId,
    actor: actorOf(c),
    cartId: input.cartId,
    expected: expectedVersion(c),
    lines: input.lines,
    acceptReplacements: input.acceptReplacements,
    source: input.source,
    origin: input.origin,
  });
  c.header('etag', `"${added.cart.version}"`);
  return c.json(asSeenBy(c.var.principal, added), 200);
}

export const quickOrderRoutes = new Hono<AppEnv>()
  .post(
    '/resolve',
    doc({
      tags,
      summary: 'Resolve a pasted or uploaded order list, line by line (nothing is added to a cart)',
      description:
        'Takes `text/plain` or `text/csv` (lines copied from a spreadsheet, CSV with commas or semicolons, "SKU qty", "qty x SKU", "SKU;qty;note", JSON lines), JSON `{ "text": … }`, or `multipart/form-data` with a CSV or XLSX `file`; up to 1,000 lines and 2 MiB. Every line comes back in input order with its line number, original text and exactly one outcome: `ok`, `adjusted` (quantity moved to the nearest valid one, with the rules), `replaced` (obsolete, with its replacement priced), `unknown` (up to 3 close matches the company can see), `not_available` (with the sales rep), `not_orderable` (why), `short_stock` (available now, next date), `merged` (added to an earlier line). See docs/quick-order.md.',
      ok: Resolution,
      errors: {
        413: 'More than 1,000 lines, or more than 2 MiB',
        415: 'Not text, CSV, JSON or multipart',
      },
    }),
    requirePermission('catalog.view'),
    whenJson(PastedText),
    async (c) => {
      const raw = await readOrderLines(c, MAX_RESOLVE_LINES);
      const lines: LineRequest[] = raw.map((l) => ({
        line: l.line,
        text: l.text,
        reference: l.reference,
        quantity: readQuantity(l.quantity),
        note: l.note,
      }));
      const { services } = c.var;
      const resolved = await resolveLines(services.pricing, scopeOf(c).companyId, lines, services.now());
      return c.json(asSeenBy(c.var.principal, resolved), 200);
    },
  )
  .post(
    '/add-to-cart',
    doc({
      tags,
      summary: 'Add the accepted lines of a quick order to a cart, in one step',
      description:
        'Each line (a SKU — a chosen close match or replacement — or the company’s part number, a quantity and an optional note) is resolved again and added when its outcome is `ok`, `adjusted` (at the nearest valid quantity) or `short_stock`; every other line is reported and not added. `If-Match` applies to the cart.',
      ok: AddedToCart,
      errors: { 409: 'Stale If-Match, or the cart is being checked out' },
    }),
    requirePermission('cart.manage'),
    validBody(QuickOrderLines),
    async (c) => {
      const body = c.req.valid('json');
      const lines: LineRequest[] = body.lines.map((l, i) => ({
        line: l.line ?? i + 1,
        text: `${l.sku} ${l.quantity}`,
        reference: l.sku,
        quantity: { kind: 'value', value: l.quantity },
        note: l.note ?? null,
      }));
      return addToCart(c, {
        cartId: body.cartId,
        lines,
        acceptReplacements: false,
        source: 'quick order',
        origin: 'quick_order',
      });
    },
  );

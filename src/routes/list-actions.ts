import { Hono } from 'hono';
import * as v from 'valibot';
import { itemsOf } from '../db/queries/lists';
import { AppError } from '../domain/errors';
import { readQuantity } from '../domain/quick-order/quantity';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { asSeenBy } from '../http/prices-visibility';
import { validBody, validParams } from '../http/validate';
import { MAX_LIST_ITEMS, putItems, visibleList, writableList } from '../services/lists';
import { type LineRequest, resolveLines } from '../services/quick-order/resolve';
import { ListToCart } from './list-schemas';
import { PastedText, readOrderLines, whenJson } from './order-input';
import { addToCart } from './quick-order';
import { AddedToCart, ResolvedLine, Summary } from './quick-order-schemas';
import { IdParam } from './schemas';

const tags = ['Quick order and lists'];

/** A CSV field, quoted when it must be; a leading =, +, - or @ is defused (spreadsheets run those as formulas). */
const csvField = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",;\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

export const listActionRoutes = new Hono<AppEnv>()
  .post(
    '/:id/add-to-cart',
    doc({
      tags,
      summary:
        'Add a list (all or chosen items, quantities for this time) to a cart, with the outcome of each item',
      description:
        'Each item is resolved now, as a quick-order line: `ok`, `adjusted` (added at the nearest valid quantity) and `short_stock` are added; `replaced` (obsolete) is offered with its replacement and added only with `acceptReplacements: true`; the rest is reported. The list is not changed.',
      ok: AddedToCart,
      errors: { 409: 'Stale If-Match, or the cart is being checked out', 422: 'An item id not in this list' },
    }),
    requirePermission('cart.manage'),
    validParams(IdParam),
    validBody(ListToCart),
    async (c) => {
      const list = await visibleList(scopeOf(c), c.var.principal, c.req.valid('param').id);
      const body = c.req.valid('json');
      const items = await itemsOf(c.var.services.db, list.id);
      const known = new Set(items.map((i) => i.id));
      const unknown = [
        ...(body.itemIds ?? []).map((id, i) => ({ id, path: `itemIds.${i}` })),
        ...(body.quantities ?? []).map((q, i) => ({ id: q.itemId, path: `quantities.${i}.itemId` })),
      ].filter((x) => !known.has(x.id));
      if (unknown.length > 0)
        throw new AppError(
          'unprocessable',
          'Some items are not in this list',
          unknown.map((u) => ({ path: u.path, message: 'not an item of this list' })),
        );
      const chosen = body.itemIds ? new Set(body.itemIds) : null;
      const quantity = new Map((body.quantities ?? []).map((q) => [q.itemId, q.quantity]));
      const lines: LineRequest[] = items
        .filter((item) => !chosen || chosen.has(item.id))
        .map((item) => ({
          line: item.position,
          text: `${item.sku} ${quantity.get(item.id) ?? item.quantity}`,
          reference: item.sku,
          quantity: { kind: 'value', value: quantity.get(item.id) ?? item.quantity },
          note: item.note,
        }));
      return addToCart(c, {
        cartId: body.cartId,
        lines,
        acceptReplacements: body.acceptReplacements,
        source: `list ${list.id}`,
        origin: 'list',
      });
    },
  )
  .get(
    '/:id/export',
    doc({
      tags,
      summary: 'A list as CSV (sku;quantity;note), ready to import again or to paste in quick order',
    }),
    requirePermission('catalog.view'),
    validParams(IdParam),
    async (c) => {
      const list = await visibleList(scopeOf(c), c.var.principal, c.req.valid('param').id);
      const items = await itemsOf(c.var.services.db, list.id);
      const rows = [
        'sku;quantity;note',
        ...items.map((i) => [i.sku, i.quantity, i.note].map(csvField).join(';')),
      ];
      const filename = `${list.name.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'list'}.csv`;
      return c.body(`${rows.join('\r\n')}\r\n`, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
      });
    },
  )
  .post(
    '/:id/import',
    doc({
      tags,
      summary: 'Import items from a paste, a CSV or an XLSX file, with the outcome of each line',
      description:
        'Takes what quick order takes. Lines resolving to `ok`, `adjusted` (at the nearest valid quantity) or `short_stock` become items (a SKU already in the list takes the new quantity); every other line is reported and left out.',
      ok: v.object({
        summary: v.object({ ...Summary.entries, added: v.number() }),
        lines: v.array(v.object({ ...ResolvedLine.entries, added: v.boolean() })),
      }),
      errors: { 413: 'More than 1,000 lines, or more than 2 MiB', 415: 'Not text, CSV, JSON or multipart' },
    }),
    requirePermission('cart.manage'),
    validParams(IdParam),
    whenJson(PastedText),
    async (c) => {
      const list = await writableList(scopeOf(c), c.var.principal, c.req.valid('param').id);
      const raw = await readOrderLines(c, MAX_LIST_ITEMS);
      const requests: LineRequest[] = raw.map((l) => ({ ...l, quantity: readQuantity(l.quantity) }));
      const { services } = c.var;
      const resolved = await resolveLines(services.pricing, scopeOf(c).companyId, requests, services.now());
      const kept = resolved.lines.filter(
        (l) => (l.outcome === 'ok' || l.outcome === 'adjusted' || l.outcome === 'short_stock') && l.sku,
      );
      const items = kept.map((l) => ({ sku: l.sku ?? '', quantity: l.quantity ?? 1, note: l.note }));
      if (items.length > 0)
        await putItems(scopeOf(c), services.pricing, actorOf(c), list, items, false, ' from an import');
      const added = new Set(kept.map((l) => l.line));
      const lines = resolved.lines.map((l) => ({
        ...l,
        added: added.has(l.line) || (l.mergedInto !== undefined && added.has(l.mergedInto)),
      }));
      return c.json(
        asSeenBy(c.var.principal, { summary: { ...resolved.summary, added: items.length }, lines }),
      );
    },
  );

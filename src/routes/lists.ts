import { Hono } from 'hono';
import * as v from 'valibot';
import { itemsOf, listsVisibleTo } from '../db/queries/lists';
import { forbidden } from '../domain/errors';
import { companyObject, unwrap } from '../durable/client';
import { actorOf } from '../http/actor';
import type { AppContext, AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { validBody, validParams, validQuery } from '../http/validate';
import {
  changeItem,
  createList,
  deleteList,
  type ItemInput,
  putItems,
  updateList,
  visibleList,
  writableList,
} from '../services/lists';
import {
  ItemParam,
  ItemPatch,
  ItemsBody,
  List,
  ListPatch,
  ListQuery,
  ListSummary,
  NewList,
} from './list-schemas';
import { readableOrder } from './order-access';
import { IdParam } from './schemas';

const tags = ['Quick order and lists'];
const read = requirePermission('catalog.view');
// a private list is a shopping aid of whoever fills carts; sharing one with the company needs lists.manage
const keep = requirePermission('cart.manage');

/** A list with its items, as every list route answers it. */
async function answer(c: AppContext, id: string, status: 200 | 201 = 200) {
  const { companyId: _c, ...list } = await visibleList(scopeOf(c), c.var.principal, id);
  const items = (await itemsOf(c.var.services.db, id)).map(({ listId: _l, ...item }) => item);
  return c.json({ ...list, items }, status);
}

/** The lines a new list starts with: given, copied from a cart the caller sees, or from an order they read. */
async function startingItems(
  c: AppContext,
  body: v.InferOutput<typeof NewList>,
): Promise<[ItemInput[], string]> {
  if (body.fromCart) {
    const cart = unwrap(
      await companyObject(c.env, scopeOf(c)).getCart(c.var.principal.id, body.fromCart, c.var.services.now()),
    );
    return [
      cart.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, note: l.note })),
      ` from cart ${cart.id}`,
    ];
  }
  if (body.fromOrder) {
    const { order, lines } = await readableOrder(c, body.fromOrder);
    return [
      lines.map((l) => ({ sku: l.sku, quantity: l.quantity, note: l.note })),
      ` from order ${order.id}`,
    ];
  }
  return [body.items ?? [], ''];
}

export const listRoutes = new Hono<AppEnv>()
  .get(
    '/',
    doc({
      tags,
      summary: 'My lists and the lists shared with my company',
      ok: v.object({ items: v.array(ListSummary) }),
    }),
    read,
    validQuery(ListQuery),
    async (c) => {
      const rows = await listsVisibleTo(scopeOf(c), c.var.principal.id, c.req.valid('query').kind);
      return c.json({ items: rows });
    },
  )
  .post(
    '/',
    doc({
      tags,
      summary: 'Create a list: empty, with items, from a cart or from a past order',
      ok: List,
      status: 201,
      errors: { 403: 'Sharing needs lists.manage', 422: 'Items the company cannot see, unknown places' },
    }),
    keep,
    validBody(NewList),
    async (c) => {
      const body = c.req.valid('json');
      const [items, origin] = await startingItems(c, body);
      const { items: _i, fromCart: _c, fromOrder: _o, ...fields } = body;
      const id = await createList(scopeOf(c), c.var.services.pricing, actorOf(c), fields, items, origin);
      return answer(c, id, 201);
    },
  )
  .get(
    '/:id',
    doc({ tags, summary: 'A list with its items', ok: List }),
    read,
    validParams(IdParam),
    async (c) => answer(c, c.req.valid('param').id),
  )
  .patch(
    '/:id',
    doc({ tags, summary: 'Rename, share or unshare a list, set its note, ship-to or cost center', ok: List }),
    keep,
    validParams(IdParam),
    validBody(ListPatch),
    async (c) => {
      const list = await writableList(scopeOf(c), c.var.principal, c.req.valid('param').id);
      await updateList(scopeOf(c), actorOf(c), list, c.req.valid('json'));
      return answer(c, list.id);
    },
  )
  .delete(
    '/:id',
    doc({ tags, summary: 'Delete a list', status: 204 }),
    keep,
    validParams(IdParam),
    async (c) => {
      const list = await writableList(scopeOf(c), c.var.principal, c.req.valid('param').id);
      if (list.ownerId !== c.var.principal.id && !c.var.principal.permissions.has('lists.manage'))
        throw forbidden('Only the owner or someone with lists.manage deletes a list');
      await deleteList(scopeOf(c), actorOf(c), list);
      return c.body(null, 204);
    },
  )
  .post(
    '/:id/items',
    doc({
      tags,
      summary: 'Add or update items in bulk (or replace them all)',
      ok: List,
      errors: { 422: 'Items the company cannot see, a SKU twice, over 1,000 items' },
    }),
    keep,
    validParams(IdParam),
    validBody(ItemsBody),
    async (c) => {
      const list = await writableList(scopeOf(c), c.var.principal, c.req.valid('param').id);
      const { items, replace } = c.req.valid('json');
      await putItems(scopeOf(c), c.var.services.pricing, actorOf(c), list, items, replace);
      return answer(c, list.id);
    },
  )
  .patch(
    '/:id/items/:itemId',
    doc({ tags, summary: 'Change the default quantity or the note of an item', ok: List }),
    keep,
    validParams(ItemParam),
    validBody(ItemPatch),
    async (c) => {
      const { id, itemId } = c.req.valid('param');
      const list = await writableList(scopeOf(c), c.var.principal, id);
      await changeItem(scopeOf(c), actorOf(c), list, itemId, c.req.valid('json'));
      return answer(c, list.id);
    },
  )
  .delete(
    '/:id/items/:itemId',
    doc({ tags, summary: 'Remove an item', ok: List }),
    keep,
    validParams(ItemParam),
    async (c) => {
      const { id, itemId } = c.req.valid('param');
      const list = await writableList(scopeOf(c), c.var.principal, id);
      await changeItem(scopeOf(c), actorOf(c), list, itemId, null);
      return answer(c, list.id);
    },
  );

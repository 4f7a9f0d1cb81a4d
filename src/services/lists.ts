import { and, eq, inArray } from 'drizzle-orm';
import { runBatch } from '../db/queries/bulk';
import { getCostCenter, getSite } from '../db/queries/company-places';
import { getList, itemsOf, type ListRow, maxPosition, upsertItems } from '../db/queries/lists';
import { listItems, lists } from '../db/schema';
import type { CompanyScope } from '../db/scope';
import { AppError, forbidden, notFound } from '../domain/errors';
import type { Principal } from '../domain/principal';
import { newId } from '../lib/ids';
import { unseenLines } from './assortment-answers';
import { type Actor, auditInsert, describeChanges } from './audit';
import { customerViewOf } from './catalog-view';
import type { PricingDeps } from './pricing/deps';
import { customerEntries } from './pricing/entries';

/**
 * Saved lists: favourites and order templates. A private list is its owner's alone; a shared one is read
 * and used by everyone in the company and changed by those with `lists.manage`. Ordering from a list never
 * changes it (docs/quick-order.md#lists).
 */
export const MAX_LIST_ITEMS = 1_000;

export interface ListFields {
  name: string;
  kind?: 'favourites' | 'template';
  shared?: boolean;
  note?: string | null;
  shipToSiteId?: string | null;
  costCenterId?: string | null;
}
export interface ItemInput {
  sku: string;
  quantity: number;
  note?: string | null;
}

/** The list if this principal may see it (its owner, or shared); another company's or a colleague's private list is a 404. */
export async function visibleList(scope: CompanyScope, principal: Principal, id: string): Promise<ListRow> {
  const list = await getList(scope, id);
  if (!list || (list.ownerId !== principal.id && !list.shared)) throw notFound('List');
  return list;
}

/** A shared list is changed with lists.manage; a private one by its owner. */
export async function writableList(scope: CompanyScope, principal: Principal, id: string): Promise<ListRow> {
  const list = await visibleList(scope, principal, id);
  if (list.shared && !principal.permissions.has('lists.manage'))
    throw forbidden('Changing a shared list needs the "lists.manage" permission');
  return list;
}

async function checkPlaces(scope: CompanyScope, fields: Partial<ListFields>): Promise<void> {
  const issues = [];
  if (fields.shipToSiteId && (await getSite(scope, fields.shipToSiteId))?.status !== 'active')
    issues.push({ path: 'shipToSiteId', message: 'no such active address in your company' });
  if (fields.costCenterId && (await getCostCenter(scope, fields.costCenterId))?.status !== 'active')
    issues.push({ path: 'costCenterId', message: 'no such active cost center in your company' });
  if (issues.length > 0) throw new AppError('unprocessable', 'The list names unknown places', issues);
}

/** Items name SKUs the company sees, each once (422 naming `items.N.sku` otherwise). */
async function checkItems(deps: PricingDeps, companyId: string, items: readonly ItemInput[], now: number) {
  const issues = [];
  const firstAt = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    if (firstAt.has(item.sku))
      issues.push({ path: `items.${i}.sku`, message: `already at items.${firstAt.get(item.sku)}` });
    else firstAt.set(item.sku, i);
  }
  const view = await customerViewOf(deps, companyId, now);
  const seen = await customerEntries(
    deps,
    view.fingerprint,
    items.map((i) => i.sku),
    now,
  );
  for (const [i, why] of await unseenLines(deps.db, companyId, items, seen.entries))
    issues.push({ path: `items.${i}.sku`, message: why.message });
  if (issues.length > 0) throw new AppError('unprocessable', 'Some items cannot be in a list', issues);
}

const itemRows = (listId: string, items: readonly ItemInput[], after: number, at: number) =>
  items.map((item, i) => ({
    id: newId('item'),
    listId,
    sku: item.sku,
    quantity: item.quantity,
    note: item.note ?? null,
    position: after + i + 1,
    addedAt: at,
  }));

export async function createList(
  scope: CompanyScope,
  deps: PricingDeps,
  actor: Actor,
  fields: ListFields,
  items: readonly ItemInput[],
  origin: string,
): Promise<string> {
  if (fields.shared && !actor.principal.permissions.has('lists.manage'))
    throw forbidden('Sharing a list with the company needs the "lists.manage" permission');
  await checkPlaces(scope, fields);
  await checkItems(deps, scope.companyId, items, actor.now);
  const id = newId('lst');
  const { db, companyId } = scope;
  await runBatch(db, [
    db.insert(lists).values({
      ...fields,
      id,
      companyId,
      ownerId: actor.principal.id,
      createdAt: actor.now,
      updatedAt: actor.now,
    }),
    ...upsertItems(db, itemRows(id, items, 0, actor.now)),
    auditInsert(db, actor, {
      companyId,
      action: 'list.create',
      targetType: 'list',
      targetId: id,
      summary: `Created ${fields.shared ? 'shared' : 'private'} list "${fields.name}" with ${items.length} item(s)${origin}`,
    }),
  ]);
  return id;
}

export async function updateList(
  scope: CompanyScope,
  actor: Actor,
  list: ListRow,
  changes: Partial<ListFields>,
) {
  if (
    changes.shared !== undefined &&
    changes.shared !== list.shared &&
    !actor.principal.permissions.has('lists.manage')
  )
    throw forbidden('Sharing or unsharing a list needs the "lists.manage" permission');
  await checkPlaces(scope, changes);
  await scope.db.batch([
    scope.db
      .update(lists)
      .set({ ...changes, updatedAt: actor.now })
      .where(and(eq(lists.id, list.id), eq(lists.companyId, scope.companyId))),
    auditInsert(scope.db, actor, {
      companyId: scope.companyId,
      action: 'list.update',
      targetType: 'list',
      targetId: list.id,
      summary: `Changed ${describeChanges(changes)}`,
    }),
  ]);
}

export async function deleteList(scope: CompanyScope, actor: Actor, list: ListRow) {
  await scope.db.batch([
    scope.db.delete(listItems).where(eq(listItems.listId, list.id)),
    scope.db.delete(lists).where(and(eq(lists.id, list.id), eq(lists.companyId, scope.companyId))),
    auditInsert(scope.db, actor, {
      companyId: scope.companyId,
      action: 'list.delete',
      targetType: 'list',
      targetId: list.id,
      summary: `Deleted list "${list.name}"`,
    }),
  ]);
}

/** Adds items in bulk (a SKU already there gets the new quantity and note), or replaces them all. */
export async function putItems(
  scope: CompanyScope,
  deps: PricingDeps,
  actor: Actor,
  list: ListRow,
  items: readonly ItemInput[],
  replace: boolean,
  origin = '',
) {
  await checkItems(deps, scope.companyId, items, actor.now);
  const { db } = scope;
  const existing = replace ? [] : await itemsOf(db, list.id);
  const kept = new Set([...existing.map((i) => i.sku), ...items.map((i) => i.sku)]);
  if (kept.size > MAX_LIST_ITEMS)
    throw new AppError('unprocessable', `A list holds at most ${MAX_LIST_ITEMS} items`, [
      { path: 'items', message: `${kept.size} items` },
    ]);
  const after = replace ? 0 : await maxPosition(db, list.id);
  await runBatch(db, [
    ...(replace ? [db.delete(listItems).where(eq(listItems.listId, list.id))] : []),
    ...upsertItems(db, itemRows(list.id, items, after, actor.now)),
    db.update(lists).set({ updatedAt: actor.now }).where(eq(lists.id, list.id)),
    auditInsert(db, actor, {
      companyId: scope.companyId,
      action: replace ? 'list.items_replace' : 'list.items_add',
      targetType: 'list',
      targetId: list.id,
      summary: `${replace ? 'Replaced the items with' : 'Added or updated'} ${items.length} item(s)${origin}`,
    }),
  ]);
}

export async function changeItem(
  scope: CompanyScope,
  actor: Actor,
  list: ListRow,
  itemId: string,
  change: { quantity?: number; note?: string | null } | null,
) {
  const { db } = scope;
  const [item] = await db
    .select({ id: listItems.id, sku: listItems.sku })
    .from(listItems)
    .where(and(eq(listItems.id, itemId), eq(listItems.listId, list.id)))
    .limit(1);
  if (!item) throw notFound('List item');
  await db.batch([
    change === null
      ? db.delete(listItems).where(inArray(listItems.id, [item.id]))
      : db.update(listItems).set(change).where(eq(listItems.id, item.id)),
    db.update(lists).set({ updatedAt: actor.now }).where(eq(lists.id, list.id)),
    auditInsert(db, actor, {
      companyId: scope.companyId,
      action: change === null ? 'list.item_remove' : 'list.item_update',
      targetType: 'list',
      targetId: list.id,
      summary: change === null ? `Removed ${item.sku}` : `Changed ${item.sku}: ${describeChanges(change)}`,
    }),
  ]);
}

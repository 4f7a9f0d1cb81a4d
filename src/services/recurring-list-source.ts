import type { Database } from '../db/client';
import { getList, itemsOf } from '../db/queries/lists';
import type { RecurringSource } from '../domain/recurring-terms';

/**
 * A schedule that orders from a list reads the list at each occurrence: the company's object knows carts,
 * not lists (they live in SQL), so the list becomes the lines it holds right now before the object is asked.
 * Null when the list is gone or no longer visible to the schedule's owner (a colleague made it private).
 */
export async function linesSource(
  db: Database,
  companyId: string,
  ownerId: string,
  source: RecurringSource,
): Promise<RecurringSource | null> {
  if (source.kind !== 'list') return source;
  const list = await getList({ db, companyId }, source.listId);
  if (!list || (list.ownerId !== ownerId && !list.shared)) return null;
  const items = await itemsOf(db, list.id);
  return { kind: 'lines', lines: items.map((i) => ({ sku: i.sku, quantity: i.quantity })) };
}

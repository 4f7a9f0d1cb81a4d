import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { packsOf } from '../../db/queries/recurring';
import { punchoutOrderRequests, sites } from '../../db/schema';
import type { OrderRequestDocument } from '../../domain/punchout/order-request';
import { newId } from '../../lib/ids';

/**
 * What the OrderRequest service keeps and reads in SQL: one row per answered document (by payloadID, and
 * findable by the buyer's orderID), the company's ship-to sites, and our units of measure.
 */
export type OrderRequestRow = typeof punchoutOrderRequests.$inferSelect;

export async function requestByPayload(
  db: Database,
  partnerId: string,
  payloadId: string,
): Promise<OrderRequestRow | undefined> {
  const [row] = await db
    .select()
    .from(punchoutOrderRequests)
    .where(
      and(eq(punchoutOrderRequests.partnerId, partnerId), eq(punchoutOrderRequests.payloadId, payloadId)),
    )
    .limit(1);
  return row;
}

/** The first accepted `new` request of the buyer's order id: the order it placed. */
export async function firstNewRequest(
  db: Database,
  partnerId: string,
  buyerOrderId: string,
): Promise<OrderRequestRow | undefined> {
  const [row] = await db
    .select()
    .from(punchoutOrderRequests)
    .where(
      and(
        eq(punchoutOrderRequests.partnerId, partnerId),
        eq(punchoutOrderRequests.buyerOrderId, buyerOrderId),
        eq(punchoutOrderRequests.requestType, 'new'),
      ),
    )
    .orderBy(asc(punchoutOrderRequests.createdAt))
    .limit(1);
  return row;
}

/**
 * Keeps the answer of a document; a document answered meanwhile by a racing request keeps its answer, and
 * that answer is returned so both callers say the same.
 */
export async function keepAnswer(
  db: Database,
  row: Omit<OrderRequestRow, 'id' | 'createdAt'> & { createdAt: number },
): Promise<OrderRequestRow> {
  const inserted = await db
    .insert(punchoutOrderRequests)
    .values({ ...row, id: newId('por') })
    .onConflictDoNothing()
    .returning();
  const kept = inserted[0] ?? (await requestByPayload(db, row.partnerId, row.payloadId));
  if (!kept) throw new Error('the order request answer was neither written nor found');
  return kept;
}

/** The company's active site the ShipTo names (our id or the ERP's address id), else its default ship-to. */
export async function shipToSite(
  db: Database,
  companyId: string,
  addressId: string | null,
): Promise<{ siteId: string | null; matched: boolean }> {
  const rows = await db
    .select({ id: sites.id, erpAddressId: sites.erpAddressId, isDefault: sites.isDefaultShipTo })
    .from(sites)
    .where(and(eq(sites.companyId, companyId), eq(sites.status, 'active')));
  const named = addressId ? rows.find((s) => s.id === addressId || s.erpAddressId === addressId) : undefined;
  if (named) return { siteId: named.id, matched: true };
  return { siteId: rows.find((s) => s.isDefault)?.id ?? null, matched: false };
}

/** Our unit of measure per SKU (unknown SKUs are absent). */
export async function unitsOf(db: Database, skus: readonly string[]): Promise<Map<string, string>> {
  const packs = await packsOf(db, skus);
  return new Map([...packs].map(([sku, p]) => [sku, p.unit]));
}

/** SHA-256 of the business content of an OrderRequest: what a repeat of the same order must say again. */
export async function orderFingerprint(doc: OrderRequestDocument): Promise<string> {
  const content = JSON.stringify([
    doc.orderId,
    doc.type,
    doc.total.currency,
    doc.total.amount,
    doc.shipToAddressId,
    doc.comments,
    doc.requestedDeliveryDate,
    doc.person.email?.toLowerCase() ?? null,
    doc.lines.map((l) => [l.lineNumber, l.sku, l.quantity, l.unitPrice.currency, l.unitPrice.minor, l.unit]),
  ]);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(content));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

import { and, asc, eq, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client';
import { companies, costCenters, orderLines, orders, sites } from '../db/schema';

/**
 * The order as the ERP receives it (`POST {ERP_BASE_URL}/orders`, docs/erp.md): who ordered (the ERP's
 * customer number), the buyer's references, where it goes (the ship-to with the ERP's address id), how,
 * and every line with the price and the rule that made it. Money in integer minor units of `currency`.
 */
export interface ErpOrderDocument {
  orderId: string;
  customer: { companyId: string; erpCustomerNumber: string | null; name: string };
  poNumber: string | null;
  reference: string | null;
  shipTo: {
    siteId: string;
    erpAddressId: string | null;
    name: string;
    line1: string;
    line2: string | null;
    postalCode: string;
    city: string;
    region: string | null;
    country: string;
  };
  costCenter: { id: string; code: string } | null;
  delivery: { mode: string; requestedDate: string | null; instructions: string | null };
  channel: string;
  channelRef: string | null;
  placedBy: string;
  placedAt: string;
  currency: string;
  subtotalMinor: number;
  discountMinor: number;
  totalMinor: number;
  offers: { offerId: string; name: string; discountMinor: number }[];
  lines: {
    lineNo: number;
    sku: string;
    quantity: number;
    unitMinor: number;
    listMinor: number | null;
    lineTotalMinor: number;
    tierMinQuantity: number;
    ruleId: string | null;
    ruleIds: string[];
  }[];
}

/**
 * The document of a placed order, read in one batch; undefined when the order is not there. One table per
 * query (found through the order's columns in SQL): D1 maps joined columns by name, and these tables share
 * `id`, `name` and `status`.
 */
export async function orderDocument(db: Database, orderId: string): Promise<ErpOrderDocument | undefined> {
  const ofOrder = <C extends SQLiteColumn>(column: C) =>
    sql`(SELECT ${column} FROM ${orders} WHERE ${orders.id} = ${orderId})`;
  const [orderRows, lines, companyRows, siteRows, centerRows] = await db.batch([
    db.select().from(orders).where(eq(orders.id, orderId)).limit(1),
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(asc(orderLines.lineNo)),
    db
      .select()
      .from(companies)
      .where(eq(companies.id, ofOrder(orders.companyId)))
      .limit(1),
    db
      .select()
      .from(sites)
      .where(eq(sites.id, ofOrder(orders.shipToSiteId)))
      .limit(1),
    db
      .select()
      .from(costCenters)
      .where(
        and(
          eq(costCenters.id, ofOrder(orders.costCenterId)),
          eq(costCenters.companyId, ofOrder(orders.companyId)),
        ),
      )
      .limit(1),
  ]);
  const [order] = orderRows;
  const [company] = companyRows;
  const [site] = siteRows;
  if (!order || !company || !site) return undefined;
  const costCenter = centerRows[0];
  return {
    orderId: order.id,
    customer: { companyId: company.id, erpCustomerNumber: company.erpCustomerNumber, name: company.name },
    poNumber: order.poNumber,
    reference: order.reference,
    shipTo: {
      siteId: site.id,
      erpAddressId: site.erpAddressId,
      name: site.name,
      line1: site.line1,
      line2: site.line2,
      postalCode: site.postalCode,
      city: site.city,
      region: site.region,
      country: site.country,
    },
    costCenter: costCenter ? { id: costCenter.id, code: costCenter.code } : null,
    delivery: {
      mode: order.deliveryMode,
      requestedDate: order.requestedDeliveryDate,
      instructions: order.instructions,
    },
    channel: order.channel,
    channelRef: order.channelRef,
    placedBy: order.placedBy,
    placedAt: new Date(order.createdAt).toISOString(),
    currency: order.currency,
    subtotalMinor: order.subtotalMinor,
    discountMinor: order.discountMinor,
    totalMinor: order.totalMinor,
    offers: order.offers.map(({ offerId, name, discountMinor }) => ({ offerId, name, discountMinor })),
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      quantity: l.quantity,
      unitMinor: l.unitMinor,
      listMinor: l.listMinor,
      lineTotalMinor: l.lineTotalMinor,
      tierMinQuantity: l.tierMinQuantity,
      ruleId: l.ruleId,
      ruleIds: l.ruleIds,
    })),
  };
}

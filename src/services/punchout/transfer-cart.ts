import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { inChunks } from '../../db/queries/bulk';
import { products, stock } from '../../db/schema';
import { isBlocking } from '../../domain/carts';
import { AppError } from '../../domain/errors';
import { currencyExponent } from '../../domain/money';
import { type OciProductFacts, ociProductFacts } from '../../domain/punchout/oci-field-map';
import { unCefactUnit } from '../../domain/punchout/units';
import { companyObject, unwrap } from '../../durable/client';
import type { Env } from '../../env';
import type { SessionRow } from './sessions';
import type { TransferCart, TransferLine } from './transfer-lines';

/**
 * The session cart as both protocols send it back: priced by the company's object (the customer's prices
 * now, as the cart API shows them), described from the products table, with a lead time from stock.
 */

const DAY_MS = 86_400_000;

const NO_FACTS: OciProductFacts = {
  sku: null,
  name: null,
  description: null,
  brand: null,
  family: null,
  categoryPath: null,
  unspsc: null,
  manufacturerPartNumber: null,
  unitOfMeasure: null,
  taxClass: null,
  attributes: {},
};

/** 1 when the warehouses hold the quantity; else days until the next inbound date; else unknown. */
export function leadTimeDays(
  facts: { onHand: number; nextDate: string | null } | undefined,
  quantity: number,
  now: number,
): number | null {
  if (facts && facts.onHand >= quantity) return 1;
  if (!facts?.nextDate) return null;
  const at = Date.parse(`${facts.nextDate}T00:00:00Z`);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - now) / DAY_MS));
}

/**
 * The transfer cart. A line that could not be ordered at its price (unknown, outside the assortment, not
 * orderable, wrong quantity) refuses the transfer (409) with what to fix: the procurement system would
 * receive a line the order later refuses.
 */
export async function transferCartOf(
  env: Env,
  db: Database,
  session: SessionRow,
  now: number,
): Promise<TransferCart> {
  const object = companyObject(env, { companyId: session.companyId, db });
  const cart = unwrap(await object.getCart(session.userId, session.cartId, now));
  const blocked = cart.lines.filter((l) => l.unitMinor === null || l.problems.some(isBlocking));
  if (blocked.length > 0)
    throw new AppError(
      'conflict',
      `Fix these lines before the transfer: ${blocked
        .slice(0, 10)
        .map((l) => `${l.sku} (${l.problems.map((p) => p.code).join(', ') || 'no price'})`)
        .join('; ')}`,
    );
  const skus = [...new Set(cart.lines.map((l) => l.sku))];
  const [productRows, stockRows] = await Promise.all([
    inChunks(skus, (chunk) => db.select().from(products).where(inArray(products.sku, chunk))),
    inChunks(skus, (chunk) => db.select().from(stock).where(inArray(stock.sku, chunk))),
  ]);
  const product = new Map(productRows.map((p) => [p.sku, p]));
  const onHand = new Map<string, { onHand: number; nextDate: string | null }>();
  for (const s of stockRows) {
    const seen = onHand.get(s.sku) ?? { onHand: 0, nextDate: null };
    const next = s.nextAvailabilityDate;
    seen.onHand += Math.max(0, s.onHand);
    if (next && (!seen.nextDate || next < seen.nextDate)) seen.nextDate = next;
    onHand.set(s.sku, seen);
  }
  const currency = cart.currency;
  const currencyDigits = currencyExponent(currency);
  const lines: TransferLine[] = cart.lines.map((l) => {
    const p = product.get(l.sku);
    return {
      lineId: l.id,
      sku: l.sku,
      quantity: l.quantity,
      unitPriceMinor: l.unitMinor ?? 0,
      currency,
      currencyDigits,
      name: p?.name ?? l.sku,
      description: p?.description || p?.name || l.sku,
      unit: unCefactUnit(p?.unitOfMeasure ?? 'EA'),
      unspsc: p?.unspsc ?? null,
      manufacturerPartId: p?.manufacturerPartNumber ?? null,
      manufacturerName: p?.brand ?? null,
      leadTimeDays: leadTimeDays(onHand.get(l.sku), l.quantity, now),
      facts: p ? ociProductFacts(p) : ociProductFacts({ ...NO_FACTS, sku: l.sku, name: l.sku }),
    };
  });
  return {
    lines,
    totalMinor: lines.reduce((sum, l) => sum + l.unitPriceMinor * l.quantity, 0),
    currency,
    currencyDigits,
  };
}

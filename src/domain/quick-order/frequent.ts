/**
 * What a buyer orders often, from (SKU, quantity, times, last order) rows: per SKU the number of orders, the
 * date of the last one and the usual quantity (the one ordered most often; on a tie, the most recent).
 */
export interface Frequent {
  sku: string;
  orderCount: number;
  totalQuantity: number;
  usualQuantity: number;
  lastOrderedAt: number;
}

export function frequentlyOrdered(
  rows: readonly { sku: string; quantity: number; times: number; last: number | null }[],
): Frequent[] {
  const bySku = new Map<string, Frequent & { usualTimes: number; usualLast: number }>();
  for (const r of rows) {
    const last = r.last ?? 0;
    const known = bySku.get(r.sku);
    if (!known) {
      bySku.set(r.sku, {
        sku: r.sku,
        orderCount: r.times,
        totalQuantity: r.quantity * r.times,
        usualQuantity: r.quantity,
        lastOrderedAt: last,
        usualTimes: r.times,
        usualLast: last,
      });
      continue;
    }
    known.orderCount += r.times;
    known.totalQuantity += r.quantity * r.times;
    known.lastOrderedAt = Math.max(known.lastOrderedAt, last);
    if (r.times > known.usualTimes || (r.times === known.usualTimes && last > known.usualLast)) {
      known.usualQuantity = r.quantity;
      known.usualTimes = r.times;
      known.usualLast = last;
    }
  }
  return [...bySku.values()]
    .map(({ usualTimes: _t, usualLast: _l, ...f }) => f)
    .sort(
      (a, b) => b.orderCount - a.orderCount || b.lastOrderedAt - a.lastOrderedAt || (a.sku < b.sku ? -1 : 1),
    );
}

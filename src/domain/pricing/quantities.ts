import { distance } from 'fastest-levenshtein';

/** Why a quantity cannot be ordered as asked, and the nearest quantity that can (rounded up). */
export function quantityProblem(
  quantity: number,
  rules: { minOrderQty: number; orderMultiple: number },
): { code: 'below_minimum' | 'not_a_multiple'; nearestValidQuantity: number } | null {
  const multiple = Math.max(1, rules.orderMultiple);
  const minimum = Math.max(1, rules.minOrderQty);
  const rounded = Math.ceil(Math.max(quantity, minimum) / multiple) * multiple;
  if (quantity < minimum) return { code: 'below_minimum', nearestValidQuantity: rounded };
  if (quantity % multiple !== 0) return { code: 'not_a_multiple', nearestValidQuantity: rounded };
  return null;
}

/** Up to `count` candidates closest to a mistyped SKU (case-insensitive edit distance), nearest first. */
export function closestSkus(wanted: string, candidates: readonly string[], count = 3): string[] {
  const target = wanted.toUpperCase();
  const limit = Math.max(2, Math.floor(target.length / 3));
  return candidates
    .map((sku) => ({ sku, d: distance(target, sku.toUpperCase()) }))
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d || (a.sku < b.sku ? -1 : 1))
    .slice(0, count)
    .map((c) => c.sku);
}

/** unit × quantity when it stays an exact integer; null beyond 2^53 (never a rounded total). */
export function lineTotal(unitMinor: number, quantity: number): number | null {
  const total = unitMinor * quantity;
  return Number.isSafeInteger(total) ? total : null;
}

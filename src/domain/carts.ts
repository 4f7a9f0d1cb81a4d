import type { UnorderableReason } from './pricing/assortment';
import type { CatalogEntry } from './pricing/evaluate';
import { lineAt } from './pricing/evaluate';
import { lineTotal, quantityProblem } from './pricing/quantities';

/**
 * A cart line as the buyer sees it: priced from the company's index at its quantity, with every problem
 * that would stop it at checkout and what to do about it.
 */
export type LineProblem =
  | { code: 'unknown_sku' }
  /** outside the assortment; `salesRep`: whom the buyer may ask about it (null: no rep assigned) */
  | { code: 'not_available'; salesRep?: { name: string; email: string } | null }
  | { code: UnorderableReason; replacement?: string }
  | { code: 'below_minimum' | 'not_a_multiple'; nearestValidQuantity: number }
  | { code: 'short_stock'; availableQuantity: number; nextAvailabilityDate: string | null };

export interface LineFacts {
  /** undefined: no such SKU; null: exists but not visible to this customer */
  entry: CatalogEntry | null | undefined;
  ordering?: { minOrderQty: number; orderMultiple: number };
  stock?: { onHand: number; nextAvailabilityDate: string | null };
}

export interface PricedCartLine {
  id: string;
  sku: string;
  quantity: number;
  unitMinor: number | null;
  listMinor: number | null;
  lineTotalMinor: number | null;
  savingsMinor: number | null;
  tierMinQuantity: number | null;
  ruleId: string | null;
  ruleIds: string[];
  leadTimeDays: number;
  problems: LineProblem[];
}

export function priceCartLine(
  line: { id: string; sku: string; quantity: number },
  facts: LineFacts,
): PricedCartLine {
  const base = { id: line.id, sku: line.sku, quantity: line.quantity };
  const unpriced = {
    unitMinor: null,
    listMinor: null,
    lineTotalMinor: null,
    savingsMinor: null,
    tierMinQuantity: null,
    ruleId: null,
    ruleIds: [],
    leadTimeDays: 0,
  };
  if (facts.entry === undefined) return { ...base, ...unpriced, problems: [{ code: 'unknown_sku' }] };
  const priced = lineAt(facts.entry, line.quantity);
  if (!priced.visible) return { ...base, ...unpriced, problems: [{ code: 'not_available' }] };
  const problems: LineProblem[] = [];
  if (priced.reason) {
    problems.push(
      priced.reason === 'obsolete' && priced.replacementSku
        ? { code: 'obsolete', replacement: priced.replacementSku }
        : { code: priced.reason },
    );
  }
  const quantity = facts.ordering ? quantityProblem(line.quantity, facts.ordering) : null;
  if (quantity) problems.push(quantity);
  if (facts.stock && facts.stock.onHand < line.quantity) {
    problems.push({
      code: 'short_stock',
      availableQuantity: Math.max(0, facts.stock.onHand),
      nextAvailabilityDate: facts.stock.nextAvailabilityDate,
    });
  }
  const price = priced.price;
  const total = price ? lineTotal(price.unitMinor, line.quantity) : null;
  const listTotal = price?.listMinor != null ? lineTotal(price.listMinor, line.quantity) : null;
  return {
    ...base,
    unitMinor: price?.unitMinor ?? null,
    listMinor: price?.listMinor ?? null,
    lineTotalMinor: total,
    savingsMinor: total !== null && listTotal !== null ? listTotal - total : null,
    tierMinQuantity: price?.tierMinQuantity ?? null,
    ruleId: price?.ruleId ?? null,
    ruleIds: price?.ruleIds ?? [],
    leadTimeDays: priced.leadTimeDays,
    problems,
  };
}

/** Short stock is a warning (the order can be placed for later delivery); everything else blocks checkout. */
export const isBlocking = (p: LineProblem): boolean => p.code !== 'short_stock';

export function cartTotals(lines: readonly PricedCartLine[]) {
  let subtotalMinor = 0;
  let savingsMinor = 0;
  for (const l of lines) {
    subtotalMinor += l.lineTotalMinor ?? 0;
    savingsMinor += l.savingsMinor ?? 0;
  }
  const blocking = lines.filter((l) => l.problems.some(isBlocking)).length;
  return {
    subtotalMinor,
    savingsMinor,
    lineCount: lines.length,
    blockingLines: blocking,
    orderable: lines.length > 0 && blocking === 0,
  };
}

/**
 * A line at a unit price agreed beforehand (an accepted quote) instead of the index's: its visibility,
 * orderability, quantity rules and stock stand as priced; only the price changes, and no tier or rule of
 * the index explains it any more. A line the customer cannot see or that does not exist keeps its problem.
 */
export function atAgreedPrice(line: PricedCartLine, unitMinor: number): PricedCartLine {
  if (line.problems.some((p) => p.code === 'unknown_sku' || p.code === 'not_available')) return line;
  const total = lineTotal(unitMinor, line.quantity);
  const listTotal = line.listMinor !== null ? lineTotal(line.listMinor, line.quantity) : null;
  return {
    ...line,
    unitMinor,
    lineTotalMinor: total,
    savingsMinor: total !== null && listTotal !== null ? listTotal - total : null,
    tierMinQuantity: null,
    ruleId: null,
    ruleIds: [],
  };
}

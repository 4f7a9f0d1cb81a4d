import type { LineProblem } from './carts';
import { formatMinor } from './money';

/**
 * A partner's order lines against our prices and assortment, before anything is placed: the same judgement
 * for a cXML OrderRequest and the JSON partner API. A line naming a product the company cannot order is
 * `unorderable`; a unit price the partner sends is compared with ours for that quantity, within a tolerance
 * in basis points of ours (0: equal to the minor unit).
 */
export interface PartnerLine {
  sku: string;
  quantity: number;
  /** what the partner expects to pay per unit, in minor units of the order's currency; null: not said */
  unitPriceMinor: number | null;
  /** the unit of measure the partner ordered in; null: not said */
  unit: string | null;
}

export interface OurLine {
  unitMinor: number | null;
  problems: readonly LineProblem[];
  /** our unit of measure for the product (null: unknown product) */
  unit: string | null;
}

export type LineIssue =
  | { index: number; kind: 'unorderable'; field: 'sku' | 'quantity' | 'unit'; message: string }
  | { index: number; kind: 'price'; field: 'unitPrice'; message: string; theirs: number; ours: number };

const PROBLEM_TEXT: Partial<Record<LineProblem['code'], string>> = {
  unknown_sku: 'is not in our catalog',
  not_available: 'is not in your assortment',
  obsolete: 'is no longer sold',
  below_minimum: 'is below the minimum order quantity',
  not_a_multiple: 'is not a multiple of the pack size',
};

/** Units that name one piece (UN/CEFACT Rec. 20 and the common EA): any of them matches any other. */
const PIECE = new Set(['EA', 'C62', 'PCE', 'H87', 'PC', 'ST']);
export function sameUnit(a: string, b: string): boolean {
  const x = a.trim().toUpperCase();
  const y = b.trim().toUpperCase();
  return x === y || (PIECE.has(x) && PIECE.has(y));
}

/** Whether `theirs` is within `toleranceBp` basis points of `ours` (exact integer arithmetic). */
export const withinTolerance = (theirs: number, ours: number, toleranceBp: number): boolean =>
  Math.abs(theirs - ours) * 10_000 <= ours * toleranceBp;

export function partnerLineIssues(
  asked: readonly PartnerLine[],
  ours: readonly OurLine[],
  currency: string,
  toleranceBp: number,
): LineIssue[] {
  const issues: LineIssue[] = [];
  for (const [index, line] of asked.entries()) {
    const our = ours[index];
    if (!our) continue;
    const blocking = our.problems.find((p) => p.code !== 'short_stock');
    if (blocking) {
      const what = PROBLEM_TEXT[blocking.code] ?? `cannot be ordered (${blocking.code})`;
      const field =
        blocking.code === 'below_minimum' || blocking.code === 'not_a_multiple' ? 'quantity' : 'sku';
      const nearest =
        'nearestValidQuantity' in blocking
          ? ` (nearest valid quantity ${blocking.nearestValidQuantity})`
          : '';
      issues.push({ index, kind: 'unorderable', field, message: `${line.sku} ${what}${nearest}` });
      continue;
    }
    if (line.unit && our.unit && !sameUnit(line.unit, our.unit)) {
      issues.push({
        index,
        kind: 'unorderable',
        field: 'unit',
        message: `${line.sku} is sold per ${our.unit}, not per ${line.unit}`,
      });
      continue;
    }
    if (our.unitMinor === null) {
      issues.push({ index, kind: 'unorderable', field: 'sku', message: `${line.sku} has no price for you` });
      continue;
    }
    if (line.unitPriceMinor !== null && !withinTolerance(line.unitPriceMinor, our.unitMinor, toleranceBp)) {
      const money = (minor: number) => `${formatMinor({ minor, currency })} ${currency}`;
      issues.push({
        index,
        kind: 'price',
        field: 'unitPrice',
        theirs: line.unitPriceMinor,
        ours: our.unitMinor,
        message: `${line.sku} at ${money(line.unitPriceMinor)}, our price for ${line.quantity} is ${money(our.unitMinor)}`,
      });
    }
  }
  return issues;
}

import type { CatalogEntry } from '../pricing/evaluate';
import type { QuantityRule } from './quantities';
import type { TypedQuantity } from './quantity';
import type { MatchKind } from './references';

/**
 * The vocabulary of quick-order, list and reorder answers: the outcomes a line can have, what a line is
 * once its reference is identified, what deciding it looks up, and what it becomes (docs/quick-order.md).
 */
export const OUTCOMES = [
  'ok',
  'adjusted',
  'replaced',
  'unknown',
  'not_available',
  'not_orderable',
  'short_stock',
  'merged',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Target {
  sku: string;
  /** how the typed reference named it: the SKU itself, or the company's own part number */
  via: 'sku' | 'company_part_number';
  partNumber: string | null;
  pack: number;
  preferred: number | null;
}

export interface IdentifiedLine {
  line: number;
  text: string;
  reference: string;
  note: string | null;
  typed: TypedQuantity;
  target: Target | null;
}

export interface ProductFacts {
  name: string;
  minOrderQty: number;
  orderMultiple: number;
  onHand: number;
  nextAvailabilityDate: string | null;
}

export interface Lookups {
  currency: string;
  /** undefined: no such product; null: not in the customer's assortment */
  entry(sku: string): CatalogEntry | null | undefined;
  product(sku: string): ProductFacts | undefined;
  /** up to 3 references the customer can see, best first */
  closeMatches(line: IdentifiedLine): { sku: string; matchedBy: MatchKind; matched: string }[];
  salesRep: { name: string; email: string } | null;
}

export interface LinePrice {
  currency: string;
  unitMinor: number;
  listMinor: number | null;
  lineTotalMinor: number | null;
  ruleId: string | null;
  tierMinQuantity: number;
}

export interface ResolvedLine {
  line: number;
  text: string;
  reference: string;
  note: string | null;
  requestedQuantity: number | null;
  outcome: Outcome;
  sku?: string;
  name?: string;
  matchedBy?: Target['via'];
  partNumber?: string | null;
  quantity?: number;
  rules?: QuantityRule[];
  message?: string;
  reason?: string;
  price?: LinePrice | null;
  leadTimeDays?: number;
  replacement?: {
    sku: string;
    name: string;
    quantity: number;
    rules: QuantityRule[];
    price: LinePrice | null;
  };
  closeMatches?: { sku: string; name: string; matchedBy: MatchKind; matched: string }[];
  salesRep?: { name: string; email: string } | null;
  availableQuantity?: number;
  nextAvailabilityDate?: string | null;
  mergedInto?: number;
}

export type Summary = Record<Outcome, number> & { lines: number };

export function summaryOf(lines: readonly ResolvedLine[]): Summary {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const l of lines) counts[l.outcome]++;
  return { lines: lines.length, ...counts };
}

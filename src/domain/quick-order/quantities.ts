import { MAX_QUANTITY } from '../pricing/engine';
import { quantityProblem } from '../pricing/quantities';

/** Why a quantity was changed: a fraction of a unit, the company's pack, the minimum, the order multiple. */
export type QuantityRule = 'whole_units' | 'pack' | 'minimum' | 'multiple';

export interface Units {
  /** in units of the SKU, before the product's own rules */
  units: number;
  rules: QuantityRule[];
}

/**
 * The units a line asks for: the typed quantity times the pack of the company's reference (one "box" of it
 * is `pack` units of the SKU); without a typed quantity, the reference's preferred quantity, else one pack.
 * A fraction stays (duplicates add up first); `wholeUnits` rounds it up.
 */
export function unitsOf(typed: number | null, reference: { pack: number; preferred: number | null }): Units {
  const rules: QuantityRule[] = [];
  const units = typed === null ? (reference.preferred ?? reference.pack) : typed * reference.pack;
  if (typed !== null && reference.pack > 1) rules.push('pack');
  return { units, rules };
}

/** Units rounded up to a whole number, saying so when they were not. */
export const wholeUnits = (asked: Units): Units =>
  Number.isInteger(asked.units)
    ? asked
    : { units: Math.ceil(asked.units), rules: [...asked.rules, 'whole_units'] };

/** The nearest quantity the product can be ordered in (rounded up), with the rules that moved it. */
export function orderableUnits(
  asked: Units,
  product: { minOrderQty: number; orderMultiple: number },
): { quantity: number; rules: QuantityRule[]; tooLarge: boolean } {
  const problem = quantityProblem(asked.units, product);
  const rules = [...asked.rules];
  let quantity = asked.units;
  if (problem) {
    quantity = problem.nearestValidQuantity;
    rules.push(problem.code === 'below_minimum' ? 'minimum' : 'multiple');
  }
  return { quantity, rules, tooLarge: quantity > MAX_QUANTITY };
}

const RULE_TEXT: Record<QuantityRule, string> = {
  whole_units: 'rounded up to whole units',
  pack: 'your reference is a pack',
  minimum: 'raised to the minimum order quantity',
  multiple: 'rounded up to the order multiple',
};

export const describeRules = (from: number, to: number, rules: readonly QuantityRule[]): string =>
  `${from} → ${to}: ${rules.map((r) => RULE_TEXT[r]).join(', ')}`;

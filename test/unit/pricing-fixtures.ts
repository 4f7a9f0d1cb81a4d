import type { AssortedProduct, AssortmentRule } from '../../src/domain/pricing/assortment';
import type { Contract, PriceQuote, PriceRule } from '../../src/domain/pricing/engine';
import type { TargetType } from '../../src/domain/pricing/targets';

/** A fixed instant (ms since epoch) every pricing test quotes at. */
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const DAY = 86_400_000;

/** What a rule points at: `['sku', 'DR-100']`, `['category', 'tools/power']`, … or `'all'`. */
export type On = readonly [Exclude<TargetType, 'all'>, string] | 'all';

const target = (on: On): Pick<PriceRule, 'targetType' | 'target'> =>
  on === 'all' ? { targetType: 'all', target: null } : { targetType: on[0], target: on[1] };

/** The product most engine cases price: a drill in tools/power/drills. */
export function product(overrides: Partial<AssortedProduct> = {}): AssortedProduct {
  return {
    sku: 'DR-100',
    family: 'drill-pro',
    categoryPath: 'tools/power/drills',
    brand: 'acme',
    status: 'active',
    replacementSku: null,
    ...overrides,
  };
}

export function contract(
  id: string,
  combination: Contract['combination'] = 'best_price',
  overrides: Partial<Contract> = {},
): Contract {
  return { id, combination, priority: 0, validFrom: null, validTo: null, ...overrides };
}

type RuleExtras = Partial<Omit<PriceRule, 'id' | 'kind' | 'targetType' | 'target'>>;

/** A net price rule of contract `c1` unless `extra.contractId` says otherwise. */
export function net(id: string, on: On, amountMinor: number, extra: RuleExtras = {}): PriceRule {
  return {
    id,
    contractId: 'c1',
    kind: 'net_price',
    ...target(on),
    amountMinor,
    discountBp: null,
    appliesTo: 'list',
    minQuantity: 1,
    priority: 0,
    validFrom: null,
    validTo: null,
    ...extra,
  };
}

/** A discount rule (basis points off the list price) of contract `c1` unless `extra.contractId` says otherwise. */
export function off(id: string, on: On, discountBp: number, extra: RuleExtras = {}): PriceRule {
  return {
    id,
    contractId: 'c1',
    kind: 'discount',
    ...target(on),
    amountMinor: null,
    discountBp,
    appliesTo: 'list',
    minQuantity: 1,
    priority: 0,
    validFrom: null,
    validTo: null,
    ...extra,
  };
}

/** A discount taken off the price the contract's other rules give (`appliesTo: 'contract'`). */
export const onContract = (id: string, on: On, discountBp: number, extra: RuleExtras = {}): PriceRule => ({
  ...off(id, on, discountBp, extra),
  appliesTo: 'contract',
});

export function assortmentRule(
  id: string,
  effect: AssortmentRule['effect'],
  on: On,
  leadTimeDays: number | null = null,
): AssortmentRule {
  return { id, effect, ...target(on), leadTimeDays };
}

/** A quote written compactly: `[unit, ruleId, ruleIds, tier]`, with the list price of the case. */
export type Expected = readonly [
  unit: number,
  ruleId: string | null,
  ruleIds: readonly string[],
  tier: number,
];

export const quoteOf = (listMinor: number | null, [unit, ruleId, ruleIds, tier]: Expected): PriceQuote => ({
  unitMinor: unit,
  listMinor,
  ruleId,
  ruleIds: [...ruleIds],
  tierMinQuantity: tier,
});

/** A quote without the ladder's `fromQuantity`, to compare a ladder step with a direct quote. */
export function withoutFrom<T extends PriceQuote & { fromQuantity: number }>(
  step: T | null,
): PriceQuote | null {
  if (step === null) return null;
  const { fromQuantity: _from, ...quote } = step;
  return quote;
}

import { discounted, discountedByAll } from '../money';
import { specificity, type Targetable, type Targeted, TargetIndex } from './targets';

/**
 * The pricing engine: pure, no I/O, time passed in. Precedence (docs/pricing.md):
 * 1. Within one contract the most specific applicable rule wins (SKU > family > category > brand > all),
 *    then the higher rule priority, then the higher quantity tier, then the rule id (determinism). Two
 *    winners are chosen so: the base (net prices and discounts off the list price) and the contract
 *    discount (discounts with `appliesTo: 'contract'`), which is taken off the base's price, or off the list
 *    price when no base rule applies; both discounts multiply exactly and round once.
 * 2. Across contracts: every `best_price` contract's price (and a `stackable` contract's when its base is
 *    a net price) competes and the lowest unit price wins; with none the list price applies.
 * 3. A `stackable` contract whose base is a discount (or that has a contract discount only) compounds its
 *    discounts on that price, highest contract priority first, rounded half-up once. A discount off the
 *    list price needs a list price to apply at all.
 * A rule is in force when `validFrom ≤ now < validTo` (either bound optional), and so is its contract.
 */
export const MAX_QUANTITY = 1_000_000;

/** What a discount rule is taken off: the list price, or the price its contract's other rules give. */
export const APPLIES_TO = ['list', 'contract'] as const;
export type AppliesTo = (typeof APPLIES_TO)[number];

export interface PriceRule extends Targeted {
  id: string;
  contractId: string;
  kind: 'net_price' | 'discount';
  amountMinor: number | null;
  discountBp: number | null;
  /** a discount's base; 'list' for net prices */
  appliesTo: AppliesTo;
  minQuantity: number;
  priority: number;
  validFrom: number | null;
  validTo: number | null;
}

export interface Contract {
  id: string;
  combination: 'best_price' | 'stackable';
  priority: number;
  validFrom: number | null;
  validTo: number | null;
}

export interface PriceQuote {
  unitMinor: number;
  listMinor: number | null;
  /** the rule that set the base price; null when it is the list price */
  ruleId: string | null;
  /** every rule that shaped the price, base rule first, then stacked discounts */
  ruleIds: string[];
  /** the quantity tier in use: the highest `minQuantity` among the applied rules (1 for the list price) */
  tierMinQuantity: number;
}

export const inForce = (w: { validFrom: number | null; validTo: number | null }, now: number): boolean =>
  (w.validFrom === null || w.validFrom <= now) && (w.validTo === null || now < w.validTo);

/** A contract's price: the rules that made it (base first, then its contract discount). */
interface Candidate {
  /** the rule that ranks the candidate on a tie: its base rule, else its contract discount */
  rule: PriceRule;
  applied: PriceRule[];
  unitMinor: number;
}

/** Strictly better under the within-contract precedence. */
function outranks(a: PriceRule, b: PriceRule): boolean {
  const sa = specificity(a);
  const sb = specificity(b);
  if (sa !== sb) return sa > sb;
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.minQuantity !== b.minQuantity) return a.minQuantity > b.minQuantity;
  return a.id < b.id;
}

function unitFrom(rule: PriceRule, listMinor: number | null): number | null {
  if (rule.kind === 'net_price') return rule.amountMinor;
  if (listMinor === null || rule.discountBp === null) return null;
  return discounted(listMinor, rule.discountBp);
}

/**
 * A customer's contracts and their rules, filed for fast lookup. Built once per price index build (or per
 * SQL fallback request) and then asked about many products.
 */
export class PriceBook {
  private readonly contracts = new Map<string, Contract>();
  private readonly index: TargetIndex<PriceRule>;
  private readonly windows: { validFrom: number | null; validTo: number | null }[];

  constructor(contracts: readonly Contract[], rules: readonly PriceRule[]) {
    for (const c of contracts) this.contracts.set(c.id, c);
    const known = rules.filter((r) => this.contracts.has(r.contractId));
    this.index = new TargetIndex(known);
    this.windows = [...contracts, ...known];
  }

  /** Rules of contracts in force at `now` that match the product, whatever the quantity. */
  private rulesInForce(product: Targetable, now: number): PriceRule[] {
    return this.index.rulesFor(product).filter((r) => {
      const contract = this.contracts.get(r.contractId);
      return contract !== undefined && inForce(contract, now) && inForce(r, now);
    });
  }

  /** The unit price of `quantity` units, or null when neither a list price nor a net price exists. */
  quote(product: Targetable, quantity: number, listMinor: number | null, now: number): PriceQuote | null {
    return this.quoteFrom(this.rulesInForce(product, now), quantity, listMinor);
  }

  /**
   * The whole price ladder of a product: one entry per quantity where the price or its rules change.
   * Price is a step function of quantity that can only change at a rule's `minQuantity`, so this ladder
   * answers every quantity exactly (see `quoteFromLadder`).
   */
  ladder(product: Targetable, listMinor: number | null, now: number): LadderStep[] {
    const rules = this.rulesInForce(product, now);
    const thresholds = [...new Set([1, ...rules.map((r) => r.minQuantity)])].sort((a, b) => a - b);
    const steps: LadderStep[] = [];
    for (const fromQuantity of thresholds) {
      const q = this.quoteFrom(rules, fromQuantity, listMinor);
      if (q === null) continue;
      const last = steps.at(-1);
      if (last && sameQuote(last, q)) continue;
      steps.push({ ...q, fromQuantity });
    }
    return steps;
  }

  /** The earliest instant after `now` at which a contract or rule window opens or closes, if any. */
  nextChange(now: number): number | null {
    let next: number | null = null;
    for (const w of this.windows) {
      for (const t of [w.validFrom, w.validTo]) {
        if (t !== null && t > now && (next === null || t < next)) next = t;
      }
    }
    return next;
  }

  private quoteFrom(
    rules: readonly PriceRule[],
    quantity: number,
    listMinor: number | null,
  ): PriceQuote | null {
    // per contract, two winners: the base, and the discount taken off the contract's own price
    const bases = new Map<string, PriceRule>();
    const onContract = new Map<string, PriceRule>();
    for (const rule of rules) {
      if (rule.minQuantity > quantity) continue;
      const contractDiscount = rule.kind === 'discount' && rule.appliesTo === 'contract';
      // A discount off the list price needs one; without it only a net price prices the product. (A
      // stacking discount winning without a list price could displace its contract's net price at a
      // higher tier and leave the product unpriced.)
      if (contractDiscount ? rule.discountBp === null : unitFrom(rule, listMinor) === null) continue;
      const winners = contractDiscount ? onContract : bases;
      const current = winners.get(rule.contractId);
      if (!current || outranks(rule, current)) winners.set(rule.contractId, rule);
    }
    let base: Candidate | null = null;
    const stacked: { contract: Contract; rules: PriceRule[] }[] = [];
    for (const contractId of new Set([...bases.keys(), ...onContract.keys()])) {
      const contract = this.contracts.get(contractId);
      if (!contract) continue;
      const own = bases.get(contractId);
      const off = onContract.get(contractId);
      const applied = [own, off].filter((r): r is PriceRule => r !== undefined);
      if (contract.combination === 'stackable' && own?.kind !== 'net_price') {
        stacked.push({ contract, rules: applied });
        continue;
      }
      const origin = own?.kind === 'net_price' ? own.amountMinor : listMinor;
      const rule = own ?? off;
      if (origin === null || origin === undefined || rule === undefined) continue;
      const bps = applied.filter((r) => r.kind === 'discount').map((r) => r.discountBp ?? 0);
      const candidate: Candidate = { rule, applied, unitMinor: discountedByAll(origin, bps) };
      if (base === null || cheaper(candidate, base)) base = candidate;
    }
    const baseMinor = base ? base.unitMinor : listMinor;
    if (baseMinor === null) return null;
    stacked.sort(
      (a, b) => b.contract.priority - a.contract.priority || (a.contract.id < b.contract.id ? -1 : 1),
    );
    const stackedRules = stacked.flatMap((s) => s.rules);
    const unitMinor = discountedByAll(
      baseMinor,
      stackedRules.map((r) => r.discountBp ?? 0),
    );
    const applied = [...(base ? base.applied : []), ...stackedRules];
    return {
      unitMinor,
      listMinor,
      ruleId: base ? (base.applied[0]?.id ?? null) : null,
      ruleIds: applied.map((r) => r.id),
      tierMinQuantity: Math.max(1, ...applied.map((r) => r.minQuantity)),
    };
  }
}

/** Lower price wins; on a tie the more specific rule, then the lower id, so the answer never depends on order. */
function cheaper(a: Candidate, b: Candidate): boolean {
  if (a.unitMinor !== b.unitMinor) return a.unitMinor < b.unitMinor;
  const sa = specificity(a.rule);
  const sb = specificity(b.rule);
  if (sa !== sb) return sa > sb;
  return a.rule.id < b.rule.id;
}

export interface LadderStep extends PriceQuote {
  /** the step applies from this quantity until the next step's */
  fromQuantity: number;
}

const sameQuote = (a: PriceQuote, b: PriceQuote): boolean =>
  a.unitMinor === b.unitMinor &&
  a.tierMinQuantity === b.tierMinQuantity &&
  a.ruleIds.join() === b.ruleIds.join();

/** The step of a ladder that applies to `quantity`: the last one whose threshold it reaches. */
export function quoteFromLadder<T extends { fromQuantity: number }>(
  ladder: readonly T[],
  quantity: number,
): T | null {
  let found: T | null = null;
  for (const step of ladder) {
    if (step.fromQuantity <= quantity) found = step;
    else break;
  }
  return found;
}

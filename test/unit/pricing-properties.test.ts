import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discounted, discountedByAll } from '../../src/domain/money';
import { type AssortedProduct, Assortment, type AssortmentRule } from '../../src/domain/pricing/assortment';
import { IndexPart, partOf } from '../../src/domain/pricing/codec';
import {
  type Contract,
  inForce,
  MAX_QUANTITY,
  PriceBook,
  type PriceQuote,
  type PriceRule,
  quoteFromLadder,
} from '../../src/domain/pricing/engine';
import { type CatalogEntry, compileEntry } from '../../src/domain/pricing/evaluate';
import { PartWriter } from '../../src/domain/pricing/part-writer';
import { matches, specificity, type Targetable, type Targeted } from '../../src/domain/pricing/targets';
import { NOW, withoutFrom } from './pricing-fixtures';

// A small world, so generated rules often hit generated products and each other.
const SKUS = ['A', 'AB', 'B', 'BA', 'C', 'CA'];
const FAMILIES = ['f1', 'f2', 'f3'];
const CATEGORIES = ['a', 'a/b', 'a/b/c', 'a/d', 'e'];
const BRANDS = ['x', 'y'];
const TIERS = [1, 2, 5, 10, 50, 100];
const RUNS = { numRuns: 300 };

interface Item extends AssortedProduct {
  listMinor: number | null;
}

interface World {
  items: Item[];
  contracts: Contract[];
  rules: PriceRule[];
}

// Now and then a round value, so prices tie across rules and contracts and the tie-breaks get exercised.
const amountArb = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }),
  fc.constantFrom(0, 1, 999, 1000, 9000, 100_000),
);
const bpArb = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 500, 1000, 5000, 10_000));

/** Mostly no bound; otherwise an instant just around `NOW`, so windows open and close at the edges. */
const bound = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constantFrom(NOW - 1000, NOW - 1, NOW, NOW + 1, NOW + 1000) },
);
const window = fc.record({ validFrom: bound, validTo: bound });

const itemArb = (sku: string): fc.Arbitrary<Item> =>
  fc.record({
    sku: fc.constant(sku),
    family: fc.constantFrom(...FAMILIES),
    categoryPath: fc.constantFrom(...CATEGORIES),
    brand: fc.constantFrom(...BRANDS),
    status: fc.constantFrom('active' as const, 'active' as const, 'obsolete' as const),
    replacementSku: fc.option(fc.constantFrom(...SKUS), { nil: null }),
    listMinor: fc.option(amountArb, { nil: null, freq: 4 }),
  });

const itemsArb = fc
  .shuffledSubarray(SKUS, { minLength: 1, maxLength: 4 })
  .chain((skus) => fc.tuple(...skus.map(itemArb)));

const contractsArb = (maxContracts: number) =>
  fc
    .array(
      fc.record({
        combination: fc.constantFrom('best_price' as const, 'stackable' as const),
        priority: fc.integer({ min: 0, max: 3 }),
        window,
      }),
      { maxLength: maxContracts },
    )
    .map((cs) =>
      cs.map(
        ({ combination, priority, window: w }, i): Contract => ({ id: `k${i}`, combination, priority, ...w }),
      ),
    );

const targetArb: fc.Arbitrary<Targeted> = fc.oneof(
  fc.record({ targetType: fc.constant('sku' as const), target: fc.constantFrom(...SKUS, 'ZZ') }),
  fc.record({ targetType: fc.constant('family' as const), target: fc.constantFrom(...FAMILIES) }),
  fc.record({ targetType: fc.constant('category' as const), target: fc.constantFrom(...CATEGORIES) }),
  fc.record({ targetType: fc.constant('brand' as const), target: fc.constantFrom(...BRANDS) }),
  fc.record({ targetType: fc.constant('all' as const), target: fc.constant(null) }),
);

/** Rules of the generated contracts (and now and then of a contract nobody has). */
const rulesArb = (contracts: Contract[]) =>
  fc
    .array(
      fc.record({
        contractId: fc.constantFrom(...contracts.map((c) => c.id), 'k-none'),
        target: targetArb,
        price: fc.oneof(
          fc.record({
            kind: fc.constant('net_price' as const),
            amountMinor: amountArb,
          }),
          fc.record({
            kind: fc.constant('discount' as const),
            discountBp: bpArb,
            appliesTo: fc.constantFrom('list' as const, 'contract' as const),
          }),
        ),
        minQuantity: fc.constantFrom(...TIERS),
        priority: fc.integer({ min: 0, max: 2 }),
        window,
      }),
      { maxLength: 12 },
    )
    .map((rs) =>
      rs.map(
        (r, i): PriceRule => ({
          id: `r${i}`,
          contractId: r.contractId,
          ...r.target,
          kind: r.price.kind,
          amountMinor: r.price.kind === 'net_price' ? r.price.amountMinor : null,
          discountBp: r.price.kind === 'discount' ? r.price.discountBp : null,
          appliesTo: r.price.kind === 'discount' ? r.price.appliesTo : 'list',
          minQuantity: r.minQuantity,
          priority: r.priority,
          ...r.window,
        }),
      ),
    );

const worldOf = (maxContracts: number): fc.Arbitrary<World> =>
  fc
    .tuple(itemsArb, contractsArb(maxContracts))
    .chain(([items, contracts]) => rulesArb(contracts).map((rules) => ({ items, contracts, rules })));
const worldArb = worldOf(3);

const quantityArb = fc.oneof(
  fc.integer({ min: 1, max: MAX_QUANTITY }),
  fc.integer({ min: 1, max: 120 }),
  fc.constantFrom(...TIERS, ...TIERS.map((t) => t - 1).filter((t) => t > 0), ...TIERS.map((t) => t + 1)),
);

/** The quantities where something can happen, plus random ones. */
const probes = (extra: readonly number[]) => [
  ...new Set([1, 4, 9, 10, 11, 49, 50, 99, 100, 101, MAX_QUANTITY, ...extra]),
];

/** base × Π(1 − bp/10,000), rounded half-up once, with BigInt (independently of money.ts). */
function exactly(base: number, bps: readonly number[]): number {
  let numerator = BigInt(base);
  let denominator = 1n;
  for (const bp of bps) {
    numerator *= BigInt(10_000 - bp);
    denominator *= 10_000n;
  }
  return Number((numerator * 2n + denominator) / (2n * denominator));
}

/**
 * The precedence of engine.ts written out plainly, without the target index: scan every rule; per contract
 * rank its applicable rules twice, the base (net prices, discounts off the list) and the contract discount
 * (`appliesTo: 'contract'`, taken off the base's price or the list price); let best_price contracts' prices
 * and stackable net prices compete; stack the stackable discounts and round once.
 */
function referenceQuote(
  contracts: readonly Contract[],
  rules: readonly PriceRule[],
  item: Targetable,
  quantity: number,
  listMinor: number | null,
): PriceQuote | null {
  const unitOf = (r: PriceRule) =>
    r.kind === 'net_price'
      ? r.amountMinor
      : listMinor === null
        ? null
        : discounted(listMinor, r.discountBp ?? 0);
  const rank = (r: PriceRule) => [specificity(r), r.priority, r.minQuantity];
  const better = (a: PriceRule, b: PriceRule) => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) > (rb[i] ?? 0);
    return a.id < b.id;
  };
  const best = (rs: PriceRule[]) =>
    rs.reduce<PriceRule | undefined>((w, r) => (!w || better(r, w) ? r : w), undefined);
  const onContract = (r: PriceRule) => r.kind === 'discount' && r.appliesTo === 'contract';
  const prices: { rule: PriceRule; applied: PriceRule[]; unit: number }[] = [];
  const stacked: { contract: Contract; applied: PriceRule[] }[] = [];
  for (const c of contracts) {
    if (!inForce(c, NOW)) continue;
    const mine = rules.filter(
      (r) => r.contractId === c.id && inForce(r, NOW) && matches(r, item) && r.minQuantity <= quantity,
    );
    const own = best(mine.filter((r) => !onContract(r) && unitOf(r) !== null));
    const off = best(mine.filter(onContract));
    const applied = [own, off].filter((r): r is PriceRule => r !== undefined);
    if (applied.length === 0) continue;
    if (c.combination === 'stackable' && own?.kind !== 'net_price') {
      stacked.push({ contract: c, applied });
      continue;
    }
    const origin = own?.kind === 'net_price' ? own.amountMinor : listMinor;
    const rule = own ?? off;
    if (origin === null || origin === undefined || rule === undefined) continue;
    const bps = applied.filter((r) => r.kind === 'discount').map((r) => r.discountBp ?? 0);
    prices.push({ rule, applied, unit: exactly(origin, bps) });
  }
  prices.sort(
    (a, b) =>
      a.unit - b.unit || specificity(b.rule) - specificity(a.rule) || (a.rule.id < b.rule.id ? -1 : 1),
  );
  const base = prices[0] ?? null;
  stacked.sort(
    (a, b) => b.contract.priority - a.contract.priority || (a.contract.id < b.contract.id ? -1 : 1),
  );
  const baseMinor = base ? base.unit : listMinor;
  if (baseMinor === null) return null;
  const stackedRules = stacked.flatMap((s) => s.applied);
  const applied = [...(base ? base.applied : []), ...stackedRules];
  return {
    unitMinor: exactly(
      baseMinor,
      stackedRules.map((r) => r.discountBp ?? 0),
    ),
    listMinor,
    ruleId: base?.applied[0]?.id ?? null,
    ruleIds: applied.map((r) => r.id),
    tierMinQuantity: Math.max(1, ...applied.map((r) => r.minQuantity)),
  };
}

describe('pricing engine properties', () => {
  it('never quotes a negative or fractional unit price', () => {
    fc.assert(
      fc.property(worldArb, fc.array(quantityArb, { maxLength: 5 }), ({ items, contracts, rules }, qs) => {
        const book = new PriceBook(contracts, rules);
        for (const item of items) {
          for (const q of probes(qs)) {
            const quote = book.quote(item, q, item.listMinor, NOW);
            if (quote === null) continue;
            expect(Number.isSafeInteger(quote.unitMinor)).toBe(true);
            expect(quote.unitMinor).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('is deterministic: the order of contracts and rules does not matter', () => {
    const shuffled = worldArb.chain((world) =>
      fc.record({
        world: fc.constant(world),
        contracts: fc.shuffledSubarray(world.contracts, {
          minLength: world.contracts.length,
          maxLength: world.contracts.length,
        }),
        rules: fc.shuffledSubarray(world.rules, {
          minLength: world.rules.length,
          maxLength: world.rules.length,
        }),
        quantity: quantityArb,
      }),
    );
    fc.assert(
      fc.property(shuffled, ({ world, contracts, rules, quantity }) => {
        const a = new PriceBook(world.contracts, world.rules);
        const b = new PriceBook(contracts, rules);
        for (const item of world.items) {
          expect(b.quote(item, quantity, item.listMinor, NOW)).toStrictEqual(
            a.quote(item, quantity, item.listMinor, NOW),
          );
          expect(b.ladder(item, item.listMinor, NOW)).toStrictEqual(a.ladder(item, item.listMinor, NOW));
        }
      }),
      RUNS,
    );
  });

  const ordered = fc
    .tuple(quantityArb, quantityArb)
    .filter(([a, b]) => a !== b)
    .map(([a, b]): [number, number] => (a < b ? [a, b] : [b, a]));
  const inTiersBetween = (q1: number, q2: number) => (r: PriceRule) =>
    q1 < r.minQuantity && r.minQuantity <= q2;

  it('from q1 to q2 only the rules of the tiers in (q1, q2] change the quote, so only they can raise the price', () => {
    fc.assert(
      fc.property(worldArb, ordered, ({ items, contracts, rules }, [q1, q2]) => {
        const book = new PriceBook(contracts, rules);
        // the book without the tiers in between prices q2 exactly as the full book prices q1
        const without = new PriceBook(
          contracts,
          rules.filter((r) => !inTiersBetween(q1, q2)(r)),
        );
        for (const item of items) {
          const low = book.quote(item, q1, item.listMinor, NOW);
          expect(without.quote(item, q2, item.listMinor, NOW)).toStrictEqual(low);
          const high = book.quote(item, q2, item.listMinor, NOW);
          if (low !== null && high !== null && high.unitMinor > low.unitMinor) {
            const cause = rules.filter(
              (r) => inTiersBetween(q1, q2)(r) && matches(r, item) && inForce(r, NOW),
            );
            expect(
              cause.length,
              `${item.sku}: ${low.unitMinor} at ${q1}, ${high.unitMinor} at ${q2}`,
            ).toBeGreaterThan(0);
          }
        }
      }),
      RUNS,
    );
  });

  it('with one contract, a higher unit price at q2 names a rule whose tier is in (q1, q2]', () => {
    // With several contracts this does not hold: a dearer rule of a new tier can displace its contract's
    // cheaper winner, and the price rises to another contract's rule of an old tier (see pricing-engine.test.ts).
    fc.assert(
      fc.property(worldOf(1), ordered, ({ items, contracts, rules }, [q1, q2]) => {
        const book = new PriceBook(contracts, rules);
        const byId = new Map(rules.map((r) => [r.id, r]));
        for (const item of items) {
          const low = book.quote(item, q1, item.listMinor, NOW);
          const high = book.quote(item, q2, item.listMinor, NOW);
          if (low === null || high === null || high.unitMinor <= low.unitMinor) continue;
          const named = high.ruleIds.flatMap((id) => byId.get(id) ?? []);
          expect(
            named.some(inTiersBetween(q1, q2)),
            `${item.sku}: ${low.unitMinor} at ${q1}, ${high.unitMinor} at ${q2}`,
          ).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('agrees with a naive reading of the documented precedence', () => {
    fc.assert(
      fc.property(worldArb, quantityArb, ({ items, contracts, rules }, q) => {
        const book = new PriceBook(contracts, rules);
        for (const item of items) {
          expect(book.quote(item, q, item.listMinor, NOW), `${item.sku} × ${q}`).toStrictEqual(
            referenceQuote(contracts, rules, item, q, item.listMinor),
          );
        }
      }),
      RUNS,
    );
  });

  it('a contract discount never raises a price, and prices what it prices without it', () => {
    fc.assert(
      fc.property(worldArb, quantityArb, ({ items, contracts, rules }, q) => {
        const book = new PriceBook(contracts, rules);
        const without = new PriceBook(
          contracts,
          rules.filter((r) => r.appliesTo !== 'contract'),
        );
        for (const item of items) {
          const got = book.quote(item, q, item.listMinor, NOW);
          const before = without.quote(item, q, item.listMinor, NOW);
          expect(got === null, `${item.sku} × ${q}`).toBe(before === null);
          if (got && before) expect(got.unitMinor).toBeLessThanOrEqual(before.unitMinor);
        }
      }),
      RUNS,
    );
  });

  it('names only input rules, or the list price', () => {
    fc.assert(
      fc.property(worldArb, quantityArb, ({ items, contracts, rules }, q) => {
        const book = new PriceBook(contracts, rules);
        const byId = new Map(rules.map((r) => [r.id, r]));
        const stackable = new Set(contracts.filter((c) => c.combination === 'stackable').map((c) => c.id));
        for (const item of items) {
          const quote = book.quote(item, q, item.listMinor, NOW);
          if (quote === null) {
            expect(item.listMinor).toBeNull();
            continue;
          }
          expect(quote.listMinor).toBe(item.listMinor);
          for (const id of quote.ruleIds) {
            const rule = byId.get(id);
            expect(rule, id).toBeDefined();
            // and it applies: it targets the product, is in force and its tier is reached
            if (rule === undefined) continue;
            expect(matches(rule, item)).toBe(true);
            expect(inForce(rule, NOW)).toBe(true);
            expect(rule.minQuantity).toBeLessThanOrEqual(q);
          }
          if (quote.ruleId === null) {
            const stackedOnly = quote.ruleIds.every((id) => stackable.has(byId.get(id)?.contractId ?? ''));
            const listAlone = quote.ruleIds.length === 0 && quote.unitMinor === quote.listMinor;
            expect(listAlone || (quote.ruleIds.length > 0 && stackedOnly)).toBe(true);
          } else {
            expect(quote.ruleIds[0]).toBe(quote.ruleId);
          }
        }
      }),
      RUNS,
    );
  });

  it('the ladder answers every quantity exactly as a direct quote', () => {
    fc.assert(
      fc.property(worldArb, fc.array(quantityArb, { maxLength: 5 }), ({ items, contracts, rules }, qs) => {
        const book = new PriceBook(contracts, rules);
        for (const item of items) {
          const ladder = book.ladder(item, item.listMinor, NOW);
          const thresholds = ladder.map((s) => s.fromQuantity);
          expect([...thresholds].sort((x, y) => x - y)).toStrictEqual(thresholds);
          for (const q of probes([
            ...qs,
            ...thresholds,
            ...thresholds.map((t) => t - 1).filter((t) => t > 0),
          ])) {
            expect(withoutFrom(quoteFromLadder(ladder, q)), `${item.sku} × ${q}`).toStrictEqual(
              book.quote(item, q, item.listMinor, NOW),
            );
          }
        }
      }),
      RUNS,
    );
  });
});

describe('price index codec properties', () => {
  type GeneratedAssortmentRule = Omit<AssortmentRule, 'targetType' | 'target'> & { target: Targeted };
  const assortmentRuleArb: fc.Arbitrary<GeneratedAssortmentRule> = fc.record({
    id: fc.constantFrom('s1', 's2', 's3', 's4'),
    effect: fc.constantFrom(
      'include' as const,
      'exclude' as const,
      'not_orderable' as const,
      'lead_time' as const,
    ),
    target: targetArb,
    leadTimeDays: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
  });
  interface CodecWorld {
    world: World;
    assortment: GeneratedAssortmentRule[];
    hiddenReplacements: string[];
  }
  const codecWorld: fc.Arbitrary<CodecWorld> = fc.record({
    world: worldArb,
    assortment: fc.uniqueArray(assortmentRuleArb, { maxLength: 4, selector: (r) => r.id }),
    hiddenReplacements: fc.subarray(SKUS),
  });

  function entriesOf({ world, assortment, hiddenReplacements }: CodecWorld): CatalogEntry[] {
    const book = new PriceBook(world.contracts, world.rules);
    const rules: AssortmentRule[] = assortment.map((r) => ({
      id: r.id,
      effect: r.effect,
      ...r.target,
      leadTimeDays: r.leadTimeDays,
    }));
    const context = {
      book,
      assortment: new Assortment(rules),
      now: NOW,
      isVisible: (sku: string) => !hiddenReplacements.includes(sku),
    };
    return [...world.items]
      .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0))
      .map((item) => compileEntry(item, item.listMinor, context))
      .filter((e): e is CatalogEntry => e !== null);
  }

  it('a part written from engine entries gives back every entry, and null for any other SKU', () => {
    fc.assert(
      fc.property(codecWorld, (input) => {
        const entries = entriesOf(input);
        const writer = new PartWriter(1_000_000);
        for (const entry of entries) expect(writer.tryAdd(entry)).toBe(true);
        const part = IndexPart.open(writer.finish());
        expect(part.size).toBe(entries.length);
        expect([...part.all()]).toStrictEqual(entries);
        for (const entry of entries) expect(part.get(entry.sku)).toStrictEqual(entry);
        const present = new Set(entries.map((e) => e.sku));
        for (const sku of [...SKUS, '', 'AA', 'ZZ', '!']) {
          if (!present.has(sku)) expect(part.get(sku)).toBeNull();
        }
      }),
      RUNS,
    );
  });

  it('partOf finds the part of every SKU from the sorted first SKUs of the parts', () => {
    const sortedSkus = fc
      .uniqueArray(
        fc.string({ unit: fc.constantFrom('A', 'B', 'C', '-', '0'), minLength: 1, maxLength: 4 }),
        {
          minLength: 1,
          maxLength: 40,
        },
      )
      .map((skus) => skus.sort());
    const split = sortedSkus.chain((skus) =>
      fc.record({
        skus: fc.constant(skus),
        // where each part starts: the first SKU always, then any subset of the others
        starts: fc.subarray(skus.map((_, i) => i).slice(1)).map((cut) => [0, ...cut.sort((x, y) => x - y)]),
        probe: fc.string({ unit: fc.constantFrom('A', 'B', 'C', '-', '0', 'D'), maxLength: 5 }),
      }),
    );
    fc.assert(
      fc.property(split, ({ skus, starts, probe }) => {
        const parts = starts.map((i) => skus[i] ?? '');
        skus.forEach((sku, i) => {
          const expected = starts.filter((s) => s <= i).length - 1;
          expect(partOf(parts, sku), sku).toBe(expected);
        });
        // any other SKU: the last part that starts at or before it (the first part when none does)
        const expected = Math.max(0, parts.filter((first) => first <= probe).length - 1);
        expect(partOf(parts, probe)).toBe(expected);
      }),
      RUNS,
    );
  });
});

describe('stacked discounts', () => {
  /** minor × Π(10,000 − bp) / 10,000ⁿ, rounded half-up, by quotient and remainder. */
  function exact(minor: number, bps: readonly number[]): number {
    let numerator = BigInt(minor);
    let denominator = 1n;
    for (const bp of bps) {
      numerator *= BigInt(10_000 - bp);
      denominator *= 10_000n;
    }
    const quotient = numerator / denominator;
    const remainder = numerator % denominator;
    return Number(remainder * 2n >= denominator ? quotient + 1n : quotient);
  }

  it('discountedByAll is exact rational arithmetic rounded half-up once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 5000, 10_000)), {
          maxLength: 5,
        }),
        (minor, bps) => {
          expect(discountedByAll(minor, bps)).toBe(exact(minor, bps));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('discountedByAll of one discount is discounted, and of none the price itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 10_000 }), (minor, bp) => {
        expect(discountedByAll(minor, [bp])).toBe(discounted(minor, bp));
        expect(discountedByAll(minor, [])).toBe(minor);
      }),
      { numRuns: 1000 },
    );
  });
});

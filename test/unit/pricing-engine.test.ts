import { describe, expect, it } from 'vitest';
import {
  type AssortedProduct,
  Assortment,
  type AssortmentRule,
  type Visibility,
} from '../../src/domain/pricing/assortment';
import { type Contract, PriceBook, type PriceRule, quoteFromLadder } from '../../src/domain/pricing/engine';
import { compileEntry, lineAt } from '../../src/domain/pricing/evaluate';
import {
  type CompanyNode,
  canonicalInputs,
  INDEX_FORMAT_VERSION,
  type InputsCatalog,
  type PricingInputs,
  resolveInputs,
} from '../../src/domain/pricing/inputs';
import {
  assortmentRule,
  contract,
  DAY,
  type Expected,
  NOW,
  net,
  off,
  product,
  quoteOf,
  withoutFrom,
} from './pricing-fixtures';

const LIST = 10_000;
const DRILL = product();
const FAMILY = ['family', 'drill-pro'] as const;
const SKU = ['sku', 'DR-100'] as const;

interface PriceCase {
  name: string;
  contracts: Contract[];
  rules: PriceRule[];
  list: number | null;
  /** quantity → expected quote, or null for "no price" */
  at: [quantity: number, expected: Expected | null][];
}

const listOnly = (...quantities: number[]): PriceCase['at'] =>
  quantities.map((q) => [q, [LIST, null, [], 1]]);

const PRICE_CASES: PriceCase[] = [
  {
    name: 'no contract: the list price',
    contracts: [],
    rules: [],
    list: LIST,
    at: listOnly(1, 100, 5000),
  },
  {
    name: 'a contract without a rule for the product: the list price',
    contracts: [contract('c1')],
    rules: [
      net('other-sku', ['sku', 'DR-200'], 100),
      off('other-family', ['family', 'saw'], 5000),
      off('other-category', ['category', 'tools/power/drill'], 5000), // a prefix, not an ancestor
      off('other-brand', ['brand', 'acme-pro'], 5000),
    ],
    list: LIST,
    at: listOnly(1, 1000),
  },
  {
    name: 'SKU net price beats a cheaper family discount of the same contract',
    contracts: [contract('c1')],
    rules: [net('sku-net', SKU, 9500), off('family-off', FAMILY, 5000)],
    list: LIST,
    at: [[1, [9500, 'sku-net', ['sku-net'], 1]]],
  },
  {
    name: 'family discount beats a cheaper category discount',
    contracts: [contract('c1')],
    rules: [off('family-off', FAMILY, 1000), off('category-off', ['category', 'tools/power/drills'], 5000)],
    list: LIST,
    at: [[1, [9000, 'family-off', ['family-off'], 1]]],
  },
  {
    name: 'deeper category beats shallower (leaf over parent)',
    contracts: [contract('c1')],
    rules: [
      off('drills', ['category', 'tools/power/drills'], 1000),
      off('cat-power', ['category', 'tools/power'], 5000),
    ],
    list: LIST,
    at: [[1, [9000, 'drills', ['drills'], 1]]],
  },
  {
    name: 'deeper category beats shallower (parent over root)',
    contracts: [contract('c1')],
    rules: [off('cat-tools', ['category', 'tools'], 5000), off('power', ['category', 'tools/power'], 1000)],
    list: LIST,
    at: [[1, [9000, 'power', ['power'], 1]]],
  },
  {
    name: 'category discount beats a cheaper brand discount',
    contracts: [contract('c1')],
    rules: [off('root', ['category', 'tools'], 1000), off('brand', ['brand', 'acme'], 5000)],
    list: LIST,
    at: [[1, [9000, 'root', ['root'], 1]]],
  },
  {
    name: 'brand discount beats a cheaper global discount',
    contracts: [contract('c1')],
    rules: [off('brand', ['brand', 'acme'], 1000), off('all-off', 'all', 5000)],
    list: LIST,
    at: [[1, [9000, 'brand', ['brand'], 1]]],
  },
  {
    name: 'SKU net price beats a much cheaper global net price',
    contracts: [contract('c1')],
    rules: [net('global', 'all', 100), net('sku-net', SKU, 9000)],
    list: LIST,
    at: [[1, [9000, 'sku-net', ['sku-net'], 1]]],
  },
  {
    name: 'within a contract specificity outranks a higher quantity tier',
    contracts: [contract('c1')],
    rules: [off('family-off', FAMILY, 1000), off('brand-bulk', ['brand', 'acme'], 5000, { minQuantity: 10 })],
    list: LIST,
    at: [
      [1, [9000, 'family-off', ['family-off'], 1]],
      [10, [9000, 'family-off', ['family-off'], 1]],
    ],
  },
  {
    name: 'same specificity: the higher rule priority wins, even when dearer',
    contracts: [contract('c1')],
    rules: [off('a-low', FAMILY, 2000, { priority: 0 }), off('high', FAMILY, 1000, { priority: 1 })],
    list: LIST,
    at: [[1, [9000, 'high', ['high'], 1]]],
  },
  {
    name: 'same specificity and priority: the lower rule id wins (deterministic)',
    contracts: [contract('c1')],
    rules: [off('r-b', FAMILY, 1000), off('r-a', FAMILY, 2000)],
    list: LIST,
    at: [[1, [8000, 'r-a', ['r-a'], 1]]],
  },
  {
    name: 'quantity tiers: ≥10 −5 %, ≥100 −12 % off the list price',
    contracts: [contract('c1')],
    rules: [off('t10', FAMILY, 500, { minQuantity: 10 }), off('t100', FAMILY, 1200, { minQuantity: 100 })],
    list: LIST,
    at: [
      [1, [LIST, null, [], 1]],
      [9, [LIST, null, [], 1]],
      [10, [9500, 't10', ['t10'], 10]],
      [99, [9500, 't10', ['t10'], 10]],
      [100, [8800, 't100', ['t100'], 100]],
      [5000, [8800, 't100', ['t100'], 100]],
    ],
  },
  {
    name: 'quantity tiers: a net price per tier',
    contracts: [contract('c1')],
    rules: [
      net('n1', SKU, 1000),
      net('n10', SKU, 900, { minQuantity: 10 }),
      net('n100', SKU, 800, { minQuantity: 100 }),
    ],
    list: LIST,
    at: [
      [1, [1000, 'n1', ['n1'], 1]],
      [9, [1000, 'n1', ['n1'], 1]],
      [10, [900, 'n10', ['n10'], 10]],
      [99, [900, 'n10', ['n10'], 10]],
      [100, [800, 'n100', ['n100'], 100]],
      [5000, [800, 'n100', ['n100'], 100]],
    ],
  },
  {
    name: 'two best_price contracts: the lowest price wins, even from a less specific rule',
    contracts: [contract('c1'), contract('c2')],
    rules: [net('c1-sku', SKU, 9000), off('c2-all', 'all', 1500, { contractId: 'c2' })],
    list: LIST,
    at: [[1, [8500, 'c2-all', ['c2-all'], 1]]],
  },
  {
    name: 'two best_price contracts: a bulk tier of one undercuts the other from its quantity',
    contracts: [contract('c1'), contract('c2')],
    rules: [
      net('c1-sku', SKU, 9000),
      net('c2-sku', SKU, 9500, { contractId: 'c2' }),
      net('c2-bulk', SKU, 8000, { contractId: 'c2', minQuantity: 100 }),
    ],
    list: LIST,
    at: [
      [99, [9000, 'c1-sku', ['c1-sku'], 1]],
      [100, [8000, 'c2-bulk', ['c2-bulk'], 100]],
    ],
  },
  {
    name: 'two contracts at the same price: the more specific rule is named, then the lower rule id',
    contracts: [contract('c1'), contract('c2'), contract('c3')],
    rules: [
      off('a-brand', ['brand', 'acme'], 1000),
      net('z-family', FAMILY, 9000, { contractId: 'c2' }),
      net('m-family', FAMILY, 9000, { contractId: 'c3' }),
    ],
    list: LIST,
    at: [[1, [9000, 'm-family', ['m-family'], 1]]],
  },
  {
    // Documented precedence, recorded as is: the rule that raises the price is not the one the quote names.
    name: 'a dearer rule of a higher tier displaces its contract’s cheaper winner: the price rises to another contract’s rule',
    contracts: [contract('c1'), contract('c2')],
    rules: [
      net('c1-family', FAMILY, 5000),
      net('c1-sku-bulk', SKU, 10_000, { minQuantity: 10 }),
      net('c2-all', 'all', 8000, { contractId: 'c2' }),
    ],
    list: LIST,
    at: [
      [9, [5000, 'c1-family', ['c1-family'], 1]],
      [10, [8000, 'c2-all', ['c2-all'], 1]],
    ],
  },
  {
    name: 'a net price above the list price still applies (the contract says so)',
    contracts: [contract('c1')],
    rules: [net('dear', SKU, 12_000)],
    list: LIST,
    at: [[1, [12_000, 'dear', ['dear'], 1]]],
  },
  {
    name: 'stackable promotions compound on a contract net price, highest contract priority first: 999 × 0.9 × 0.95 = 854.145 → 854',
    contracts: [
      contract('c1'),
      contract('p-low', 'stackable', { priority: 1 }),
      contract('p-high', 'stackable', { priority: 2 }),
    ],
    rules: [
      net('net', SKU, 999),
      off('promo-5', 'all', 500, { contractId: 'p-low' }),
      off('promo-10', 'all', 1000, { contractId: 'p-high' }),
    ],
    list: LIST,
    at: [[1, [854, 'net', ['net', 'promo-10', 'promo-5'], 1]]],
  },
  {
    name: 'stacked discounts round once: 5 × 0.5 × 0.5 = 1.25 → 1 (rounding per step would give 2)',
    contracts: [contract('c1'), contract('p-a', 'stackable'), contract('p-b', 'stackable')],
    rules: [
      net('net', SKU, 5),
      off('half-a', 'all', 5000, { contractId: 'p-a' }),
      off('half-b', 'all', 5000, { contractId: 'p-b' }),
    ],
    list: LIST,
    // equal contract priority: contract id order
    at: [[1, [1, 'net', ['net', 'half-a', 'half-b'], 1]]],
  },
  {
    name: 'a stackable discount on the list price alone: no base rule, the promotion named',
    contracts: [contract('promo', 'stackable')],
    rules: [off('promo-10', 'all', 1000, { contractId: 'promo', minQuantity: 10 })],
    list: LIST,
    at: [
      [9, [LIST, null, [], 1]],
      [10, [9000, null, ['promo-10'], 10]],
    ],
  },
  {
    name: 'a stackable contract’s net price competes with best_price contracts',
    contracts: [contract('c1'), contract('s1', 'stackable')],
    rules: [net('c1-net', SKU, 9000), net('s1-net', FAMILY, 8000, { contractId: 's1' })],
    list: LIST,
    at: [[1, [8000, 's1-net', ['s1-net'], 1]]],
  },
  {
    name: 'the tier of a quote is the highest tier among base and stacked rules',
    contracts: [contract('c1'), contract('promo', 'stackable')],
    rules: [
      net('net', SKU, 1000, { minQuantity: 5 }),
      off('bulk-promo', 'all', 1000, { contractId: 'promo', minQuantity: 50 }),
    ],
    list: LIST,
    at: [
      [4, [LIST, null, [], 1]],
      [5, [1000, 'net', ['net'], 5]],
      [50, [900, 'net', ['net', 'bulk-promo'], 50]],
    ],
  },
  {
    name: 'no list price: a more specific discount is ignored and the net price prices the product',
    contracts: [contract('c1')],
    rules: [off('sku-off', SKU, 2000), net('family-net', FAMILY, 7000)],
    list: null,
    at: [[1, [7000, 'family-net', ['family-net'], 1]]],
  },
  {
    name: 'no list price: a discount contract is ignored, another contract’s net price applies',
    contracts: [contract('c1'), contract('c2')],
    rules: [off('half', 'all', 5000), net('c2-net', SKU, 7000, { contractId: 'c2' })],
    list: null,
    at: [[1, [7000, 'c2-net', ['c2-net'], 1]]],
  },
  {
    name: 'no list price: a stackable promotion (a discount) does not apply, the net price does',
    contracts: [contract('c1'), contract('promo', 'stackable')],
    rules: [net('c1-net', SKU, 8000), off('promo-off', 'all', 1000, { contractId: 'promo' })],
    list: null,
    at: [[1, [8000, 'c1-net', ['c1-net'], 1]]],
  },
  {
    name: 'no list price and no net price: no quote',
    contracts: [contract('c1'), contract('promo', 'stackable')],
    rules: [off('c1-off', FAMILY, 1000), off('promo-off', 'all', 1000, { contractId: 'promo' })],
    list: null,
    at: [
      [1, null],
      [1000, null],
    ],
  },
  {
    name: 'no list price, a net price from 10 only: no quote below 10',
    contracts: [contract('c1')],
    rules: [net('bulk', SKU, 7000, { minQuantity: 10 })],
    list: null,
    at: [
      [9, null],
      [10, [7000, 'bulk', ['bulk'], 10]],
    ],
  },
  {
    name: 'rules of a contract the book does not know are ignored',
    contracts: [contract('c1')],
    rules: [net('ghost', SKU, 1, { contractId: 'c-unknown' })],
    list: LIST,
    at: listOnly(1),
  },
];

describe('price book: contract precedence', () => {
  it.each(PRICE_CASES)('$name', ({ contracts, rules, list, at }) => {
    const book = new PriceBook(contracts, rules);
    for (const [quantity, expected] of at) {
      const got = book.quote(DRILL, quantity, list, NOW);
      expect(got, `quantity ${quantity}`).toStrictEqual(expected === null ? null : quoteOf(list, expected));
      // the ladder gives the same answer for every case
      expect(withoutFrom(quoteFromLadder(book.ladder(DRILL, list, NOW), quantity))).toStrictEqual(got);
    }
  });
});

describe('price book: validity windows (validFrom inclusive, validTo exclusive)', () => {
  const from = NOW;
  const to = NOW + DAY;
  const ruleWindowed = new PriceBook(
    [contract('c1')],
    [off('promo', FAMILY, 1000, { validFrom: from, validTo: to })],
  );
  const contractWindowed = new PriceBook(
    [contract('c1', 'best_price', { validFrom: from, validTo: to })],
    [off('promo', FAMILY, 1000)],
  );

  it.each([
    ['rule', 'one ms before validFrom', from - 1, LIST],
    ['rule', 'at validFrom', from, 9000],
    ['rule', 'one ms before validTo', to - 1, 9000],
    ['rule', 'at validTo', to, LIST],
    ['contract', 'one ms before validFrom', from - 1, LIST],
    ['contract', 'at validFrom', from, 9000],
    ['contract', 'one ms before validTo', to - 1, 9000],
    ['contract', 'at validTo', to, LIST],
  ] as const)('%s window, %s: %i', (which, _when, now, unit) => {
    const book = which === 'rule' ? ruleWindowed : contractWindowed;
    const quote = book.quote(DRILL, 1, LIST, now);
    expect(quote?.unitMinor).toBe(unit);
    expect(quote?.ruleId).toBe(unit === LIST ? null : 'promo');
  });

  it('an open-ended window is in force on its open side', () => {
    const book = new PriceBook(
      [contract('c1', 'best_price', { validFrom: from })],
      [off('promo', FAMILY, 1000, { validTo: to })],
    );
    expect(book.quote(DRILL, 1, LIST, from - 1)?.unitMinor).toBe(LIST);
    expect(book.quote(DRILL, 1, LIST, from)?.unitMinor).toBe(9000);
    expect(book.quote(DRILL, 1, LIST, to)?.unitMinor).toBe(LIST);
  });
});

describe('price book: ladder and next change', () => {
  it('has one step per quantity where the price or its rules change, and none where nothing does', () => {
    const book = new PriceBook(
      [contract('c1')],
      [
        off('t10', FAMILY, 500, { minQuantity: 10 }),
        off('t100', FAMILY, 1200, { minQuantity: 100 }),
        // outranked by the family rules from 10 on, and in force from 50 only: no step of its own
        off('brand-50', ['brand', 'acme'], 9000, { minQuantity: 50 }),
      ],
    );
    expect(book.ladder(DRILL, LIST, NOW)).toStrictEqual([
      { ...quoteOf(LIST, [LIST, null, [], 1]), fromQuantity: 1 },
      { ...quoteOf(LIST, [9500, 't10', ['t10'], 10]), fromQuantity: 10 },
      { ...quoteOf(LIST, [8800, 't100', ['t100'], 100]), fromQuantity: 100 },
    ]);
  });

  it('is empty without any price, and starts at the first priced tier without a list price', () => {
    const unpriced = new PriceBook([contract('c1')], [off('off', 'all', 1000)]);
    expect(unpriced.ladder(DRILL, null, NOW)).toStrictEqual([]);
    const bulkOnly = new PriceBook([contract('c1')], [net('bulk', SKU, 700, { minQuantity: 10 })]);
    expect(bulkOnly.ladder(DRILL, null, NOW)).toStrictEqual([
      { ...quoteOf(null, [700, 'bulk', ['bulk'], 10]), fromQuantity: 10 },
    ]);
  });

  const windowed = new PriceBook(
    [
      contract('c1', 'best_price', { validFrom: NOW - 10 * DAY, validTo: NOW + 5 * DAY }),
      contract('c2', 'stackable', { validFrom: NOW + 3 * DAY }),
    ],
    [
      off('starts-now', FAMILY, 100, { validFrom: NOW }),
      off('starts-tomorrow', FAMILY, 100, { validFrom: NOW + DAY }),
      off('ends-in-two', 'all', 100, { contractId: 'c2', validTo: NOW + 2 * DAY }),
      // a rule of an unknown contract can never be in force, so its window changes nothing
      off('ghost', 'all', 100, { contractId: 'c-unknown', validFrom: NOW + 1 }),
    ],
  );

  it.each([
    ['before every boundary', NOW - 11 * DAY, NOW - 10 * DAY],
    ['a boundary at now is not in the future', NOW, NOW + DAY],
    ['the earliest of rule and contract boundaries', NOW + DAY, NOW + 2 * DAY],
    ['a contract boundary', NOW + 2 * DAY, NOW + 3 * DAY],
    ['a contract end', NOW + 4 * DAY, NOW + 5 * DAY],
    ['nothing after the last boundary', NOW + 5 * DAY, null],
  ])('nextChange: %s', (_name, now, expected) => {
    expect(windowed.nextChange(now)).toBe(expected);
  });

  it('nextChange is null without any window', () => {
    expect(new PriceBook([contract('c1')], [off('off', 'all', 100)]).nextChange(NOW)).toBeNull();
  });
});

const visible = (overrides: Partial<Extract<Visibility, { visible: true }>> = {}): Visibility => ({
  visible: true,
  orderable: true,
  reason: null,
  reasonRuleId: null,
  leadTimeDays: 0,
  replacementSku: null,
  ...overrides,
});

interface AssortmentCase {
  name: string;
  rules: AssortmentRule[];
  product: AssortedProduct;
  expected: Visibility;
}

const ASSORTMENT_CASES: AssortmentCase[] = [
  { name: 'no rules: visible and orderable', rules: [], product: DRILL, expected: visible() },
  {
    name: 'exclude a category: its subtree is hidden',
    rules: [assortmentRule('x-power', 'exclude', ['category', 'tools/power'])],
    product: DRILL,
    expected: { visible: false, ruleId: 'x-power' },
  },
  {
    name: 'exclude a category: a sibling subtree stays visible',
    rules: [assortmentRule('x-power', 'exclude', ['category', 'tools/power'])],
    product: product({ categoryPath: 'tools/hand/hammers' }),
    expected: visible(),
  },
  {
    name: 'exclude a category: a category that merely shares its prefix stays visible',
    rules: [assortmentRule('x-power', 'exclude', ['category', 'tools/power'])],
    product: product({ categoryPath: 'tools/powerless' }),
    expected: visible(),
  },
  {
    name: 'include rules make an allow-list: a product outside every include is hidden',
    rules: [assortmentRule('i-hand', 'include', ['category', 'tools/hand'])],
    product: DRILL,
    expected: { visible: false, ruleId: null },
  },
  {
    name: 'include rules make an allow-list: a product inside an include is visible',
    rules: [assortmentRule('i-hand', 'include', ['category', 'tools/hand'])],
    product: product({ categoryPath: 'tools/hand/hammers' }),
    expected: visible(),
  },
  {
    name: 'a SKU include inside an excluded category is visible (more specific wins)',
    rules: [
      assortmentRule('x-power', 'exclude', ['category', 'tools/power']),
      assortmentRule('i-sku', 'include', SKU),
    ],
    product: DRILL,
    expected: visible(),
  },
  {
    name: 'a deeper category exclude inside an included category hides',
    rules: [
      assortmentRule('i-tools', 'include', ['category', 'tools']),
      assortmentRule('x-drills', 'exclude', ['category', 'tools/power/drills']),
    ],
    product: DRILL,
    expected: { visible: false, ruleId: 'x-drills' },
  },
  {
    name: 'include and exclude at the same specificity: exclude wins (whatever the ids)',
    rules: [assortmentRule('a-include', 'include', FAMILY), assortmentRule('z-exclude', 'exclude', FAMILY)],
    product: DRILL,
    expected: { visible: false, ruleId: 'z-exclude' },
  },
  {
    name: 'not_orderable keeps the product visible but not orderable, naming the rule',
    rules: [assortmentRule('no-order', 'not_orderable', ['brand', 'acme'])],
    product: DRILL,
    expected: visible({ orderable: false, reason: 'not_orderable', reasonRuleId: 'no-order' }),
  },
  {
    name: 'not_orderable does not reveal a hidden product',
    rules: [
      assortmentRule('x-drills', 'exclude', ['category', 'tools/power/drills']),
      assortmentRule('no-order', 'not_orderable', SKU),
    ],
    product: DRILL,
    expected: { visible: false, ruleId: 'x-drills' },
  },
  {
    name: 'several not_orderable rules: the most specific is named',
    rules: [
      assortmentRule('all-blocked', 'not_orderable', 'all'),
      assortmentRule('family-blocked', 'not_orderable', FAMILY),
    ],
    product: DRILL,
    expected: visible({ orderable: false, reason: 'not_orderable', reasonRuleId: 'family-blocked' }),
  },
  {
    name: 'lead times: the largest matching one applies',
    rules: [
      assortmentRule('lt-brand', 'lead_time', ['brand', 'acme'], 3),
      assortmentRule('lt-category', 'lead_time', ['category', 'tools/power'], 7),
      assortmentRule('lt-all', 'lead_time', 'all', 2),
      assortmentRule('lt-other', 'lead_time', ['brand', 'other'], 30),
    ],
    product: DRILL,
    expected: visible({ leadTimeDays: 7 }),
  },
  {
    name: 'obsolete: visible, not orderable, reason obsolete, replacement kept',
    rules: [],
    product: product({ status: 'obsolete', replacementSku: 'DR-200' }),
    expected: visible({ orderable: false, reason: 'obsolete', replacementSku: 'DR-200' }),
  },
  {
    name: 'obsolete and not_orderable: obsolete is the reason',
    rules: [assortmentRule('no-order', 'not_orderable', SKU)],
    product: product({ status: 'obsolete', replacementSku: null }),
    expected: visible({ orderable: false, reason: 'obsolete' }),
  },
];

describe('assortment visibility', () => {
  it.each(ASSORTMENT_CASES)('$name', ({ rules, product: p, expected }) => {
    expect(new Assortment(rules).visibility(p)).toStrictEqual(expected);
  });
});

describe('compileEntry and lineAt', () => {
  const book = new PriceBook([contract('c1')], [off('t10', FAMILY, 500, { minQuantity: 10 })]);
  const context = (isVisible: (sku: string) => boolean, rules: AssortmentRule[] = []) => ({
    book,
    assortment: new Assortment(rules),
    now: NOW,
    isVisible,
  });
  const obsolete = product({ status: 'obsolete', replacementSku: 'DR-200' });

  it('names the replacement only when the customer can see it', () => {
    expect(
      compileEntry(
        obsolete,
        LIST,
        context(() => true),
      )?.replacementSku,
    ).toBe('DR-200');
    const hidden = compileEntry(
      obsolete,
      LIST,
      context((sku) => sku !== 'DR-200'),
    );
    expect(hidden).toMatchObject({
      sku: 'DR-100',
      orderable: false,
      reason: 'obsolete',
      replacementSku: null,
    });
  });

  it('a visible product without any price is not orderable, for no_price', () => {
    expect(
      compileEntry(
        DRILL,
        null,
        context(() => true),
      ),
    ).toStrictEqual({
      sku: 'DR-100',
      orderable: false,
      reason: 'no_price',
      reasonRuleId: null,
      leadTimeDays: 0,
      replacementSku: null,
      listMinor: null,
      ladder: [],
    });
  });

  it('an assortment reason is kept over no_price', () => {
    const entry = compileEntry(
      DRILL,
      null,
      context(() => true, [assortmentRule('nope', 'not_orderable', SKU)]),
    );
    expect(entry).toMatchObject({ orderable: false, reason: 'not_orderable', reasonRuleId: 'nope' });
  });

  it('a hidden product has no entry, and lineAt says it is not visible', () => {
    const entry = compileEntry(
      DRILL,
      LIST,
      context(() => true, [assortmentRule('x', 'exclude', SKU)]),
    );
    expect(entry).toBeNull();
    expect(lineAt(entry, 1)).toStrictEqual({ visible: false });
  });

  it('lineAt prices any quantity from the ladder', () => {
    const entry = compileEntry(
      DRILL,
      LIST,
      context(() => true, [assortmentRule('lt', 'lead_time', 'all', 4)]),
    );
    expect(entry?.ladder.map((s) => s.fromQuantity)).toStrictEqual([1, 10]);
    const base = {
      visible: true,
      orderable: true,
      reason: null,
      reasonRuleId: null,
      leadTimeDays: 4,
      replacementSku: null,
    };
    expect(lineAt(entry, 9)).toStrictEqual({ ...base, price: quoteOf(LIST, [LIST, null, [], 1]) });
    expect(lineAt(entry, 10)).toStrictEqual({ ...base, price: quoteOf(LIST, [9500, 't10', ['t10'], 10]) });
    expect(lineAt(entry, 1_000_000)).toStrictEqual({
      ...base,
      price: quoteOf(LIST, [9500, 't10', ['t10'], 10]),
    });
  });
});

describe('resolveInputs', () => {
  const company = (id: string, overrides: Partial<CompanyNode> = {}): [string, CompanyNode] => [
    id,
    { id, parentId: null, currency: 'EUR', country: 'DE', priceListId: null, ...overrides },
  ];
  const catalog: InputsCatalog = {
    companies: new Map([
      company('parent', { priceListId: 'pl-special' }),
      company('child', { parentId: 'parent', country: 'AT' }),
      company('grandchild', { parentId: 'child' }),
      company('own', { parentId: 'parent' }),
      company('usd-child', { parentId: 'parent', currency: 'USD', country: 'US' }),
      company('loner'),
      company('cycle-a', { parentId: 'cycle-b' }),
      company('cycle-b', { parentId: 'cycle-a' }),
    ]),
    priceLists: new Map([
      ['pl-eur', 'EUR'],
      ['pl-special', 'EUR'],
      ['pl-usd', 'USD'],
    ]),
    defaultListByCurrency: new Map([
      ['EUR', 'pl-eur'],
      ['USD', 'pl-usd'],
    ]),
    groupsByCompany: new Map([
      ['parent', ['g-vip']],
      ['own', ['g-small']],
    ]),
    contracts: [
      { id: 'k-parent', currency: 'EUR', companyId: 'parent', groupId: null },
      { id: 'k-parent-usd', currency: 'USD', companyId: 'parent', groupId: null },
      { id: 'k-own', currency: 'EUR', companyId: 'own', groupId: null },
      { id: 'k-vip', currency: 'EUR', companyId: null, groupId: 'g-vip' },
      { id: 'k-vip-usd', currency: 'USD', companyId: null, groupId: 'g-vip' },
      { id: 'k-small', currency: 'EUR', companyId: null, groupId: 'g-small' },
      { id: 'k-other-group', currency: 'EUR', companyId: null, groupId: 'g-other' },
    ],
    assortmentRules: [
      { id: 'a-parent', scopeType: 'company', companyId: 'parent', groupId: null, region: null },
      { id: 'a-own', scopeType: 'company', companyId: 'own', groupId: null, region: null },
      { id: 'a-vip', scopeType: 'group', companyId: null, groupId: 'g-vip', region: null },
      { id: 'a-de', scopeType: 'region', companyId: null, groupId: null, region: 'DE' },
      { id: 'a-at', scopeType: 'region', companyId: null, groupId: null, region: 'AT' },
    ],
  };
  const inputs = (
    currency: string,
    priceListId: string | null,
    contractIds: string[],
    assortmentRuleIds: string[],
  ): PricingInputs => ({ v: INDEX_FORMAT_VERSION, currency, priceListId, contractIds, assortmentRuleIds });

  it.each([
    {
      name: 'a root company: its own list, company and group contracts, company, group and region rules',
      companyId: 'parent',
      expected: inputs('EUR', 'pl-special', ['k-parent', 'k-vip'], ['a-de', 'a-parent', 'a-vip']),
    },
    {
      name: 'a child inherits its parent’s list, contracts, groups and company rules; region rules by its own country',
      companyId: 'child',
      expected: inputs('EUR', 'pl-special', ['k-parent', 'k-vip'], ['a-at', 'a-parent', 'a-vip']),
    },
    {
      name: 'a grandchild inherits through the chain',
      companyId: 'grandchild',
      expected: inputs('EUR', 'pl-special', ['k-parent', 'k-vip'], ['a-de', 'a-parent', 'a-vip']),
    },
    {
      name: 'a child with its own contract, groups and rules does not get the parent’s',
      companyId: 'own',
      expected: inputs('EUR', 'pl-special', ['k-own', 'k-small'], ['a-de', 'a-own']),
    },
    {
      name: 'a child in another currency: default list of its currency, only contracts in its currency',
      companyId: 'usd-child',
      expected: inputs('USD', 'pl-usd', ['k-parent-usd', 'k-vip-usd'], ['a-parent', 'a-vip']),
    },
    {
      name: 'a company without a list override gets the default list of its currency',
      companyId: 'loner',
      expected: inputs('EUR', 'pl-eur', [], ['a-de']),
    },
    {
      name: 'a parent cycle ends the chain instead of looping',
      companyId: 'cycle-a',
      expected: inputs('EUR', 'pl-eur', [], ['a-de']),
    },
  ])('$name', ({ companyId, expected }) => {
    expect(resolveInputs(catalog, companyId)).toStrictEqual(expected);
  });

  it('an unknown company has no inputs', () => {
    expect(resolveInputs(catalog, 'nobody')).toBeNull();
  });

  it('an override list in another currency than the company’s is not used', () => {
    const wrong: InputsCatalog = {
      ...catalog,
      companies: new Map([company('eur', { priceListId: 'pl-usd' })]),
    };
    expect(resolveInputs(wrong, 'eur')?.priceListId).toBe('pl-eur');
  });

  it('canonicalInputs is the same text for the same sets in any order, and differs for other sets', () => {
    const a = inputs('EUR', 'pl-eur', ['k2', 'k1', 'k3'], ['r2', 'r1']);
    const b = inputs('EUR', 'pl-eur', ['k3', 'k1', 'k2'], ['r1', 'r2']);
    expect(canonicalInputs(a)).toBe(canonicalInputs(b));
    expect(canonicalInputs(a)).not.toBe(canonicalInputs(inputs('EUR', 'pl-eur', ['k1', 'k3'], ['r1', 'r2'])));
    expect(canonicalInputs(a)).not.toBe(
      canonicalInputs(inputs('EUR', 'pl-special', ['k1', 'k2', 'k3'], ['r1', 'r2'])),
    );

    const reversed: InputsCatalog = {
      ...catalog,
      companies: new Map([...catalog.companies].reverse()),
      contracts: [...catalog.contracts].reverse(),
      assortmentRules: [...catalog.assortmentRules].reverse(),
    };
    for (const id of catalog.companies.keys()) {
      const original = resolveInputs(catalog, id);
      const shuffled = resolveInputs(reversed, id);
      expect(original).not.toBeNull();
      expect(shuffled && canonicalInputs(shuffled)).toBe(original && canonicalInputs(original));
    }
  });
});

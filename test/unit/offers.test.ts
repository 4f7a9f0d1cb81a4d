import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOffers, type CartOffer, type OfferLine } from '../../src/domain/offers';
import { matches } from '../../src/domain/pricing/targets';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const DAY = 86_400_000;

function threshold(
  id: string,
  thresholdMinor: number,
  discountBp: number,
  o: Partial<CartOffer> = {},
): CartOffer {
  return {
    id,
    name: `Offer ${id}`,
    description: `About ${id}`,
    kind: 'spend_threshold',
    currency: 'EUR',
    thresholdMinor,
    discountBp,
    targetType: null,
    target: null,
    buyQuantity: null,
    freeQuantity: null,
    maxApplications: null,
    priority: 0,
    combinable: true,
    validFrom: null,
    validTo: null,
    ...o,
  };
}

function bxgy(id: string, buy: number, free: number, o: Partial<CartOffer> = {}): CartOffer {
  return {
    ...threshold(id, 0, 0),
    kind: 'buy_x_get_y',
    thresholdMinor: null,
    discountBp: null,
    targetType: 'all',
    buyQuantity: buy,
    freeQuantity: free,
    ...o,
  };
}

function line(lineId: string, quantity: number, unitMinor: number, o: Partial<OfferLine> = {}): OfferLine {
  return {
    lineId,
    sku: `SKU-${lineId}`,
    family: 'Hex bolts',
    categoryPath: 'fasteners/bolts',
    brand: 'Acme',
    quantity,
    unitMinor,
    ...o,
  };
}

const run = (offers: CartOffer[], lines: OfferLine[], currency = 'EUR', now = NOW) =>
  applyOffers(offers, lines, currency, now);

/** [offer ids applied with their discounts], total discount */
const summary = (offers: CartOffer[], lines: OfferLine[]) => {
  const r = run(offers, lines);
  return { applied: r.applied.map((a) => [a.offerId, a.discountMinor]), discountMinor: r.discountMinor };
};

describe('spend thresholds', () => {
  it.each([
    // [case, subtotal, threshold, bp, expected discount]
    ['above the threshold', 60_000, 50_000, 500, 3_000],
    ['exactly at the threshold', 50_000, 50_000, 500, 2_500],
    ['one minor unit short', 49_999, 50_000, 500, 0],
    ['half-up: 50.5 → 51', 1_010, 0, 500, 51],
    ['half-up: 50.45 → 50', 1_009, 0, 500, 50],
    ['100 % makes the cart free', 12_345, 100, 10_000, 12_345],
  ])('%s: subtotal %i, %i at %i bp → %i off', (_case, subtotal, at, bp, expected) => {
    const r = run([threshold('off_t', at, bp)], [line('l1', 1, subtotal)]);
    expect(r.discountMinor).toBe(expected);
    expect(r.totalMinor).toBe(subtotal - expected);
    expect(r.applied.length).toBe(expected > 0 ? 1 : 0);
  });

  it('explains itself and names every line', () => {
    const r = run([threshold('off_t', 50_000, 500)], [line('b', 2, 20_000), line('a', 1, 20_000)]);
    expect(r.applied).toEqual([
      {
        offerId: 'off_t',
        name: 'Offer off_t',
        description: 'About off_t',
        discountMinor: 3_000,
        explanation: '5 % off orders of 500.00 EUR or more',
        lineIds: ['a', 'b'],
      },
    ]);
    expect(r.hints).toEqual([]);
  });

  it('among several reached thresholds only the best applies; the hint names the nearest better one', () => {
    const offers = [
      threshold('off_500', 50_000, 500),
      threshold('off_1000', 100_000, 1_000),
      threshold('off_2000', 200_000, 1_500),
      threshold('off_3000', 300_000, 2_000),
    ];
    const r = run(offers, [line('l1', 12, 10_000)]);
    expect(r.applied.map((a) => [a.offerId, a.discountMinor])).toEqual([['off_1000', 12_000]]);
    expect(r.hints).toEqual([{ offerId: 'off_2000', message: 'Spend 800.00 EUR more to get 15 % off' }]);
  });

  it('hints only at thresholds that would give more than a reached one', () => {
    const offers = [threshold('off_big', 10_000, 1_000), threshold('off_far_small', 50_000, 500)];
    expect(run(offers, [line('l1', 1, 20_000)]).hints).toEqual([]);
  });

  it('an empty cart gets nothing but the hint of the lowest threshold', () => {
    const r = run([threshold('off_hi', 100_000, 1_000), threshold('off_lo', 50_000, 500)], []);
    expect(r).toEqual({
      applied: [],
      discountMinor: 0,
      totalMinor: 0,
      subtotalMinor: 0,
      hints: [{ offerId: 'off_lo', message: 'Spend 500.00 EUR more to get 5 % off' }],
    });
  });

  it('formats amounts in the currency’s minor unit', () => {
    const r = run([threshold('off_jpy', 10_000, 250, { currency: 'JPY' })], [line('l1', 1, 9_000)], 'JPY');
    expect(r.hints).toEqual([{ offerId: 'off_jpy', message: 'Spend 1000 JPY more to get 2.5 % off' }]);
  });
});

describe('buy X get Y', () => {
  it.each([
    // [case, offer (buy, free, max), lines as [quantity, unit], expected discount, free units]
    ['one full block of 2 + 1', [2, 1, null], [[3, 100]], 100, 1],
    ['an incomplete block gives nothing', [2, 1, null], [[2, 100]], 0, 0],
    [
      'the last units of each block, dearest first',
      [1, 1, null],
      [
        [1, 300],
        [1, 50],
        [1, 200],
        [1, 100],
      ],
      250,
      2,
    ],
    [
      'blocks across lines',
      [2, 1, null],
      [
        [3, 100],
        [3, 50],
      ],
      150,
      2,
    ],
    [
      'a block spans two prices: the cheaper unit is free',
      [2, 1, null],
      [
        [2, 100],
        [1, 40],
      ],
      40,
      1,
    ],
    [
      'capped by maxApplications',
      [2, 1, 1],
      [
        [3, 100],
        [3, 50],
      ],
      100,
      1,
    ],
    ['the leftover units stay paid', [2, 1, null], [[7, 10]], 20, 2],
    ['buy 10 get 1: 22 units', [10, 1, null], [[22, 5]], 10, 2],
    [
      'several free per block',
      [2, 2, null],
      [
        [4, 10],
        [4, 1],
      ],
      22,
      4,
    ],
  ] as const)('%s', (_case, [buy, free, max], lines, expected, freeUnits) => {
    const r = run(
      [bxgy('off_b', buy, free, { maxApplications: max })],
      lines.map(([q, unit], i) => line(`l${i}`, q, unit)),
    );
    expect(r.discountMinor).toBe(expected);
    if (expected > 0)
      expect(r.applied[0]?.explanation).toBe(
        `Buy ${buy} get ${free} free on every product: ${freeUnits} free unit${freeUnits === 1 ? '' : 's'}`,
      );
    else expect(r.applied).toEqual([]);
  });

  it.each([
    // [target type, target, label, expected discount, free units]
    ['sku', 'SKU-a', 'SKU SKU-a', 100, 1],
    ['family', 'Hex bolts', 'family Hex bolts', 100, 1],
    ['category', 'fasteners/bolts', 'category fasteners/bolts', 100, 1],
    ['category', 'fasteners', 'category fasteners', 130, 2],
    ['category', 'fasteners/bo', '', 0, 0],
    ['brand', 'Würth', 'brand Würth', 30, 1],
  ] as const)('targets %s %s', (targetType, target, label, expected, freeUnits) => {
    const lines = [
      line('a', 2, 100),
      line('b', 1, 40, { family: 'Nuts', categoryPath: 'fasteners/nuts', brand: 'Würth' }),
      line('c', 1, 30, { family: 'Nuts', categoryPath: 'fasteners/nuts', brand: 'Würth' }),
    ];
    const r = run([bxgy('off_b', 1, 1, { targetType, target })], lines);
    expect(r.discountMinor).toBe(expected);
    expect(r.applied.map((a) => a.explanation)).toEqual(
      expected > 0
        ? [`Buy 1 get 1 free on ${label}: ${freeUnits} free unit${freeUnits === 1 ? '' : 's'}`]
        : [],
    );
  });

  it('names the lines that have free units, sorted', () => {
    const r = run([bxgy('off_b', 2, 1)], [line('z', 2, 100), line('y', 3, 10), line('x', 1, 1)]);
    // units 100 100 10 | 10 10 1 → free: 10 and 1
    expect(r.applied[0]).toMatchObject({ discountMinor: 11, lineIds: ['x', 'y'] });
  });

  it('a unit counts for one offer only: blocks of the earlier offer are used up', () => {
    const lines = [
      line('a', 2, 100),
      line('b', 1, 10, { family: 'Nuts' }),
      line('c', 1, 5, { family: 'Nuts' }),
    ];
    const family = bxgy('off_family', 1, 1, { targetType: 'family', target: 'Nuts', priority: 5 });
    const all = bxgy('off_all', 1, 1);
    // the family offer goes first (priority): 5 free, both Nuts used; "all" then pairs only the two 100s
    expect(summary([all, family], lines)).toEqual({
      applied: [
        ['off_family', 5],
        ['off_all', 100],
      ],
      discountMinor: 105,
    });
  });
});

describe('which offers apply', () => {
  it.each([
    ['in force', {}, 500],
    ['from now', { validFrom: NOW }, 500],
    ['not yet', { validFrom: NOW + 1 }, 0],
    ['until now (exclusive)', { validTo: NOW }, 0],
    ['until later', { validFrom: NOW - DAY, validTo: NOW + 1 }, 500],
    ['another currency', { currency: 'GBP' }, 0],
  ] as const)('%s', (_case, window, expected) => {
    expect(run([threshold('off_t', 0, 500, window)], [line('l1', 1, 10_000)]).discountMinor).toBe(expected);
  });

  it('ignores malformed offers', () => {
    const broken = [
      threshold('off_1', 0, 0),
      threshold('off_2', 0, 10_001),
      { ...threshold('off_3', 0, 500), thresholdMinor: null },
      bxgy('off_4', 0, 1),
      bxgy('off_5', 1, 0),
      bxgy('off_6', 1, 1, { targetType: null }),
    ];
    expect(run(broken, [line('l1', 4, 100)]).discountMinor).toBe(0);
  });

  it('rejects lines that are not orderable priced lines (a bug in the caller)', () => {
    expect(() => run([], [line('l1', 0, 100)])).toThrow(RangeError);
    expect(() => run([], [line('l1', 1, -1)])).toThrow(RangeError);
    expect(() => run([], [line('l1', 1.5, 100)])).toThrow(RangeError);
  });
});

describe('combination', () => {
  const lines = [line('a', 10, 10_000), line('b', 1, 5_000, { family: 'Nuts' })];
  // subtotal 105,000; buy 9 get 1 on Hex bolts frees 10,000 → 95,000 after
  const free = bxgy('off_free', 9, 1, { targetType: 'family', target: 'Hex bolts' });

  it('combinable offers apply together: buy-X-get-Y first, the threshold on what is left', () => {
    const r = run([threshold('off_t', 90_000, 500), free], lines);
    expect(r.applied.map((a) => [a.offerId, a.discountMinor])).toEqual([
      ['off_free', 10_000],
      ['off_t', 4_750],
    ]);
    expect(r).toMatchObject({ subtotalMinor: 105_000, discountMinor: 14_750, totalMinor: 90_250 });
  });

  it('the threshold is measured after buy-X-get-Y: free units can take the cart below it', () => {
    const r = run([threshold('off_t', 100_000, 500), free], lines);
    expect(r.applied.map((a) => a.offerId)).toEqual(['off_free']);
    expect(r.hints).toEqual([{ offerId: 'off_t', message: 'Spend 50.00 EUR more to get 5 % off' }]);
  });

  it('a non-combinable offer wins alone when it gives more than the combinable ones together', () => {
    const big = threshold('off_big', 0, 1_500, { combinable: false });
    expect(summary([threshold('off_t', 90_000, 500), free, big], lines)).toEqual({
      applied: [['off_big', 15_750]],
      discountMinor: 15_750,
    });
  });

  it('…and loses when it gives less', () => {
    const small = threshold('off_small', 0, 1_000, { combinable: false });
    expect(summary([threshold('off_t', 90_000, 500), free, small], lines).discountMinor).toBe(14_750);
  });

  it('two non-combinable offers never apply together', () => {
    const a = threshold('off_a', 0, 500, { combinable: false });
    const b = bxgy('off_b', 9, 1, { combinable: false });
    expect(summary([a, b], lines).applied).toEqual([['off_b', 10_000]]);
  });

  it.each([
    ['higher priority wins a tie', { priority: 1 }, { priority: 0 }, 'off_x'],
    ['lower priority loses a tie', { priority: 0 }, { priority: 1 }, 'off_y'],
    ['then the lower id', {}, {}, 'off_x'],
  ] as const)('%s', (_case, x, y, winner) => {
    const offers = [
      threshold('off_y', 0, 1_000, { combinable: false, ...y }),
      threshold('off_x', 0, 1_000, { combinable: false, ...x }),
    ];
    expect(run(offers, lines).applied.map((a) => a.offerId)).toEqual([winner]);
  });
});

describe('monotonicity has limits (why the property below is restricted)', () => {
  it('several free units per block: adding a unit can drop the cart below a threshold', () => {
    const offers = [
      threshold('off_t', 10_200, 1_000),
      bxgy('off_b', 1, 2, { targetType: 'family', target: 'Nuts' }),
    ];
    const before = [line('a', 1, 10_000), line('n', 2, 100, { family: 'Nuts' })];
    // 10,200 reaches the threshold: 1,020 off
    expect(run(offers, before).discountMinor).toBe(1_020);
    // a third Nuts unit completes the block 100 | 100 1 → 101 free, 10,100 left: below the threshold
    const after = [...before, line('m', 1, 1, { family: 'Nuts' })];
    expect(run(offers, after).discountMinor).toBe(101);
  });

  it('two buy-X-get-Y offers: a new unit can pull units into a smaller deal', () => {
    const offers = [
      bxgy('off_nuts', 1, 1, { targetType: 'family', target: 'Nuts', priority: 1 }),
      bxgy('off_all', 1, 1),
    ];
    const before = [line('a', 1, 100), line('n', 1, 100, { family: 'Nuts' })];
    expect(run(offers, before).discountMinor).toBe(100);
    expect(run(offers, [...before, line('m', 1, 1, { family: 'Nuts' })]).discountMinor).toBe(1);
  });
});

// A small world, so generated offers often match generated lines.
const FAMILIES = ['f1', 'f2'];
const CATEGORIES = ['a', 'a/b', 'c'];
const BRANDS = ['x', 'y'];

const unitArb = fc.oneof(fc.integer({ min: 0, max: 50_000 }), fc.constantFrom(0, 1, 99, 100, 1_000));
const lineArb = fc.record({
  sku: fc.constantFrom('S1', 'S2', 'S3'),
  family: fc.constantFrom(...FAMILIES),
  categoryPath: fc.constantFrom(...CATEGORIES),
  brand: fc.constantFrom(...BRANDS),
  quantity: fc.integer({ min: 1, max: 40 }),
  unitMinor: unitArb,
});
const linesArb = fc
  .array(lineArb, { maxLength: 8 })
  .map((ls) => ls.map((l, i): OfferLine => ({ ...l, lineId: `l${i}` })));

const targetArb = fc.oneof(
  fc.constant({ targetType: 'all' as const, target: null }),
  fc.record({ targetType: fc.constant('sku' as const), target: fc.constantFrom('S1', 'S2') }),
  fc.record({ targetType: fc.constant('family' as const), target: fc.constantFrom(...FAMILIES) }),
  fc.record({ targetType: fc.constant('category' as const), target: fc.constantFrom(...CATEGORIES) }),
  fc.record({ targetType: fc.constant('brand' as const), target: fc.constantFrom(...BRANDS) }),
);
const common = {
  priority: fc.integer({ min: 0, max: 2 }),
  combinable: fc.boolean(),
  currency: fc.constantFrom('EUR', 'EUR', 'EUR', 'GBP'),
  validFrom: fc.option(fc.integer({ min: NOW - 2 * DAY, max: NOW + DAY }), { freq: 3 }),
  validTo: fc.option(fc.integer({ min: NOW - DAY, max: NOW + 2 * DAY }), { freq: 3 }),
};
const thresholdArb = fc
  .record({
    ...common,
    thresholdMinor: fc.integer({ min: 0, max: 300_000 }),
    discountBp: fc.integer({ min: 1, max: 10_000 }),
  })
  .map((o) => threshold('', o.thresholdMinor, o.discountBp, o));
const bxgyArb = (free: fc.Arbitrary<number>) =>
  fc
    .record({
      ...common,
      target: targetArb,
      buy: fc.integer({ min: 1, max: 5 }),
      free,
      maxApplications: fc.option(fc.integer({ min: 1, max: 4 })),
    })
    .map(({ buy, free, target, ...o }) => bxgy('', buy, free, { ...o, ...target }));
const withIds = (offers: CartOffer[]) => offers.map((o, i) => ({ ...o, id: `off_${i}` }));
const offersArb = fc
  .array(fc.oneof(thresholdArb, bxgyArb(fc.integer({ min: 1, max: 3 }))), { maxLength: 6 })
  .map(withIds);
const RUNS = { numRuns: 400 };

describe('properties', () => {
  it('the discount is never negative nor above the subtotal, and adds up', () => {
    fc.assert(
      fc.property(offersArb, linesArb, (offers, lines) => {
        const r = run(offers, lines);
        expect(r.subtotalMinor).toBe(lines.reduce((s, l) => s + l.quantity * l.unitMinor, 0));
        expect(r.discountMinor).toBeGreaterThanOrEqual(0);
        expect(r.discountMinor).toBeLessThanOrEqual(r.subtotalMinor);
        expect(r.totalMinor).toBe(r.subtotalMinor - r.discountMinor);
        expect(r.applied.reduce((s, a) => s + a.discountMinor, 0)).toBe(r.discountMinor);
        for (const a of r.applied) expect(a.discountMinor).toBeGreaterThan(0);
        expect(r.hints.length).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });

  it('does not depend on the order of the lines or of the offers', () => {
    fc.assert(
      fc.property(
        offersArb.chain((o) => fc.tuple(fc.constant(o), fc.shuffledSubarray(o, { minLength: o.length }))),
        linesArb.chain((l) => fc.tuple(fc.constant(l), fc.shuffledSubarray(l, { minLength: l.length }))),
        ([offers, offersShuffled], [lines, linesShuffled]) => {
          expect(run(offersShuffled, linesShuffled)).toEqual(run(offers, lines));
        },
      ),
      RUNS,
    );
  });

  it('one buy-X-get-Y offer frees exactly what laying out every unit, dearest first, says', () => {
    fc.assert(
      fc.property(bxgyArb(fc.integer({ min: 1, max: 3 })), linesArb, (offer, lines) => {
        const o = { ...offer, id: 'off_1', currency: 'EUR', validFrom: null, validTo: null };
        const units = lines
          .filter((l) => matches({ targetType: o.targetType ?? 'all', target: o.target }, l))
          .flatMap((l) => Array.from({ length: l.quantity }, () => l.unitMinor))
          .sort((a, b) => b - a);
        const group = (o.buyQuantity ?? 0) + (o.freeQuantity ?? 0);
        const blocks = Math.min(
          Math.floor(units.length / group),
          o.maxApplications ?? Number.POSITIVE_INFINITY,
        );
        let expected = 0;
        for (let b = 0; b < blocks; b++)
          for (let k = o.buyQuantity ?? 0; k < group; k++) expected += units[b * group + k] ?? 0;
        expect(run([o], lines).discountMinor).toBe(expected);
      }),
      RUNS,
    );
  });

  // Not true for every offer set (see "monotonicity has limits"): with several free units per block, or two
  // buy-X-get-Y offers competing for units, a new line can lower the discount. True with at most one
  // buy-X-get-Y offer freeing one unit per block, plus any spend thresholds, combinable or not.
  it('adding a line never lowers the discount (spend thresholds + at most one buy-X-get-1)', () => {
    const restricted = fc
      .tuple(fc.array(thresholdArb, { maxLength: 4 }), fc.option(bxgyArb(fc.constant(1))))
      .map(([ts, b]) => withIds(b ? [...ts, b] : ts));
    fc.assert(
      fc.property(restricted, linesArb, lineArb, (offers, lines, extra) => {
        const before = run(offers, lines).discountMinor;
        const after = run(offers, [...lines, { ...extra, lineId: 'new' }]).discountMinor;
        expect(after).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 1_000 },
    );
  });

  it('adding a line never lowers what one buy-X-get-Y offer alone frees', () => {
    fc.assert(
      fc.property(bxgyArb(fc.integer({ min: 1, max: 4 })), linesArb, lineArb, (offer, lines, extra) => {
        const o = [{ ...offer, id: 'off_1' }];
        expect(run(o, [...lines, { ...extra, lineId: 'new' }]).discountMinor).toBeGreaterThanOrEqual(
          run(o, lines).discountMinor,
        );
      }),
      RUNS,
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyBasisPoints, discounted, formatMinor } from '../../src/domain/money';

describe('money in minor units', () => {
  it.each([
    // [unit price, discount bp, expected]: the exact value and why it rounds the way it does
    [1000, 1250, 875], // 875.000
    [999, 1250, 874], // 874.125 → down
    [1001, 500, 951], // 950.950 → up
    [1, 5000, 1], // 0.5 → half rounds up
    [3, 5000, 2], // 1.5 → up
    [10, 10_000, 0], // free
    [12345, 0, 12345],
  ])('%i minor units less %i bp is %i (half-up on the unit price)', (price, bp, expected) => {
    expect(discounted(price, bp)).toBe(expected);
  });

  it('agrees with exact rational arithmetic for any price and rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), fc.integer({ min: 0, max: 10_000 }), (minor, bp) => {
        const exact = BigInt(minor) * BigInt(bp);
        const expected = (exact + 5_000n) / 10_000n; // half-up for non-negative values
        expect(applyBasisPoints(minor, bp)).toBe(Number(expected));
      }),
    );
  });

  it('a bigger discount never gives a higher price, and no price goes negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (p, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(discounted(p, high)).toBeLessThanOrEqual(discounted(p, low));
          expect(discounted(p, high)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('rejects rates outside 0…100 % and non-integers', () => {
    expect(() => discounted(100, -1)).toThrow(RangeError);
    expect(() => discounted(100, 10_001)).toThrow(RangeError);
    expect(() => applyBasisPoints(10.5, 100)).toThrow(RangeError);
  });

  it('formats by the currency exponent', () => {
    expect(formatMinor({ minor: 123456, currency: 'EUR' })).toBe('1234.56');
    expect(formatMinor({ minor: 5, currency: 'GBP' })).toBe('0.05');
    expect(formatMinor({ minor: 1234, currency: 'JPY' })).toBe('1234');
    expect(formatMinor({ minor: 1234, currency: 'KWD' })).toBe('1.234');
    expect(formatMinor({ minor: -250, currency: 'EUR' })).toBe('-2.50');
  });
});

import { describe, expect, it } from 'vitest';
import { type Contract, PriceBook, type PriceRule, quoteFromLadder } from '../../src/domain/pricing/engine';
import {
  contract,
  type Expected,
  NOW,
  net,
  off,
  onContract,
  product,
  quoteOf,
  withoutFrom,
} from './pricing-fixtures';

// Discounts taken off the contract's own price (`appliesTo: 'contract'`): the documented cases, one by one.
const DRILL = product();
const SKU = ['sku', 'DR-100'] as const;
const CATEGORY = ['category', 'tools/power'] as const;

interface Case {
  name: string;
  contracts: Contract[];
  rules: PriceRule[];
  list: number | null;
  at: [quantity: number, expected: Expected | null][];
}

const CASES: Case[] = [
  {
    name: 'net 10.00, from 100 units −5 % on that net: 10.00 below 100, 9.50 from 100',
    contracts: [contract('c1')],
    rules: [net('net', SKU, 1000), onContract('tier', CATEGORY, 500, { minQuantity: 100 })],
    list: 2000,
    at: [
      [99, [1000, 'net', ['net'], 1]],
      [100, [950, 'net', ['net', 'tier'], 100]],
    ],
  },
  {
    name: 'the same tier off the list price displaces the net price (it is more specific): list −5 %',
    contracts: [contract('c1')],
    rules: [net('net', SKU, 1000), off('tier', SKU, 500, { minQuantity: 100 })],
    list: 2000,
    at: [
      [99, [1000, 'net', ['net'], 1]],
      [100, [1900, 'tier', ['tier'], 100]],
    ],
  },
  {
    name: 'with no other rule of the contract, a contract discount is taken off the list price',
    contracts: [contract('c1')],
    rules: [onContract('tier', CATEGORY, 1000, { minQuantity: 10 })],
    list: 2000,
    at: [
      [9, [2000, null, [], 1]],
      [10, [1800, 'tier', ['tier'], 10]],
    ],
  },
  {
    name: 'on a discount off the list: both multiply exactly and round once (999 × 0.9 × 0.95 = 854.145)',
    contracts: [contract('c1')],
    rules: [off('family', ['family', 'drill-pro'], 1000), onContract('tier', CATEGORY, 500)],
    list: 999,
    at: [[1, [854, 'family', ['family', 'tier'], 1]]],
  },
  {
    name: 'among contract discounts the most specific wins, then the higher tier reached',
    contracts: [contract('c1')],
    rules: [
      net('net', SKU, 1000),
      onContract('category-10', CATEGORY, 1000, { minQuantity: 10 }),
      onContract('sku-3', SKU, 300, { minQuantity: 10 }),
      onContract('sku-5', SKU, 500, { minQuantity: 50 }),
    ],
    list: 2000,
    at: [
      [10, [970, 'net', ['net', 'sku-3'], 10]],
      [50, [950, 'net', ['net', 'sku-5'], 50]],
    ],
  },
  {
    name: 'another contract’s rules are not this contract’s price: each contract discounts its own',
    contracts: [contract('c1'), contract('c2')],
    rules: [net('c1-net', SKU, 1000), onContract('c2-tier', CATEGORY, 2000, { contractId: 'c2' })],
    list: 1200,
    at: [[1, [960, 'c2-tier', ['c2-tier'], 1]]],
  },
  {
    name: 'a net price needs no list price, and neither does a discount taken off it',
    contracts: [contract('c1')],
    rules: [net('net', SKU, 1000), onContract('tier', CATEGORY, 500, { minQuantity: 100 })],
    list: null,
    at: [
      [1, [1000, 'net', ['net'], 1]],
      [100, [950, 'net', ['net', 'tier'], 100]],
    ],
  },
  {
    name: 'without a list price or a net price there is nothing to take a contract discount off',
    contracts: [contract('c1')],
    rules: [onContract('tier', CATEGORY, 500)],
    list: null,
    at: [[1, null]],
  },
  {
    name: 'in a stackable contract it compounds on the winning price like the contract’s other discounts',
    contracts: [contract('c1'), contract('promo', 'stackable')],
    rules: [
      net('net', SKU, 1000),
      off('promo-off', CATEGORY, 1000, { contractId: 'promo' }),
      onContract('promo-tier', CATEGORY, 500, { contractId: 'promo', minQuantity: 10 }),
    ],
    list: 2000,
    at: [
      [1, [900, 'net', ['net', 'promo-off'], 1]],
      // 1000 × 0.9 × 0.95 = 855
      [10, [855, 'net', ['net', 'promo-off', 'promo-tier'], 10]],
    ],
  },
];

describe('discounts taken off the contract price', () => {
  it.each(CASES)('$name', ({ contracts, rules, list, at }) => {
    const book = new PriceBook(contracts, rules);
    for (const [quantity, expected] of at) {
      const got = book.quote(DRILL, quantity, list, NOW);
      expect(got, `quantity ${quantity}`).toStrictEqual(expected === null ? null : quoteOf(list, expected));
      expect(withoutFrom(quoteFromLadder(book.ladder(DRILL, list, NOW), quantity))).toStrictEqual(got);
    }
  });
});

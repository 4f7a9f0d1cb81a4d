import { describe, expect, it } from 'vitest';
import { frequentlyOrdered } from '../../src/domain/quick-order/frequent';
import { parseOrderText } from '../../src/domain/quick-order/parse';
import { readQuantity } from '../../src/domain/quick-order/quantity';
import { normaliseReference, ReferenceIndex } from '../../src/domain/quick-order/references';

const pick = (text: string) => parseOrderText(text).map((l) => [l.line, l.reference, l.quantity, l.note]);

describe('reading a paste', () => {
  it('tabs, semicolons, commas with quotes, spaces, "qty x SKU" and JSON lines', () => {
    expect(pick('A-1\t2\tnote one\n\nB-2\t3')).toEqual([
      [1, 'A-1', '2', 'note one'],
      [3, 'B-2', '3', null],
    ]);
    expect(pick('A-1;1,5;x\nB-2;2;')).toEqual([
      [1, 'A-1', '1,5', 'x'],
      [2, 'B-2', '2', null],
    ]);
    expect(pick('sku,qty,comment\n"A-1",2,"a, b"\nB-2,"1,5",')).toEqual([
      [2, 'A-1', '2', 'a, b'],
      [3, 'B-2', '1,5', null],
    ]);
    expect(pick('12 x A-1 for the site\nB-2 4 pour le chantier\nC-3')).toEqual([
      [1, 'A-1', '12', 'for the site'],
      [2, 'B-2', '4', 'pour le chantier'],
      [3, 'C-3', null, null],
    ]);
    expect(pick('{"sku":"A-1","quantity":2,"note":"n"}\n{not json}')).toEqual([
      [1, 'A-1', '2', 'n'],
      [2, '', null, null],
    ]);
    expect(pick('Quantité\tRéférence\n5\tA-1')).toEqual([[2, 'A-1', '5', null]]);
  });
});

describe('reading a quantity', () => {
  it.each([
    ['12', 12],
    ['1 000', 1000],
    ['1,000', 1000],
    ['1.000', 1000],
    ['1,5', 1.5],
    ['2.25', 2.25],
    ['1E+03', 1000],
  ])('%s is %s', (typed, value) => {
    expect(readQuantity(typed)).toEqual({ kind: 'value', value });
  });
  it.each([
    ['-3', 'invalid_quantity'],
    ['0', 'invalid_quantity'],
    ['abc', 'invalid_quantity'],
    ['1e9', 'quantity_too_large'],
  ])('%s is refused (%s)', (typed, reason) => {
    expect(readQuantity(typed)).toMatchObject({ kind: 'invalid', reason });
  });
  it('nothing typed is no quantity', () => expect(readQuantity(' ')).toEqual({ kind: 'none' }));
});

describe('close matches', () => {
  const skus = Array.from({ length: 5_000 }, (_, i) => `ABR-${String(i + 1).padStart(6, '0')}`);
  const index = new ReferenceIndex([
    ...skus.map((sku) => ({ sku, kind: 'sku' as const, text: sku })),
    { sku: 'ABR-000042', kind: 'manufacturer_part_number', text: 'MK-4410-B' },
  ]);

  it('normalises case, spaces, dashes, dots and leading zeros', () => {
    expect(normaliseReference(' abr-015287 ')).toBe('ABR15287');
    expect(normaliseReference('Abr.15287')).toBe(normaliseReference('ABR 0015287'));
    expect(normaliseReference('00123-0')).toBe('1230');
  });

  it('finds the SKU written differently, without its prefix, by its maker reference, or mistyped', () => {
    expect(index.candidates('abr 1287')[0]).toMatchObject({
      sku: 'ABR-001287',
      matchedBy: 'normalised',
      distance: 0,
    });
    expect(index.candidates('1287')[0]).toMatchObject({ sku: 'ABR-001287', matchedBy: 'normalised' });
    expect(index.candidates('mk4410b')[0]).toMatchObject({
      sku: 'ABR-000042',
      matchedBy: 'manufacturer_part_number',
    });
    expect(index.candidates('ABRX001287')[0]).toMatchObject({
      sku: 'ABR-001287',
      matchedBy: 'similar',
      distance: 1,
    });
    expect(index.candidates('completely different')).toEqual([]);
  });
});

describe('frequently ordered', () => {
  it('counts orders per SKU, takes the most frequent quantity (the latest on a tie), newest first on equal counts', () => {
    const rows = [
      { sku: 'A', quantity: 5, times: 2, last: 100 },
      { sku: 'A', quantity: 10, times: 2, last: 300 },
      { sku: 'A', quantity: 1, times: 1, last: 50 },
      { sku: 'B', quantity: 3, times: 5, last: 20 },
      { sku: 'C', quantity: 2, times: 5, last: 400 },
    ];
    expect(frequentlyOrdered(rows)).toEqual([
      { sku: 'C', orderCount: 5, totalQuantity: 10, usualQuantity: 2, lastOrderedAt: 400 },
      { sku: 'A', orderCount: 5, totalQuantity: 31, usualQuantity: 10, lastOrderedAt: 300 },
      { sku: 'B', orderCount: 5, totalQuantity: 15, usualQuantity: 3, lastOrderedAt: 20 },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeEntities, itemFieldOf, ociNumberValue, readOciForm } from './oci-form-reader';
import { OCI_FIXTURES } from './punchout-helpers';

/**
 * The reader the OCI tests use, proven against hook forms other shops wrote (test/fixtures/punchout/oci):
 * reading our own answers the same way shows they speak the same dialect.
 */
interface Expected {
  items: number;
  action: string;
  checks: { index: number; field: string; value: string | number }[];
}

const EXPECTED: Record<string, Expected> = {
  'meplato-sapoci-real-world-hook-response.txt': {
    items: 10,
    action: 'http://return.to/me',
    checks: [
      { index: 1, field: 'PRICE', value: 1730.9 },
      { index: 1, field: 'QUANTITY', value: 1 },
      { index: 1, field: 'CURRENCY', value: 'EUR' },
      { index: 1, field: 'EXT_PRODUCT_ID', value: '491901E' },
      { index: 8, field: 'DESCRIPTION', value: 'Ordnungsmappe Ordonator, A4, 7 Fächer, schwarz' },
      { index: 10, field: 'PRICE', value: 11.87 },
      { index: 10, field: 'EXT_PRODUCT_ID', value: 'ECP55341E' },
    ],
  },
  'meplato-sapoci-meplato-extensions-hook-response.txt': {
    items: 10,
    action: 'http://return.to/me',
    checks: [
      { index: 1, field: 'PRICE', value: 1730.9 },
      { index: 1, field: 'MPS_SAGE_NUMBER', value: '80222' },
      { index: 1, field: 'CUST_FIELD30', value: '30th cust field with up to 100 characters' },
      { index: 1, field: 'TAX_RATE', value: 0.19 },
      { index: 1, field: 'FULFILLED_BY', value: 'Fulfiller 1' },
    ],
  },
  'meplato-sapoci-two-items-longtext-service-gtin.txt': {
    items: 2,
    action: 'http://return.to/me',
    checks: [
      { index: 1, field: 'DESCRIPTION', value: 'Apple MacBook Air 11"' },
      { index: 1, field: 'LONGTEXT', value: 'Ein tolles Notebook von Apple.' },
      { index: 1, field: 'GTIN', value: '2000111096426' },
      { index: 2, field: 'SERVICE', value: 'X' },
      { index: 2, field: 'PRICE', value: 1799 },
      { index: 2, field: 'VENDORMAT', value: 'IMAC27' },
    ],
  },
  'meplato-sapoci-longtext-fieldname-variants.txt': {
    items: 5,
    action: 'http://return.to/me',
    checks: [
      { index: 1, field: 'LONGTEXT', value: 'Ein tolles Notebook von Apple.' },
      { index: 2, field: 'LONGTEXT', value: 'Der elegante Desktop-Rechner von Apple.' },
      { index: 3, field: 'LONGTEXT', value: 'Der Profi-Rechner von Apple.' },
      { index: 4, field: 'LONGTEXT', value: 'Das Pro Tablet von Apple.' },
      { index: 5, field: 'LONGTEXT', value: 'Das iPhone 7 Plus. Weil größer ist besser.' },
      { index: 5, field: 'QUANTITY', value: 1 },
    ],
  },
};

describe('the OCI hook-form reader, on hook forms other shops wrote', () => {
  it('has an expectation for every OCI fixture', () => {
    expect(Object.keys(OCI_FIXTURES).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`reads ${file}`, async () => {
      const text = OCI_FIXTURES[file];
      if (text === undefined) throw new Error(`missing fixture ${file}`);
      const form = await readOciForm(text);
      expect(form.action).toBe(expected.action);
      expect(form.items.map((i) => i.index)).toEqual(Array.from({ length: expected.items }, (_, n) => n + 1));
      for (const item of form.items) {
        // every item carries the OCI core, and its numbers read as OCI numbers
        for (const field of ['DESCRIPTION', 'QUANTITY', 'UNIT', 'PRICE', 'CURRENCY'])
          expect(item.fields[field], `${field}[${item.index}]`).toBeTruthy();
        expect(ociNumberValue(item.fields.PRICE)).toBeGreaterThan(0);
        expect(ociNumberValue(item.fields.QUANTITY)).toBeGreaterThan(0);
        expect(item.fields.LONGTEXT, `LONGTEXT[${item.index}]`).toBeTruthy();
      }
      for (const check of expected.checks) {
        const value = form.items.find((i) => i.index === check.index)?.fields[check.field];
        if (typeof check.value === 'number') expect(ociNumberValue(value)).toBe(check.value);
        else expect(value, `${check.field}[${check.index}]`).toBe(check.value);
      }
    });
  }

  it('keeps a long text spread over several lines, and the non-OCI fields apart', async () => {
    const form = await readOciForm(OCI_FIXTURES['meplato-sapoci-real-world-hook-response.txt'] ?? '');
    const eighth = form.items.find((i) => i.index === 8)?.fields.LONGTEXT ?? '';
    expect(eighth).toContain('\n');
    expect(eighth).toMatch(/^Aus Karton, 250 g\/m², geleimt/);
    expect(eighth).toMatch(/• Material: Karton • Verschluß: Eckspanngummi • Format: A4$/);
    expect(form.others._snowman).toBe('☃');
    expect(form.others['HEADER-TOTAL_RESULTS']).toBe('1081');
    expect(form.acceptCharset).toBe('UTF-8');
  });

  it('names the five LONGTEXT spellings and reads OCI numbers strictly', () => {
    expect(
      [
        'NEW_ITEM-LONGTEXT_1:132[]',
        'NEW_ITEM-LONGTEXT_2:132[2]',
        'NEW_ITEM-LONGTEXT:132[3]',
        'NEW_ITEM-LONGTEXT[4]',
        'NEW_ITEM-LONGTEXT_5:132[][5]',
      ].map(itemFieldOf),
    ).toEqual([1, 2, 3, 4, 5].map((index) => ({ index, field: 'LONGTEXT' })));
    expect(itemFieldOf('NEW_ITEM-PRICE[12]')).toEqual({ index: 12, field: 'PRICE' });
    expect(itemFieldOf('~OkCode')).toBeNull();
    expect(ociNumberValue('00000001730.900')).toBe(1730.9);
    expect(ociNumberValue('1,5')).toBeNaN();
    expect(ociNumberValue('1,000.00')).toBeNaN();
    expect(decodeEntities('11&quot; &amp; &#9731; &#x2603;')).toBe('11" & ☃ ☃');
  });
});

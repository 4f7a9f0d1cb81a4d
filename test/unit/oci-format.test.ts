import { describe, expect, it } from 'vitest';
import {
  ociFieldName,
  ociLanguageTag,
  ociLongText,
  ociNumber,
  ociPrice,
  ociText,
} from '../../src/domain/punchout/oci-format';
import { unCefactUnit } from '../../src/domain/punchout/units';

describe('OCI field formats', () => {
  it('writes numbers with a decimal point, no thousands separator, no trailing zeros', () => {
    expect(ociNumber(10)).toBe('10');
    expect(ociNumber(2.5)).toBe('2.5');
    expect(ociNumber(1234567)).toBe('1234567');
    expect(ociNumber(0.125)).toBe('0.125');
    expect(ociNumber(0)).toBe('0');
  });

  it('writes minor units as the amount with all the currency digits', () => {
    expect(ociPrice(1234, 2)).toBe('12.34');
    expect(ociPrice(5, 2)).toBe('0.05');
    expect(ociPrice(123456789, 2)).toBe('1234567.89');
    expect(ociPrice(500, 0)).toBe('500');
    expect(ociPrice(1500, 3)).toBe('1.500');
  });

  it('cuts text at whole characters (umlauts are never split) and drops control characters', () => {
    const name = 'Größe 42 – ölbeständig und sehr, sehr lang: über vierzig Zeichen';
    const cut = ociText(name, 40);
    expect(Array.from(cut).length).toBeLessThanOrEqual(40);
    expect(name.startsWith(cut)).toBe(true);
    expect(ociText('a\u0000b\nc', 40)).toBe('a b c');
    expect(ociLongText('Zeile 1\r\nZeile 2\u0007 Ü')).toBe('Zeile 1\nZeile 2 Ü');
  });

  it('names fields 1-based, LONGTEXT the way the spec spells it', () => {
    expect(ociFieldName('PRICE', 1)).toBe('NEW_ITEM-PRICE[1]');
    expect(ociFieldName('LONGTEXT', 3)).toBe('NEW_ITEM-LONGTEXT_3:132[]');
  });

  it('reads SAP language keys and maps units to UN/CEFACT codes', () => {
    expect(ociLanguageTag('D')).toBe('de');
    expect(ociLanguageTag('f')).toBe('fr');
    expect(ociLanguageTag('de-DE')).toBe('de-DE');
    expect(ociLanguageTag(' ')).toBeNull();
    expect(['EA', 'BOX', 'PK', 'M', 'L', 'KG'].map(unCefactUnit)).toEqual([
      'EA',
      'BX',
      'PK',
      'MTR',
      'LTR',
      'KGM',
    ]);
  });
});

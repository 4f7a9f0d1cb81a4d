/**
 * SAP OCI (4.0 and 5.0) field formats, as the procurement system's BAPI reads them: numbers with a decimal
 * point and no thousands separator, fixed maximum lengths per NEW_ITEM field (SAP cuts longer values, often
 * mid-character), 1-based item indexes, and the long text in `NEW_ITEM-LONGTEXT_n:132[]`.
 */

/** Maximum lengths of the OCI 4.0/5.0 NEW_ITEM fields (characters). LONGTEXT has none (SAP wraps at 132). */
export const OCI_FIELD_LENGTHS: Readonly<Record<string, number>> = {
  DESCRIPTION: 40,
  MATNR: 40,
  MATGROUP: 10,
  QUANTITY: 15,
  UNIT: 3,
  PRICE: 15,
  PRICEUNIT: 9,
  CURRENCY: 5,
  LEADTIME: 5,
  VENDOR: 10,
  VENDORMAT: 40,
  MANUFACTCODE: 10,
  MANUFACTMAT: 40,
  CONTRACT: 10,
  CONT_ITEM: 5,
  SERVICE: 1,
  EXT_QUOTE_ID: 35,
  EXT_QUOTE_ITEM: 10,
  EXT_PRODUCT_ID: 40,
  CUST_FIELD1: 10,
  CUST_FIELD2: 10,
  CUST_FIELD3: 10,
  CUST_FIELD4: 20,
  CUST_FIELD5: 50,
};

/** At most `max` characters (code points, so an umlaut or emoji is never split), trimmed. */
export function ociText(value: string, max: number | undefined): string {
  const clean = value.replace(/[\p{Cc}]+/gu, ' ').trim();
  if (max === undefined) return clean;
  const chars = Array.from(clean);
  return chars.length <= max ? clean : chars.slice(0, max).join('').trimEnd();
}

/** The long text: plain text, line breaks kept as `\n`, other control characters dropped. */
export function ociLongText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n\t]+/gu, '')
    .trim();
}

/** A decimal number as OCI wants it: a point, no thousands separator, no trailing zeros (`10`, `2.5`). */
export function ociNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a number: ${value}`);
  // at most 3 decimals (SAP's QUANTITY is DEC 13,3); toFixed never uses exponent notation below 1e21
  return value
    .toFixed(3)
    .replace(/\.?0+$/, '')
    .replace(/^-0$/, '0');
}

/** Integer minor units → the major-unit amount with all its digits (`1234` EUR → `12.34`, JPY `500`). */
export function ociPrice(minor: number, currencyDigits: number): string {
  if (!Number.isInteger(minor)) throw new Error(`not minor units: ${minor}`);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(currencyDigits + 1, '0');
  if (currencyDigits === 0) return `${sign}${digits}`;
  const cut = digits.length - currencyDigits;
  return `${sign}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** `NEW_ITEM-PRICE[3]`; the long text is `NEW_ITEM-LONGTEXT_3:132[]` (the index in the name, per the spec). */
export const ociFieldName = (field: string, index: number): string =>
  field === 'LONGTEXT' ? `NEW_ITEM-LONGTEXT_${index}:132[]` : `NEW_ITEM-${field}[${index}]`;

/** SAP sends its one-letter language key (`sy-langu`: D, E, F) or an ISO code (`DE`, `de-DE`). */
const SAP_LANGUAGE_KEYS: Readonly<Record<string, string>> = { D: 'de', E: 'en', F: 'fr' };
export const ociLanguageTag = (value: string | null | undefined): string | null => {
  const tag = value?.trim() ?? '';
  if (!tag) return null;
  return SAP_LANGUAGE_KEYS[tag.toUpperCase()] ?? tag;
};

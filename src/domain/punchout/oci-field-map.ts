/**
 * The extra OCI fields a partner may have filled from our product data (docs/punchout.md, "Administration
 * and support"). The fields that carry the contract itself (DESCRIPTION, QUANTITY, UNIT, PRICE, PRICEUNIT,
 * CURRENCY, EXT_PRODUCT_ID, LEADTIME) are always ours and cannot be remapped.
 */
export const OCI_MAPPABLE_FIELDS = [
  'MATGROUP',
  'VENDOR',
  'VENDORMAT',
  'MANUFACTCODE',
  'MANUFACTMAT',
  'CONTRACT',
  'CONT_ITEM',
  'EXT_QUOTE_ID',
  'EXT_QUOTE_ITEM',
  'EXT_CATEGORY_ID',
  'EXT_CATEGORY',
  'EXT_SCHEMA_TYPE',
  'CUST_FIELD1',
  'CUST_FIELD2',
  'CUST_FIELD3',
  'CUST_FIELD4',
  'CUST_FIELD5',
] as const;
export type OciMappableField = (typeof OCI_MAPPABLE_FIELDS)[number];

/** Product fields an OCI field can be filled from; `attributes.<key>` names a product attribute. */
export const OCI_PRODUCT_SOURCES = [
  'sku',
  'name',
  'description',
  'brand',
  'family',
  'categoryPath',
  'unspsc',
  'manufacturerPartNumber',
  'unitOfMeasure',
  'taxClass',
] as const;
export type OciProductSource = (typeof OCI_PRODUCT_SOURCES)[number];

const ATTRIBUTE_SOURCE = /^attributes\.[A-Za-z0-9_-]{1,64}$/;
export const MAX_OCI_FIELD_MAP_ENTRIES = OCI_MAPPABLE_FIELDS.length;

/** OCI 5.0 numbers customer fields beyond 5 (CUST_FIELD6…99); SAP passes them to its BAdI. */
export const isOciMappableField = (key: string): boolean =>
  (OCI_MAPPABLE_FIELDS as readonly string[]).includes(key) || /^CUST_FIELD([6-9]|[1-9]\d)$/.test(key);

/** `=100042`: the same text on every line (a vendor number, a contract id), at most 132 characters. */
const FIXED_VALUE = /^=[^\p{Cc}]{1,132}$/u;

export const isOciSource = (value: string): boolean =>
  (OCI_PRODUCT_SOURCES as readonly string[]).includes(value) ||
  ATTRIBUTE_SOURCE.test(value) ||
  FIXED_VALUE.test(value);

/** What an entry of a field map says, for an error message; null when the entry is fine. */
export function ociFieldMapIssue(
  key: string,
  value: string,
): { at: 'key' | 'value'; message: string } | null {
  if (!isOciMappableField(key))
    return {
      at: 'key',
      message: `not an OCI field that can be mapped (one of ${OCI_MAPPABLE_FIELDS.join(', ')}, or CUST_FIELD6…99)`,
    };
  if (!isOciSource(value))
    return {
      at: 'value',
      message: `one of ${OCI_PRODUCT_SOURCES.join(', ')}, attributes.<key> (letters, digits, _ and -), or =<fixed text>`,
    };
  return null;
}

export type OciProductFacts = Record<OciProductSource, string | null> & {
  attributes: Record<string, string | number | boolean>;
};

/** The product fields a field map may name, from a products row. */
export const ociProductFacts = (p: OciProductFacts): OciProductFacts => ({
  sku: p.sku,
  name: p.name,
  description: p.description,
  brand: p.brand,
  family: p.family,
  categoryPath: p.categoryPath,
  unspsc: p.unspsc,
  manufacturerPartNumber: p.manufacturerPartNumber,
  unitOfMeasure: p.unitOfMeasure,
  taxClass: p.taxClass,
  attributes: p.attributes,
});

/** The value of one source for a product, as text (empty when the product has none): `=text` is fixed. */
export function ociSourceValue(product: OciProductFacts, source: string): string {
  if (source.startsWith('=')) return source.slice(1);
  if (source.startsWith('attributes.')) {
    const value = product.attributes[source.slice('attributes.'.length)];
    return value === undefined ? '' : String(value);
  }
  return isOciSource(source) ? (product[source as OciProductSource] ?? '') : '';
}

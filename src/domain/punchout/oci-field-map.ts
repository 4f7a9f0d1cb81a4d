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
  'CONTRACT_ITEM',
  'EXT_QUOTE_ID',
  'EXT_CATEGORY_ID',
  'EXT_CATEGORY',
  'EXT_SCHEMA_TYPE',
  'LONGTEXT',
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

export const isOciMappableField = (key: string): key is OciMappableField =>
  (OCI_MAPPABLE_FIELDS as readonly string[]).includes(key);

export const isOciSource = (value: string): boolean =>
  (OCI_PRODUCT_SOURCES as readonly string[]).includes(value) || ATTRIBUTE_SOURCE.test(value);

/** What an entry of a field map says, for an error message; null when the entry is fine. */
export function ociFieldMapIssue(
  key: string,
  value: string,
): { at: 'key' | 'value'; message: string } | null {
  if (!isOciMappableField(key))
    return {
      at: 'key',
      message: `not an OCI field that can be mapped (one of ${OCI_MAPPABLE_FIELDS.join(', ')})`,
    };
  if (!isOciSource(value))
    return {
      at: 'value',
      message: `one of ${OCI_PRODUCT_SOURCES.join(', ')}, or attributes.<key> (letters, digits, _ and -)`,
    };
  return null;
}

/** The value of one source for a product, as text (empty when the product has none). */
export function ociSourceValue(
  product: Record<OciProductSource, string | null> & {
    attributes: Record<string, string | number | boolean>;
  },
  source: string,
): string {
  if (source.startsWith('attributes.')) {
    const value = product.attributes[source.slice('attributes.'.length)];
    return value === undefined ? '' : String(value);
  }
  return isOciSource(source) ? (product[source as OciProductSource] ?? '') : '';
}

import type { OciProductFacts } from '../../domain/punchout/oci-field-map';

/**
 * A session cart line as both protocols send it back (cXML ItemIn, OCI NEW_ITEM-*): read once from the
 * priced cart and the product, so cXML and OCI say the same thing about the same line.
 */
export interface TransferLine {
  /** our cart line id: cXML SupplierPartAuxiliaryID, OCI EXT_PRODUCT_ID; an `edit` setup sends it back */
  lineId: string;
  sku: string;
  quantity: number;
  /** the customer's unit price now, in minor units of `currency` */
  unitPriceMinor: number;
  currency: string;
  /** minor units per major unit of `currency` (2 for EUR, 0 for JPY) */
  currencyDigits: number;
  name: string;
  description: string;
  /** UN/CEFACT Recommendation 20 code (EA, C62, BX, PK, …) */
  unit: string;
  unspsc: string | null;
  manufacturerPartId: string | null;
  manufacturerName: string | null;
  /** working days until delivery: 1 when in stock, else until the next inbound date, null when unknown */
  leadTimeDays: number | null;
  /** the product as a partner's OCI field map may name it (oci-field-map.ts) */
  facts: OciProductFacts;
}

export interface TransferCart {
  lines: TransferLine[];
  totalMinor: number;
  currency: string;
  currencyDigits: number;
}

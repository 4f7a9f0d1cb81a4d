import { isOciMappableField, ociSourceValue } from '../../domain/punchout/oci-field-map';
import {
  OCI_FIELD_LENGTHS,
  ociFieldName,
  ociLongText,
  ociNumber,
  ociPrice,
  ociText,
} from '../../domain/punchout/oci-format';
import type { PartnerRow } from './partners';
import type { SessionRow } from './sessions';
import type { TransferCart, TransferLine } from './transfer-lines';

/**
 * The OCI answer (docs/punchout.md, SAP OCI): one set of `NEW_ITEM-*[n]` fields per cart line, n from 1,
 * followed by the `~OkCode` and `~caller` the procurement system sent (SAP wants them back; `~target` is the
 * form's target, not a field). The same fields serve the shop's transfer, VALIDATE and BACKGROUND_SEARCH.
 */
export type OciField = [name: string, value: string];

function lineFields(line: TransferLine, fieldMap: Record<string, string>): Record<string, string> {
  const fields: Record<string, string> = {
    DESCRIPTION: line.name,
    QUANTITY: ociNumber(line.quantity),
    UNIT: line.unit,
    // the price of one unit: PRICEUNIT says per how many units PRICE is
    PRICE: ociPrice(line.unitPriceMinor, line.currencyDigits),
    PRICEUNIT: '1',
    CURRENCY: line.currency,
    LEADTIME: line.leadTimeDays === null ? '' : String(line.leadTimeDays),
    VENDOR: '',
    VENDORMAT: line.sku,
    MATGROUP: line.unspsc ?? '',
    MANUFACTMAT: line.manufacturerPartId ?? '',
    EXT_PRODUCT_ID: line.lineId,
  };
  for (const [field, source] of Object.entries(fieldMap)) {
    const name = field.trim().toUpperCase();
    if (isOciMappableField(name)) fields[name] = ociSourceValue(line.facts, source);
  }
  return fields;
}

/** The `NEW_ITEM-*[n]` fields of these lines, n from 1, plus each line's long text. */
export function ociItemFields(partner: PartnerRow, lines: readonly TransferLine[]): OciField[] {
  const out: OciField[] = [];
  for (const [at, line] of lines.entries()) {
    const index = at + 1;
    for (const [field, value] of Object.entries(lineFields(line, partner.ociFieldMap))) {
      const text = ociText(value, OCI_FIELD_LENGTHS[field]);
      // empty optional fields are left out: SAP treats a missing field and an empty one alike
      if (text !== '' || field === 'VENDOR') out.push([ociFieldName(field, index), text]);
    }
    const longText = ociLongText(line.description || line.name);
    if (longText) out.push([ociFieldName('LONGTEXT', index), longText]);
  }
  return out;
}

/** The procurement system's own fields to send back: `~OkCode` (ADDI) and `~caller` (CTLG) by default. */
export function ociReturnFields(returnFields: Record<string, string>): OciField[] {
  return [
    ['~OkCode', returnFields['~OkCode'] || 'ADDI'],
    ['~caller', returnFields['~caller'] || 'CTLG'],
  ];
}

/** The OCI hook form fields (`NEW_ITEM-*[n]`, 1-based) for a session cart, in order. */
export function ociTransferFields(session: SessionRow, partner: PartnerRow, cart: TransferCart): OciField[] {
  return [...ociItemFields(partner, cart.lines), ...ociReturnFields(session.returnFields)];
}

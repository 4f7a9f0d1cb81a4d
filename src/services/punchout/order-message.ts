import { cxmlDocument, esc } from '../../domain/punchout/cxml-document';
import type { PunchoutOperation } from '../../domain/punchout-terms';
import type { TransferCart, TransferLine } from './transfer-lines';

/**
 * The cXML PunchOutOrderMessage: the session cart sent back through the buyer's browser. It carries no
 * SharedSecret (the browser is not trusted with it; the specification says so): the procurement system
 * recognises it by the BuyerCookie it issued.
 */
export interface OrderMessageInput {
  buyerCookie: string;
  operation: PunchoutOperation;
  cart: TransferCart;
  /** the setup request's From (the buying organisation), echoed as this message's To */
  buyer: { domain: string; identity: string };
  /** how the setup request named us (its To), echoed as this message's From and Sender */
  supplier: { domain: string; identity: string };
  language: string;
  at: number;
  host: string;
}

/**
 * `operationAllowed` says what the buyer may do with the cart later: `edit` (reopen it to change it, or
 * inspect it) after a create or edit session, since every transferred cart can be reopened; `inspect`
 * after an inspect session, which could not change it.
 */
export const operationAllowedFor = (operation: PunchoutOperation): 'edit' | 'inspect' =>
  operation === 'inspect' ? 'inspect' : 'edit';

/** Minor units as a decimal amount with the currency's digits (1234 EUR → "12.34", 1234 JPY → "1234"). */
export function money(minor: number, digits: number): string {
  if (digits === 0) return String(minor);
  const unit = 10 ** digits;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, '0')}`;
}

const credential = (c: { domain: string; identity: string }) =>
  `<Credential domain="${esc(c.domain)}"><Identity>${esc(c.identity)}</Identity></Credential>`;

const optional = (element: string, value: string | number | null) =>
  value === null || value === '' ? '' : `<${element}>${esc(value)}</${element}>`;

function itemIn(line: TransferLine, index: number, lang: string): string {
  return (
    `<ItemIn quantity="${line.quantity}" lineNumber="${index + 1}">` +
    `<ItemID><SupplierPartID>${esc(line.sku)}</SupplierPartID>` +
    `<SupplierPartAuxiliaryID>${esc(line.lineId)}</SupplierPartAuxiliaryID></ItemID>` +
    '<ItemDetail>' +
    `<UnitPrice><Money currency="${esc(line.currency)}">${money(line.unitPriceMinor, line.currencyDigits)}</Money></UnitPrice>` +
    `<Description xml:lang="${esc(lang)}"><ShortName>${esc(line.name.slice(0, 255))}</ShortName>${esc(line.description)}</Description>` +
    `<UnitOfMeasure>${esc(line.unit)}</UnitOfMeasure>` +
    `<Classification domain="UNSPSC">${esc(line.unspsc ?? '')}</Classification>` +
    optional('ManufacturerPartID', line.manufacturerPartId) +
    optional('ManufacturerName', line.manufacturerName) +
    optional('LeadTime', line.leadTimeDays) +
    '</ItemDetail></ItemIn>'
  );
}

export function orderMessage(input: OrderMessageInput): string {
  const { cart } = input;
  return cxmlDocument(
    '<Header>' +
      `<From>${credential(input.supplier)}</From>` +
      `<To>${credential(input.buyer)}</To>` +
      `<Sender>${credential(input.supplier)}<UserAgent>B2B commerce punch-out</UserAgent></Sender>` +
      '</Header>' +
      '<Message><PunchOutOrderMessage>' +
      `<BuyerCookie>${esc(input.buyerCookie)}</BuyerCookie>` +
      `<PunchOutOrderMessageHeader operationAllowed="${operationAllowedFor(input.operation)}">` +
      `<Total><Money currency="${esc(cart.currency)}">${money(cart.totalMinor, cart.currencyDigits)}</Money></Total>` +
      '</PunchOutOrderMessageHeader>' +
      cart.lines.map((line, i) => itemIn(line, i, input.language)).join('') +
      '</PunchOutOrderMessage></Message>',
    { at: input.at, host: input.host, lang: input.language },
  );
}

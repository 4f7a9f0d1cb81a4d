import { currencyExponent } from '../money';
import { attr, type CxmlRefusal, child, children, path, refuse, text, type XmlNode } from './cxml-document';

/**
 * What a cXML OrderRequest says, read from a parsed envelope (cXML User's Guide, "OrderRequest"): the
 * header (the buyer's order id and type, total, ship-to, comments, the person), and each ItemOut. Only the
 * shape is checked here (a 400 names what is missing or malformed); whether we can fulfil it — our SKUs,
 * prices, currency — is the service's question.
 */
export const ORDER_REQUEST_TYPES = ['new', 'update', 'delete'] as const;
export type OrderRequestType = (typeof ORDER_REQUEST_TYPES)[number];

export interface OrderRequestMoney {
  currency: string;
  /** as written, e.g. "8.1" */
  amount: string;
  /** in minor units of `currency`; null when the amount has more decimals than the currency */
  minor: number | null;
}

export interface OrderRequestLine {
  /** the ItemOut's lineNumber, else its position (1-based) */
  lineNumber: number;
  quantity: number;
  sku: string;
  unitPrice: OrderRequestMoney;
  unit: string | null;
  comments: string | null;
}

export interface OrderRequestDocument {
  orderId: string;
  type: OrderRequestType;
  orderDate: string | null;
  total: OrderRequestMoney;
  shipToAddressId: string | null;
  comments: string | null;
  requestedDeliveryDate: string | null;
  person: { email: string | null; name: string | null };
  lines: OrderRequestLine[];
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** A cXML Money element: currency and amount, with the amount in minor units when it is exact. */
export function readMoney(node: XmlNode | undefined): OrderRequestMoney | null {
  const currency = attr(node, 'currency')?.toUpperCase();
  const amount = text(node);
  if (!currency || !amount || !DECIMAL.test(amount)) return null;
  const exponent = currencyExponent(currency);
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  const trimmed = fraction.replace(/0+$/, '');
  const minor =
    trimmed.length > exponent
      ? null
      : (amount.startsWith('-') ? -1 : 1) * Number(`${whole}${trimmed.padEnd(exponent, '0')}`);
  return { currency, amount, minor: minor !== null && Number.isSafeInteger(minor) ? minor : null };
}

/** The comments' text, joined (an Attachment inside a Comments element carries no text). */
const commentsOf = (node: XmlNode | undefined): string | null => {
  const all = children(node, 'Comments')
    .map(text)
    .filter((t): t is string => t !== null);
  return all.length > 0 ? all.join('\n') : null;
};

/** The person behind the order: the endUser Contact (else any Contact), else Extrinsic UserEmail. */
function personOf(header: XmlNode): { email: string | null; name: string | null } {
  const contacts = children(header, 'Contact');
  const contact = contacts.find((c) => attr(c, 'role') === 'endUser') ?? contacts[0];
  const extrinsic = (name: string) =>
    text(children(header, 'Extrinsic').find((e) => attr(e, 'name') === name));
  return {
    email: text(child(contact, 'Email')) ?? extrinsic('UserEmail'),
    name: text(child(contact, 'Name')) ?? extrinsic('UserFullName'),
  };
}

function readLine(item: XmlNode, position: number): OrderRequestLine | CxmlRefusal {
  const lineNumber = Number(attr(item, 'lineNumber') ?? position);
  const at = `ItemOut line ${Number.isSafeInteger(lineNumber) ? lineNumber : position}`;
  const quantityText = attr(item, 'quantity');
  const quantity = Number(quantityText);
  if (
    !quantityText ||
    !/^\d+(?:\.0+)?$/.test(quantityText) ||
    !Number.isSafeInteger(quantity) ||
    quantity < 1
  )
    return refuse(400, `${at}: quantity "${quantityText ?? ''}" must be a positive whole number`);
  const sku = text(path(item, 'ItemID', 'SupplierPartID'));
  if (!sku) return refuse(400, `${at}: ItemID/SupplierPartID is required`);
  const detail = child(item, 'ItemDetail');
  const unitPrice = readMoney(path(detail, 'UnitPrice', 'Money'));
  if (!unitPrice)
    return refuse(400, `${at}: ItemDetail/UnitPrice/Money with a currency and an amount is required`);
  return {
    lineNumber: Number.isSafeInteger(lineNumber) && lineNumber > 0 ? lineNumber : position,
    quantity,
    sku,
    unitPrice,
    unit: text(child(detail, 'UnitOfMeasure')),
    comments: commentsOf(item),
  };
}

/** Reads Request/OrderRequest from a cXML root: the document, or a 400 naming what is wrong. */
export function readOrderRequest(root: XmlNode): { ok: true; value: OrderRequestDocument } | CxmlRefusal {
  const request = path(root, 'Request', 'OrderRequest');
  if (!request) return refuse(400, 'Expected Request/OrderRequest');
  const header = child(request, 'OrderRequestHeader');
  const orderId = attr(header, 'orderID');
  if (!header || !orderId)
    return refuse(400, 'OrderRequestHeader/@orderID (your purchase order number) is required');
  if (orderId.length > 64) return refuse(400, 'OrderRequestHeader/@orderID is longer than 64 characters');
  const type = attr(header, 'type') ?? 'new';
  if (!(ORDER_REQUEST_TYPES as readonly string[]).includes(type))
    return refuse(400, `OrderRequestHeader/@type "${type}" is not new, update or delete`);
  const total = readMoney(path(header, 'Total', 'Money'));
  if (!total) return refuse(400, 'OrderRequestHeader/Total/Money with a currency and an amount is required');
  const items = children(request, 'ItemOut');
  if (type !== 'delete' && items.length === 0) return refuse(400, 'The order has no ItemOut lines');
  const lines: OrderRequestLine[] = [];
  for (const [i, item] of items.entries()) {
    const line = readLine(item, i + 1);
    if ('ok' in line) return line;
    lines.push(line);
  }
  const requested = attr(header, 'requestedDeliveryDate');
  return {
    ok: true,
    value: {
      orderId,
      type: type as OrderRequestType,
      orderDate: attr(header, 'orderDate'),
      total,
      shipToAddressId: attr(path(header, 'ShipTo', 'Address'), 'addressID'),
      comments: commentsOf(header),
      requestedDeliveryDate:
        requested && /^\d{4}-\d{2}-\d{2}/.test(requested) ? requested.slice(0, 10) : null,
      person: personOf(header),
      lines,
    },
  };
}

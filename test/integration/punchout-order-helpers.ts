import { call, json, loginAs } from './harness';
import { all } from './pricing-helpers';
import { CXML_FIXTURES } from './punchout-helpers';

/** Posting cXML OrderRequests and reading what came of them, for the punch-out order tests. */
export const postCxml = (xml: string) =>
  call('/punchout/cxml/order', { method: 'POST', body: xml, headers: { 'content-type': 'text/xml' } });

export interface CxmlAnswer {
  http: number;
  code: number;
  message: string;
  text: string;
}

export async function answerOf(res: Response): Promise<CxmlAnswer> {
  const text = await res.text();
  if (!res.headers.get('content-type')?.startsWith('text/xml')) throw new Error(`not cXML: ${text}`);
  const status = /<Status code="(\d+)" text="[^"]*"[^>]*>([^<]*)<\/Status>/.exec(text);
  if (!status) throw new Error(`no Status in ${text}`);
  return { http: res.status, code: Number(status[1]), message: status[2] ?? '', text };
}

export interface OurLine {
  sku: string;
  quantity: number;
  unitMinor: number;
  unit: string;
}

/** Orderable, visible, in-stock Acme products with no quantity rule, and their price now (POST /v1/prices). */
export async function ourLines(quantities: number[]): Promise<OurLine[]> {
  const rows = await all<{ sku: string; unit: string }>(
    `SELECT p.sku, p.unit_of_measure AS unit FROM products p JOIN list_prices l ON l.sku = p.sku AND l.price_list_id = 'pl_eur'
     WHERE p.status = 'active' AND p.min_order_qty = 1 AND p.order_multiple = 1 AND l.amount_minor < 2000
     AND p.category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%'
     AND p.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable')
     AND (SELECT sum(on_hand) FROM stock s WHERE s.sku = p.sku) > 1000
     ORDER BY p.sku LIMIT ${quantities.length}`,
  );
  const lines = rows.map((r, i) => ({ sku: r.sku, quantity: quantities[i] ?? 1 }));
  const buyer = await loginAs('buyer@acme.example');
  const priced = await json<{
    currency: string;
    lines: { sku: string; price: { unitMinor: number } | null }[];
  }>(await call('/v1/prices', { method: 'POST', token: buyer, body: { lines } }));
  return lines.map((l, i) => {
    const unitMinor = priced.lines[i]?.price?.unitMinor;
    if (unitMinor === undefined) throw new Error(`no price for ${l.sku}`);
    return { ...l, unitMinor, unit: rows[i]?.unit ?? 'EA' };
  });
}

const euros = (minor: number) => (minor / 100).toFixed(2);

/**
 * The cxml-php EUR OrderRequest with our SKUs, prices and units in its two ItemOut lines, and its own
 * orderID, payloadID and Sender identity: everything else as the sample has it.
 */
export function ourOrderRequest(o: {
  identity: string;
  secret?: string;
  orderId: string;
  payloadId: string;
  lines: OurLine[];
  type?: 'new' | 'update' | 'delete';
  prices?: number[];
}): string {
  let xml = CXML_FIXTURES['cxmlphp-orderrequest-eur-billto-de-comments-attachment.xml'] ?? '';
  const [a, b] = o.lines;
  if (!a || !b) throw new Error('two lines');
  const prices = o.prices ?? [a.unitMinor, b.unitMinor];
  const total = a.quantity * (prices[0] ?? 0) + b.quantity * (prices[1] ?? 0);
  const items = xml.slice(xml.indexOf('<ItemOut'), xml.indexOf('</OrderRequest>'));
  const item = (l: OurLine, price: number, n: number) =>
    items
      .slice(n === 1 ? 0 : items.indexOf('<ItemOut', 10), n === 1 ? items.indexOf('<ItemOut', 10) : undefined)
      .replace(/quantity="\d+"/, `quantity="${l.quantity}"`)
      .replace(/<SupplierPartID>[^<]+/, `<SupplierPartID>${l.sku}`)
      .replace(/(<UnitPrice>\s*<Money currency="EUR">)[^<]+/, `$1${euros(price)}`)
      .replace(/<UnitOfMeasure>[^<]+/, `<UnitOfMeasure>${l.unit}`);
  xml = xml.replace(items, `${item(a, prices[0] ?? 0, 1)}${item(b, prices[1] ?? 0, 2)}`);
  return xml
    .replace('payloadID="1625586002.193314.7293@dev"', `payloadID="${o.payloadId}"`)
    .replace('orderID="DO1234"', `orderID="${o.orderId}"`)
    .replace('type="new"', `type="${o.type ?? 'new'}"`)
    .replace('<Money currency="EUR">85.00</Money>', `<Money currency="EUR">${euros(total)}</Money>`)
    .replaceAll('<Identity>inbound@prominate-platform.com</Identity>', `<Identity>${o.identity}</Identity>`)
    .replace('<SharedSecret>coyote</SharedSecret>', `<SharedSecret>${o.secret ?? 'coyote'}</SharedSecret>`);
}

export interface OrderView {
  id: string;
  status: string;
  poNumber: string | null;
  channel: string;
  channelRef: string | null;
  placedBy: string;
  totalMinor?: number;
  instructions: string | null;
}

/** Every Acme order with this PO number, as an Acme admin reads them. */
export async function ordersWithPo(poNumber: string): Promise<OrderView[]> {
  const admin = await loginAs('admin@acme.example');
  const page = await json<{ items: OrderView[] }>(await call('/v1/orders?limit=100', { token: admin }));
  return page.items.filter((o) => o.poNumber === poNumber);
}

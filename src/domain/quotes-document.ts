import { formatMinor } from './money';

/**
 * The printable quote: one HTML page (A4, print CSS) built from a model the service reads. Every string a
 * person typed (names, notes, messages, terms, addresses) goes through `escapeHtml`; nothing else is
 * interpolated. The supplier's own details are not stored anywhere yet: they are this constant.
 */
export const SUPPLIER = {
  name: 'Edge B2B Supplies SAS',
  address: ['12 rue de l’Industrie', '69007 Lyon', 'France'],
  vatId: 'FR00123456789',
  email: 'sales@supplier.example',
} as const;

export const escapeHtml = (s: string): string =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

export interface QuoteDocument {
  number: string;
  version: number;
  state: string;
  currency: string;
  issuedOn: string;
  validUntil: string | null;
  paymentTerms: string | null;
  deliveryTerms: string | null;
  message: string | null;
  customer: { name: string; address: string[] };
  rep: { name: string; email: string } | null;
  lines: {
    lineNo: number;
    sku: string;
    name: string | null;
    quantity: number;
    unitPriceMinor: number | null;
    contractUnitPriceMinor: number | null;
    note: string | null;
  }[];
  totalMinor: number | null;
}

const STYLE = `@page { size: A4; margin: 18mm 15mm; }
body { font: 10pt/1.4 system-ui, sans-serif; color: #111; margin: 0; }
header { display: flex; justify-content: space-between; gap: 2em; }
h1 { font-size: 16pt; margin: 0 0 .3em; }
table { width: 100%; border-collapse: collapse; margin-top: 1.5em; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #ccc; vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; }
tfoot td { font-weight: bold; border-bottom: none; }
.muted { color: #555; font-size: 9pt; }
section { margin-top: 1.2em; }
@media print { a { color: inherit; text-decoration: none; } tr { break-inside: avoid; } }`;

export function renderQuoteDocument(d: QuoteDocument): string {
  const e = escapeHtml;
  const money = (minor: number | null) =>
    minor === null ? '—' : e(formatMinor({ minor, currency: d.currency }));
  const block = (lines: readonly string[]) => lines.map(e).join('<br>');
  const rows = d.lines
    .map(
      (l) =>
        `<tr><td class="n">${l.lineNo}</td><td>${e(l.sku)}${l.name ? `<br><span class="muted">${e(l.name)}</span>` : ''}${
          l.note ? `<br><span class="muted">${e(l.note)}</span>` : ''
        }</td><td class="n">${l.quantity}</td><td class="n">${money(l.contractUnitPriceMinor)}</td><td class="n">${money(
          l.unitPriceMinor,
        )}</td><td class="n">${money(l.unitPriceMinor === null ? null : l.unitPriceMinor * l.quantity)}</td></tr>`,
    )
    .join('\n');
  const terms = [
    d.paymentTerms ? `<p><strong>Payment terms:</strong> ${e(d.paymentTerms)}</p>` : '',
    d.deliveryTerms ? `<p><strong>Delivery terms:</strong> ${e(d.deliveryTerms)}</p>` : '',
    d.message ? `<p>${e(d.message).replaceAll('\n', '<br>')}</p>` : '',
  ].join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Quote ${e(d.number)}</title><style>${STYLE}</style></head>
<body>
<header>
<div><h1>Quote ${e(d.number)}</h1><div class="muted">Version ${d.version} · ${e(d.state)} · issued ${e(d.issuedOn)}</div>
<p><strong>Valid until:</strong> ${d.validUntil ? e(d.validUntil) : 'not quoted yet'}</p></div>
<div><strong>${e(SUPPLIER.name)}</strong><br>${block(SUPPLIER.address)}<br>VAT ${e(SUPPLIER.vatId)}<br>${e(SUPPLIER.email)}</div>
</header>
<section><strong>Customer</strong><br>${e(d.customer.name)}<br>${block(d.customer.address)}${
    d.rep ? `<p class="muted">Your contact: ${e(d.rep.name)} (${e(d.rep.email)})</p>` : ''
  }</section>
<table><thead><tr><th class="n">#</th><th>Item</th><th class="n">Qty</th><th class="n">Contract price</th><th class="n">Quoted price</th><th class="n">Line total</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><td colspan="5">Total (${e(d.currency)}, net)</td><td class="n">${money(d.totalMinor)}</td></tr></tfoot></table>
<section>${terms}</section>
</body></html>`;
}

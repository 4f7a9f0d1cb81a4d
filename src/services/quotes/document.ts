import type { Database } from '../../db/client';
import { customerParty, productNames, type QuoteRow, userNames } from '../../db/queries/quotes';
import { totalsOf, utcDate } from '../../domain/quotes';
import { renderQuoteDocument } from '../../domain/quotes-document';
import { quoteView } from './records';

/** The printable quote of the current version: supplier, customer (billing address), lines, terms. */
export async function quoteDocument(db: Database, q: QuoteRow): Promise<string> {
  const view = await quoteView(db, q);
  const current = view.versions.find((v) => v.version === q.currentVersion) ?? view.versions.at(-1);
  const lines = current?.lines ?? [];
  // the terms and validity of the latest quote the rep made, when the current version is the buyer's
  const quoted = [...view.versions].reverse().find((v) => v.kind === 'quote');
  const [party, names, reps] = await Promise.all([
    customerParty(db, q.companyId),
    productNames(
      db,
      lines.map((l) => l.sku),
    ),
    userNames(db, q.repUserId ? [q.repUserId] : []),
  ]);
  const a = party.address;
  const address = a
    ? [a.line1, a.line2, `${a.postalCode} ${a.city}`, a.region, a.country].filter((x): x is string => !!x)
    : [];
  return renderQuoteDocument({
    number: q.number,
    version: current?.version ?? q.currentVersion,
    state: q.state,
    currency: q.currency,
    issuedOn: utcDate(current?.createdAt ?? q.requestedAt),
    validUntil: view.validUntil,
    paymentTerms: quoted?.paymentTerms ?? null,
    deliveryTerms: quoted?.deliveryTerms ?? null,
    message: current?.message ?? null,
    customer: { name: party.company?.name ?? q.companyId, address },
    rep: q.repUserId ? (reps.get(q.repUserId) ?? null) : null,
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      sku: l.sku,
      name: names.get(l.sku) ?? null,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      contractUnitPriceMinor: l.contractUnitPriceMinor,
      note: l.note,
    })),
    totalMinor: totalsOf(lines).totalMinor,
  });
}

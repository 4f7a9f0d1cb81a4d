import { and, asc, desc, eq, gt, gte, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { invoices } from '../schema';

/**
 * Invoices and credit notes as the ERP reported them, with what is still open on each invoice: gross minus
 * paid minus the credit notes that name it (`credits_number`) in the same company. Computed in SQL, so the
 * status filters page correctly.
 */
const credited = sql<number>`coalesce((SELECT sum(c.gross_minor) FROM invoices c WHERE c.company_id = ${invoices.companyId} AND c.kind = 'credit_note' AND c.credits_number = ${invoices.number}), 0)`;
const open = sql<number>`(${invoices.grossMinor} - ${invoices.paidMinor} - ${credited})`;

export const documentColumns = {
  id: invoices.id,
  kind: invoices.kind,
  number: invoices.number,
  orderId: invoices.orderId,
  creditsNumber: invoices.creditsNumber,
  issueDate: invoices.issueDate,
  dueDate: invoices.dueDate,
  currency: invoices.currency,
  netMinor: invoices.netMinor,
  taxMinor: invoices.taxMinor,
  grossMinor: invoices.grossMinor,
  paidMinor: invoices.paidMinor,
  creditedMinor: sql<number>`CASE WHEN ${invoices.kind} = 'invoice' THEN ${credited} END`.as(
    'credited_minor',
  ),
  openMinor: sql<number>`CASE WHEN ${invoices.kind} = 'invoice' THEN max(${open}, 0) END`.as('open_minor'),
  documentUrl: invoices.documentUrl,
  createdAt: invoices.createdAt,
  updatedAt: invoices.updatedAt,
};

/** open: something left to pay (overdue ones included); overdue: that, past its due date; paid: nothing left. */
export type InvoiceStatusFilter = 'open' | 'paid' | 'overdue';

export interface InvoiceFilter {
  companyId: string;
  kind?: 'invoice' | 'credit_note';
  status?: InvoiceStatusFilter;
  /** YYYY-MM-DD of today (UTC): what "overdue" is measured against */
  today: string;
  /** issue dates, both inclusive */
  from?: string;
  to?: string;
  orderId?: string;
  /** keyset: strictly after (issueDate, id) in newest-first order */
  before?: { issueDate: string; id: string };
  limit: number;
}

function statusCondition(status: InvoiceStatusFilter | undefined, today: string): SQL | undefined {
  if (!status) return undefined;
  const invoice = eq(invoices.kind, 'invoice');
  if (status === 'paid') return and(invoice, lte(open, 0));
  if (status === 'open') return and(invoice, gt(open, 0));
  return and(invoice, gt(open, 0), lt(invoices.dueDate, today));
}

/** Newest issue date first. */
export function listDocuments(db: Database, f: InvoiceFilter) {
  const conditions: (SQL | undefined)[] = [
    eq(invoices.companyId, f.companyId),
    f.kind ? eq(invoices.kind, f.kind) : undefined,
    statusCondition(f.status, f.today),
    f.from ? gte(invoices.issueDate, f.from) : undefined,
    f.to ? lte(invoices.issueDate, f.to) : undefined,
    f.orderId ? eq(invoices.orderId, f.orderId) : undefined,
    f.before
      ? or(
          lt(invoices.issueDate, f.before.issueDate),
          and(eq(invoices.issueDate, f.before.issueDate), lt(invoices.id, f.before.id)),
        )
      : undefined,
  ];
  return db
    .select(documentColumns)
    .from(invoices)
    .where(and(...conditions))
    .orderBy(desc(invoices.issueDate), desc(invoices.id))
    .limit(f.limit);
}

export type DocumentRow = NonNullable<Awaited<ReturnType<typeof getDocument>>>;

export async function getDocument(db: Database, companyId: string, id: string) {
  const [row] = await db
    .select(documentColumns)
    .from(invoices)
    .where(and(eq(invoices.companyId, companyId), eq(invoices.id, id)))
    .limit(1);
  return row;
}

/** The documents of one order, oldest first (for the order's answer and a `batchRead`). */
export const orderDocumentsQuery = (db: Database, companyId: string, orderId: string) =>
  db
    .select(documentColumns)
    .from(invoices)
    .where(and(eq(invoices.companyId, companyId), eq(invoices.orderId, orderId)))
    .orderBy(asc(invoices.issueDate), asc(invoices.id));

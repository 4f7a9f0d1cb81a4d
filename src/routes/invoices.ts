import { Hono } from 'hono';
import * as v from 'valibot';
import { getDocument, listDocuments } from '../db/queries/invoices';
import { INVOICE_KINDS } from '../domain/erp-terms';
import { notFound } from '../domain/errors';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { asSeenBy } from '../http/prices-visibility';
import { validParams, validQuery } from '../http/validate';
import { DocumentSchema, dateOf, documentView } from './order-life-schemas';
import { CalendarDateSchema, IdParam } from './schemas';

const tags = ['Invoices'];

const ListQuery = v.pipe(
  v.strictObject({
    // open: something left to pay (overdue included); overdue: open past the due date; paid: nothing left
    status: v.optional(v.picklist(['open', 'paid', 'overdue'])),
    kind: v.optional(v.picklist(INVOICE_KINDS)),
    // issue dates, both inclusive
    from: v.optional(CalendarDateSchema),
    to: v.optional(CalendarDateSchema),
    ...PageParams,
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed && dataset.value.from && dataset.value.to && dataset.value.to < dataset.value.from)
      addIssue({
        message: 'must be on or after from',
        path: [{ type: 'object', origin: 'value', input: dataset.value, key: 'to', value: dataset.value.to }],
      });
  }),
);
const Cursor = v.object({ issueDate: v.string(), id: v.string() });

/** /v1/invoices (invoices and credit notes of the caller's company, as the ERP reported them). */
export const invoiceRoutes = new Hono<AppEnv>()
  .use(requirePermission('invoices.view'))
  .get(
    '/',
    doc({
      tags,
      summary: 'Invoices and credit notes of my company, newest issue date first, with what is open on each',
      description:
        'Open amount = gross − paid − the credit notes naming the invoice; `overdue` when something is open past ' +
        'the due date. Amounts only with prices.view.',
      ok: pageOf(DocumentSchema),
      errors: { 403: 'Needs invoices.view' },
    }),
    validQuery(ListQuery),
    async (c) => {
      const q = c.req.valid('query');
      const today = dateOf(c.var.services.now());
      const rows = await listDocuments(c.var.services.db, {
        companyId: scopeOf(c).companyId,
        status: q.status,
        kind: q.kind,
        today,
        from: q.from,
        to: q.to,
        before: decodeCursor(Cursor, q.cursor),
        limit: q.limit + 1,
      });
      const page = keysetPage(rows, q.limit, (last) => ({ issueDate: last.issueDate, id: last.id }));
      return c.json({
        ...page,
        items: page.items.map((d) => asSeenBy(c.var.principal, documentView(d, today))),
      });
    },
  )
  .get(
    '/:id',
    doc({
      tags,
      summary: 'One invoice or credit note',
      ok: DocumentSchema,
      errors: { 403: 'Needs invoices.view' },
    }),
    validParams(IdParam),
    async (c) => {
      const found = await getDocument(c.var.services.db, scopeOf(c).companyId, c.req.valid('param').id);
      if (!found) throw notFound('Invoice');
      return c.json(asSeenBy(c.var.principal, documentView(found, dateOf(c.var.services.now()))));
    },
  );

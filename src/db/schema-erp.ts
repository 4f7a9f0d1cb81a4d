import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  ERP_EVENT_TYPES,
  EXPORT_KINDS,
  EXPORT_STATES,
  IMPORT_KINDS,
  IMPORT_STATES,
  INVOICE_KINDS,
  PROBLEM_KINDS,
} from '../domain/erp-terms';
import { companies } from './schema-core';
import { orders } from './schema-orders';

/**
 * The ERP link both ways (docs/erp.md): import jobs and their rejects, the ERP's own record versions live on
 * the records themselves; exports of orders (and of what follows them) with their delivery state; the order's
 * life after checkout as the ERP reports it (events, shipments, invoices) and what buyers report back.
 * Times are epoch milliseconds, money integer minor units.
 */

export const importJobs = sqliteTable(
  'import_jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: IMPORT_KINDS }).notNull(),
    // push: uploaded by the ERP; pull: fetched by the nightly cron from ERP_BASE_URL
    source: text('source', { enum: ['push', 'pull'] }).notNull(),
    status: text('status', { enum: IMPORT_STATES }).notNull(),
    format: text('format').notNull(),
    encoding: text('encoding'),
    // the raw upload in the ERP_UPLOADS bucket (kept 30 days)
    objectKey: text('object_key').notNull(),
    bytes: integer('bytes').notNull().default(0),
    rowsReceived: integer('rows_received').notNull().default(0),
    rowsApplied: integer('rows_applied').notNull().default(0),
    rowsUnchanged: integer('rows_unchanged').notNull().default(0),
    rowsSkippedOlder: integer('rows_skipped_older').notNull().default(0),
    rowsRejected: integer('rows_rejected').notNull().default(0),
    batchesTotal: integer('batches_total'),
    batchesDone: integer('batches_done').notNull().default(0),
    error: text('error'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    validatedAt: integer('validated_at'),
    finishedAt: integer('finished_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('import_jobs_created_idx').on(t.createdAt, t.id),
    index('import_jobs_status_idx').on(t.status),
  ],
);

/** One row per chunk: a chunk is counted once however often its message is delivered. */
export const importBatches = sqliteTable(
  'import_batches',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => importJobs.id),
    batchNo: integer('batch_no').notNull(),
    rows: integer('rows').notNull(),
    applied: integer('applied').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    skippedOlder: integer('skipped_older').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    appliedAt: integer('applied_at'),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.batchNo] })],
);

export const importRejects = sqliteTable(
  'import_rejects',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => importJobs.id),
    // 1-based data row number as the ERP counts it (the header row of a CSV is row 0)
    rowNo: integer('row_no').notNull(),
    column: text('column'),
    reason: text('reason').notNull(),
    // the offending row as received, cut to 1,000 characters
    raw: text('raw'),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.rowNo] })],
);

/** Small ERP link state: the pull cursor per kind, and the like. */
export const erpState = sqliteTable('erp_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * What goes to the ERP about an order: the order itself, its cancellation, a buyer's receipt or problem
 * report. One row per outbox row (same id), so a relay or a re-drive can never make a second.
 */
export const erpExports = sqliteTable(
  'erp_exports',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    companyId: text('company_id').notNull(),
    kind: text('kind', { enum: EXPORT_KINDS }).notNull(),
    state: text('state', { enum: EXPORT_STATES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastAttemptAt: integer('last_attempt_at'),
    sentAt: integer('sent_at'),
    acknowledgedAt: integer('acknowledged_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('erp_exports_order_idx').on(t.orderId, t.createdAt),
    index('erp_exports_state_idx').on(t.state, t.updatedAt),
    index('erp_exports_company_idx').on(t.companyId, t.createdAt),
  ],
);

/** Every event the ERP posted about an order, once per ERP event id. */
export const erpOrderEvents = sqliteTable(
  'erp_order_events',
  {
    erpEventId: text('erp_event_id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    companyId: text('company_id').notNull(),
    type: text('type', { enum: ERP_EVENT_TYPES }).notNull(),
    // the ERP's own timestamp: events apply in this order, whatever order they arrive in
    occurredAt: integer('occurred_at').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [index('erp_order_events_order_idx').on(t.orderId, t.occurredAt)],
);

export const shipments = sqliteTable(
  'shipments',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    companyId: text('company_id').notNull(),
    erpShipmentId: text('erp_shipment_id').notNull(),
    carrier: text('carrier'),
    trackingNumber: text('tracking_number'),
    trackingUrl: text('tracking_url'),
    shippedAt: integer('shipped_at').notNull(),
    deliveredAt: integer('delivered_at'),
    receivedAt: integer('received_at'),
    receivedBy: text('received_by'),
    lines: text('lines', { mode: 'json' })
      .$type<{ lineNo: number; sku: string; quantity: number }[]>()
      .notNull(),
  },
  (t) => [
    uniqueIndex('shipments_order_erp_uq').on(t.orderId, t.erpShipmentId),
    index('shipments_company_idx').on(t.companyId, t.shippedAt),
  ],
);

export const invoices = sqliteTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    orderId: text('order_id').references(() => orders.id),
    kind: text('kind', { enum: INVOICE_KINDS }).notNull(),
    number: text('number').notNull(),
    // the invoice a credit note corrects
    creditsNumber: text('credits_number'),
    issueDate: text('issue_date').notNull(),
    dueDate: text('due_date'),
    currency: text('currency').notNull(),
    netMinor: integer('net_minor').notNull(),
    taxMinor: integer('tax_minor').notNull(),
    grossMinor: integer('gross_minor').notNull(),
    paidMinor: integer('paid_minor').notNull().default(0),
    documentUrl: text('document_url'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.kind, t.number),
    index('invoices_company_idx').on(t.companyId, t.issueDate, t.id),
    index('invoices_order_idx').on(t.orderId),
  ],
);

/** A buyer's report of a problem on an order line; sent to the ERP through the outbox. */
export const lineProblemReports = sqliteTable(
  'line_problem_reports',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    companyId: text('company_id').notNull(),
    lineNo: integer('line_no').notNull(),
    shipmentId: text('shipment_id'),
    kind: text('kind', { enum: PROBLEM_KINDS }).notNull(),
    quantity: integer('quantity'),
    note: text('note'),
    reportedBy: text('reported_by').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('line_problem_reports_order_idx').on(t.orderId, t.createdAt)],
);

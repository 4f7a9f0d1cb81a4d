/** The closed vocabularies of the ERP link (docs/erp.md), shared by storage, queues and the API. */

export const IMPORT_KINDS = ['products', 'list-prices', 'stock', 'customers', 'contract-prices'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_STATES = ['received', 'validating', 'applying', 'done', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

/** What is sent to the ERP about an order. */
export const EXPORT_KINDS = ['order', 'cancellation', 'receipt', 'problem_report'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_STATES = ['pending', 'sent', 'acknowledged', 'failed'] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

export const ERP_EVENT_TYPES = [
  'acknowledged',
  'shipped',
  'delivered',
  'invoiced',
  'credited',
  'cancelled',
] as const;
export type ErpEventType = (typeof ERP_EVENT_TYPES)[number];

/** Where an order stands after checkout, as the ERP reports it (the order's `status` keeps its own story). */
export const FULFILMENT_STATUSES = [
  'open',
  'acknowledged',
  'partially_shipped',
  'shipped',
  'delivered',
] as const;
export type FulfilmentStatus = (typeof FULFILMENT_STATUSES)[number];

export const INVOICE_KINDS = ['invoice', 'credit_note'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

export const PROBLEM_KINDS = ['damaged', 'missing', 'wrong_item', 'other'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { QUOTE_STATES, QUOTE_VERSION_KINDS } from '../domain/quote-terms';
import { companies } from './schema-core';

/**
 * Quotes (docs/quotes.md): one row per negotiation, its versions (the request, each quote, each counter;
 * every version kept) and their lines. Times are epoch milliseconds; money is integer minor units of the
 * quote's currency.
 */
export const quotes = sqliteTable(
  'quotes',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    // the company's human-readable number (Q-000123), unique per company
    number: text('number').notNull(),
    state: text('state', { enum: QUOTE_STATES }).notNull(),
    requestedBy: text('requested_by').notNull(),
    // the rep the request went to (the company's sales rep when it was made); null: platform admins answer
    repUserId: text('rep_user_id'),
    currency: text('currency').notNull(),
    // the version every reader shows and the buyer accepts; versions only grow
    currentVersion: integer('current_version').notNull(),
    // the current quote's validity (end of day it names, as an instant); null while only requested
    validUntil: integer('valid_until'),
    wantedDeliveryDate: text('wanted_delivery_date'),
    // the cart the request was made from, if any
    sourceCartId: text('source_cart_id'),
    orderId: text('order_id'),
    decisionReason: text('decision_reason'),
    requestedAt: integer('requested_at').notNull(),
    // the first quote's time: the turnaround of a request
    firstQuotedAt: integer('first_quoted_at'),
    // accepted, declined, expired or withdrawn
    decidedAt: integer('decided_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('quotes_company_number_uq').on(t.companyId, t.number),
    index('quotes_company_idx').on(t.companyId, t.requestedAt, t.id),
    index('quotes_rep_state_idx').on(t.repUserId, t.state),
    // the expiry cron's one query
    index('quotes_state_valid_idx').on(t.state, t.validUntil),
  ],
);

export interface QuoteAttachment {
  url: string;
  name: string | null;
}

export const quoteVersions = sqliteTable(
  'quote_versions',
  {
    quoteId: text('quote_id')
      .notNull()
      .references(() => quotes.id),
    version: integer('version').notNull(),
    kind: text('kind', { enum: QUOTE_VERSION_KINDS }).notNull(),
    authorId: text('author_id').notNull(),
    message: text('message'),
    // rep's versions: validity, terms
    validUntil: integer('valid_until'),
    paymentTerms: text('payment_terms'),
    deliveryTerms: text('delivery_terms'),
    attachments: text('attachments', { mode: 'json' }).$type<QuoteAttachment[]>().notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.quoteId, t.version] })],
);

export const quoteLines = sqliteTable(
  'quote_lines',
  {
    quoteId: text('quote_id').notNull(),
    version: integer('version').notNull(),
    // stable across versions: a counter names the line it changes by this
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    // the buyer's target (request, counter)
    targetUnitPriceMinor: integer('target_unit_price_minor'),
    // the rep's price (quote versions): net, or derived from a discount on the contract price
    unitPriceMinor: integer('unit_price_minor'),
    discountBps: integer('discount_bps'),
    // what the company would pay without the quote when the version was written, shown side by side
    contractUnitPriceMinor: integer('contract_unit_price_minor'),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.quoteId, t.version, t.lineNo] })],
);

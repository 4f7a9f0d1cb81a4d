import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { DELIVERY_MODES } from '../domain/order-terms';
import type { Frequency } from '../domain/recurrence';
import {
  type OccurrenceLine,
  RECURRING_OCCURRENCE_STATUSES,
  RECURRING_STATUSES,
  type RecurringSource,
} from '../domain/recurring-terms';
import { companies } from './schema-core';

/**
 * Recurring orders (docs/recurring-orders.md): a schedule per row, and the history of its occurrences.
 * Times are epoch milliseconds; dates are local to the schedule's time zone.
 */
export const recurringOrders = sqliteTable(
  'recurring_orders',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    // the user the orders are placed as (their limits, approvals and budgets apply)
    ownerId: text('owner_id').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: RECURRING_STATUSES }).notNull(),
    // why it is paused: by someone, or by itself (owner disabled, ship-to or cost center removed, …)
    pausedReason: text('paused_reason'),
    source: text('source', { mode: 'json' }).$type<RecurringSource>().notNull(),
    shipToSiteId: text('ship_to_site_id').notNull(),
    costCenterId: text('cost_center_id'),
    poPattern: text('po_pattern'),
    deliveryMode: text('delivery_mode', { enum: DELIVERY_MODES }).notNull(),
    notes: text('notes'),
    autoReplace: integer('auto_replace', { mode: 'boolean' }).notNull().default(false),
    frequency: text('frequency', { mode: 'json' }).$type<Frequency>().notNull(),
    startDate: text('start_date').notNull(),
    endDate: text('end_date'),
    maxOccurrences: integer('max_occurrences'),
    timeZone: text('time_zone').notNull(),
    timeOfDay: text('time_of_day').notNull(),
    // the next occurrence's instant; null when paused or ended. The cron's one query reads this index.
    nextDueAt: integer('next_due_at'),
    // the due instant last handed to the queue, and when: the cron hands each occurrence over once per lease
    enqueuedFor: integer('enqueued_for'),
    enqueuedAt: integer('enqueued_at'),
    // occurrences that came to pass (placed, waiting for approval, skipped or failed), for the count limit
    occurrenceCount: integer('occurrence_count').notNull().default(0),
    // quantities for the next occurrence only: { occurrence: instant, lines: [{ sku, quantity }] }
    nextChange: text('next_change', { mode: 'json' }).$type<{
      occurrence: number;
      lines: { sku: string; quantity: number }[];
    }>(),
    createdAt: integer('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('recurring_orders_due_idx').on(t.nextDueAt),
    index('recurring_orders_company_idx').on(t.companyId, t.createdAt, t.id),
  ],
);

export const recurringOccurrences = sqliteTable(
  'recurring_occurrences',
  {
    id: text('id').primaryKey(),
    scheduleId: text('schedule_id').notNull(),
    companyId: text('company_id').notNull(),
    // the scheduled instant: with the schedule id, the occurrence key (and the checkout's idempotency key)
    scheduledAt: integer('scheduled_at').notNull(),
    number: integer('number').notNull(),
    status: text('status', { enum: RECURRING_OCCURRENCE_STATUSES }).notNull(),
    orderId: text('order_id'),
    // what happened to each line: ordered, replaced or left out, and why
    lines: text('lines', { mode: 'json' }).$type<OccurrenceLine[]>().notNull(),
    problems: text('problems', { mode: 'json' }).$type<string[]>().notNull(),
    // slots that fell due while nothing ran (the platform was down), placed once by this occurrence
    missedSlots: integer('missed_slots').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  // the history of a schedule is read by this index too (newest first)
  (t) => [uniqueIndex('recurring_occurrences_slot_uq').on(t.scheduleId, t.scheduledAt)],
);

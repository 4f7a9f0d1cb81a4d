import * as v from 'valibot';

/** The queues the Worker consumes, by name as declared in wrangler.toml. */
export const WORK_QUEUES = [
  'erp-import',
  'price-index',
  'search-index',
  'erp-export',
  'recurring-orders',
  'notifications',
] as const;
export type WorkQueue = (typeof WORK_QUEUES)[number];
export const DEAD_LETTER_SUFFIX = '-dlq';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

/** Every message body is parsed by its queue's schema before any work is done. */
export const MessageSchemas = {
  // split a job's raw upload into chunks, or apply one chunk (docs/erp.md, "ERP → platform: imports")
  'erp-import': v.variant('step', [
    v.object({ jobId: Id, step: v.literal('split') }),
    v.object({ jobId: Id, step: v.literal('apply'), batch: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
  ]),
  'price-index': v.object({
    fingerprint: Id,
    reason: v.string(),
    // set on the delayed clean-up of a superseded generation's parts
    dropGeneration: v.optional(
      v.object({
        generation: v.pipe(v.number(), v.integer()),
        parts: v.pipe(v.number(), v.integer(), v.minValue(0)),
        // absent in messages of encoding 1, which had no wide parts
        wide: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 0),
        version: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 1),
      }),
    ),
  }),
  // a build of the catalog's search index (what to build is read from SQL), or a superseded generation's clean-up
  'search-index': v.object({
    reason: v.string(),
    dropGeneration: v.optional(
      v.object({
        generation: v.pipe(v.number(), v.integer()),
        parts: v.pipe(v.number(), v.integer(), v.minValue(0)),
        version: v.pipe(v.number(), v.integer(), v.minValue(1)),
      }),
    ),
  }),
  // the export's id (its outbox and erp_exports row); what to send is read from SQL when it is sent
  'erp-export': v.object({ exportId: Id }),
  // occurrence: the scheduled instant (ISO 8601, UTC); with the schedule id, the occurrence key
  'recurring-orders': v.object({ scheduleId: Id, occurrence: v.pipe(v.string(), v.isoTimestamp()) }),
  notifications: v.object({
    // the event's own id: deliveries are recorded once per event, however often the message is redelivered
    eventId: Id,
    companyId: Id,
    event: v.picklist([
      'approval.requested',
      'order.approved',
      'order.rejected',
      'order.placed',
      'order.shipped',
      'order.delivered',
      'order.invoiced',
      'order.problem_reported',
      'recurring.placed',
      'recurring.problem',
      'quote.requested',
      'quote.quoted',
      'quote.countered',
      'quote.accepted',
      'quote.ordered',
      'quote.declined',
      'quote.expired',
      'quote.withdrawn',

      // a sales rep prepared a cart for a buyer to review and order (docs/rep-workspace.md)
      'cart.prepared_by_rep',
    ]),
    payload: v.record(v.string(), v.unknown()),
  }),
} satisfies Record<WorkQueue, v.GenericSchema>;

export const isWorkQueue = (name: string): name is WorkQueue =>
  (WORK_QUEUES as readonly string[]).includes(name);

/** Exponential backoff for retried messages: 10 s, 20 s, 40 s … capped at 15 minutes. */
export const retryDelaySeconds = (attempts: number): number =>
  Math.min(900, 10 * 2 ** Math.max(0, attempts - 1));

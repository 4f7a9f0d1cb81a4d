import * as v from 'valibot';
import { WEEKDAYS } from '../domain/calendar';
import { DELIVERY_MODES } from '../domain/order-terms';
import { MAX_QUANTITY } from '../domain/pricing/engine';
import { cronProblem } from '../domain/recurrence';
import { RECURRING_OCCURRENCE_STATUSES, RECURRING_STATUSES, SOURCE_KINDS } from '../domain/recurring-terms';
import { isTimeZone } from '../domain/zoned-time';
import { PageParams } from '../http/paging';
import { Preview } from './checkout';
import { CalendarDateSchema, distinctItems, IdSchema, LineInputSchema, patchOf, text } from './schemas';

/** The request and answer shapes of /v1/recurring-orders (docs/recurring-orders.md). */
export const FREQUENCY_KINDS = ['weekly', 'monthly_day', 'business_day', 'cron'] as const;
export const MAX_SCHEDULE_LINES = 200;

const TimeOfDay = v.pipe(
  v.string(),
  v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM, 00:00–23:59'),
);
const TimeZone = v.pipe(
  text({ max: 64 }),
  v.check(isTimeZone, 'not a time zone (an IANA name, e.g. Europe/Paris)'),
);
const CronExpression = v.pipe(
  text({ max: 100 }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const problem = cronProblem(dataset.value);
    if (problem) addIssue({ message: problem });
  }),
);

/**
 * Flat objects with a `kind` rather than tagged unions: every field is checked on its own (a bad field is
 * named even when another is missing); which fields a kind needs is checked after (`shapeIssues`).
 */
const Source = v.strictObject({
  kind: v.picklist(SOURCE_KINDS),
  lines: v.optional(
    v.pipe(
      v.array(LineInputSchema),
      v.minLength(1, 'at least one line'),
      v.maxLength(MAX_SCHEDULE_LINES, `at most ${MAX_SCHEDULE_LINES} lines`),
      v.checkItems((l, i, all) => all.findIndex((x) => x.sku === l.sku) === i, 'this SKU is named twice'),
    ),
  ),
  cartId: v.optional(IdSchema),
  listId: v.optional(IdSchema),
});
const Frequency = v.strictObject({
  kind: v.picklist(FREQUENCY_KINDS),
  weekdays: v.optional(
    v.pipe(v.array(v.picklist(WEEKDAYS)), v.minLength(1, 'at least one weekday'), distinctItems()),
  ),
  everyWeeks: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(52))),
  day: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1, 'a day of the month from 1 to 31'),
      v.maxValue(31, 'a day of the month from 1 to 31 (31: the last day of every month)'),
    ),
  ),
  which: v.optional(v.picklist(['first', 'last'])),
  expression: v.optional(CronExpression),
});

const scheduleFields = {
  name: text({ max: 100 }),
  source: Source,
  shipToSiteId: IdSchema,
  costCenterId: v.nullable(IdSchema),
  poPattern: v.nullable(text({ max: 64 })),
  deliveryMode: v.picklist(DELIVERY_MODES),
  notes: v.nullable(text({ max: 1000, multiline: true })),
  autoReplace: v.boolean(),
  frequency: Frequency,
  startDate: CalendarDateSchema,
  endDate: v.nullable(CalendarDateSchema),
  maxOccurrences: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
  timeZone: TimeZone,
  timeOfDay: v.nullable(TimeOfDay),
};

export const NewSchedule = v.strictObject({
  name: scheduleFields.name,
  source: Source,
  frequency: Frequency,
  shipToSiteId: v.optional(scheduleFields.shipToSiteId),
  costCenterId: v.optional(scheduleFields.costCenterId),
  poPattern: v.optional(scheduleFields.poPattern),
  deliveryMode: v.optional(scheduleFields.deliveryMode),
  notes: v.optional(scheduleFields.notes),
  autoReplace: v.optional(scheduleFields.autoReplace),
  startDate: v.optional(scheduleFields.startDate),
  endDate: v.optional(scheduleFields.endDate),
  maxOccurrences: v.optional(scheduleFields.maxOccurrences),
  timeZone: v.optional(scheduleFields.timeZone),
  timeOfDay: v.optional(scheduleFields.timeOfDay),
});
export type NewScheduleInput = v.InferOutput<typeof NewSchedule>;

export const SchedulePatch = patchOf(scheduleFields);
export type SchedulePatchInput = v.InferOutput<typeof SchedulePatch>;

export const ListQuery = v.strictObject({ mine: v.optional(v.picklist(['true', 'false'])), ...PageParams });
export const PreviewQuery = v.strictObject({
  count: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(50)), '5'),
});
export const HistoryQuery = v.strictObject({ ...PageParams });
export const PauseBody = v.strictObject({ reason: v.optional(text({ max: 200 })) });
export const QuantitiesBody = v.strictObject({
  scope: v.picklist(['next', 'following']),
  lines: v.pipe(
    v.array(
      v.strictObject({
        sku: text({ max: 64 }),
        quantity: v.pipe(
          v.number('a number'),
          v.integer('a whole number of units'),
          v.minValue(0, '0 (leave the line out) or more'),
          v.maxValue(MAX_QUANTITY, `at most ${MAX_QUANTITY.toLocaleString('en')}`),
        ),
      }),
    ),
    v.minLength(1, 'at least one line'),
    v.maxLength(MAX_SCHEDULE_LINES),
    v.checkItems((l, i, all) => all.findIndex((x) => x.sku === l.sku) === i, 'this SKU is named twice'),
  ),
});

// ── answers ──────────────────────────────────────────────────────────────────────────────────────────

const Line = v.object({ sku: v.string(), quantity: v.number() });
export const Schedule = v.object({
  id: v.string(),
  name: v.string(),
  ownerId: v.string(),
  status: v.picklist(RECURRING_STATUSES),
  pausedReason: v.nullable(v.string()),
  source: v.object({
    kind: v.picklist(SOURCE_KINDS),
    lines: v.optional(v.array(Line)),
    cartId: v.optional(v.string()),
    listId: v.optional(v.string()),
  }),
  frequency: v.object({
    kind: v.picklist(FREQUENCY_KINDS),
    weekdays: v.optional(v.array(v.picklist(WEEKDAYS))),
    everyWeeks: v.optional(v.number()),
    day: v.optional(v.number()),
    which: v.optional(v.picklist(['first', 'last'])),
    expression: v.optional(v.string()),
  }),
  shipToSiteId: v.string(),
  costCenterId: v.nullable(v.string()),
  poPattern: v.nullable(v.string()),
  deliveryMode: v.picklist(DELIVERY_MODES),
  notes: v.nullable(v.string()),
  autoReplace: v.boolean(),
  startDate: v.string(),
  endDate: v.nullable(v.string()),
  maxOccurrences: v.nullable(v.number()),
  occurrenceCount: v.number(),
  timeZone: v.string(),
  timeOfDay: v.nullable(v.string()),
  /** the next occurrence (epoch ms), null when paused or ended */
  nextDueAt: v.nullable(v.number()),
  nextChange: v.nullable(v.object({ occurrenceAt: v.number(), lines: v.array(Line) })),
  /** where business days get their holidays from: the generated table, or weekends only */
  holidayCalendar: v.picklist(['table', 'weekends_only']),
  createdAt: v.number(),
  updatedAt: v.number(),
});

const OccurrenceLine = v.object({
  sku: v.string(),
  quantity: v.number(),
  outcome: v.picklist(['ordered', 'replaced', 'left_out']),
  replacement: v.nullable(v.string()),
  reason: v.nullable(v.string()),
});
export const Occurrence = v.object({
  id: v.string(),
  scheduledAt: v.number(),
  number: v.number(),
  status: v.picklist(RECURRING_OCCURRENCE_STATUSES),
  orderId: v.nullable(v.string()),
  lines: v.array(OccurrenceLine),
  problems: v.array(v.string()),
  missedSlots: v.number(),
  createdAt: v.number(),
  updatedAt: v.number(),
});

export const PreviewAnswer = v.object({
  occurrences: v.array(
    v.object({ at: v.number(), localDate: v.string(), localTime: v.string(), number: v.number() }),
  ),
  next: v.nullable(
    v.object({
      at: v.number(),
      currency: v.string(),
      // the source's lines priced now, each with its problems (money absent without prices.view)
      lines: v.array(v.record(v.string(), v.unknown())),
      plan: v.array(OccurrenceLine),
      checkout: Preview,
    }),
  ),
  /** why `next` is null while occurrences remain (e.g. the saved cart is gone) */
  problem: v.nullable(v.string()),
});

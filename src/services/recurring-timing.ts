import type { ScheduleRow } from '../db/queries/recurring';
import { nextSlots, type Recurrence, type Slot, slotsBetween } from '../domain/recurrence';

/**
 * When a stored schedule falls due: its recurrence (the row read with the company's country, whose public
 * holidays business days skip) and the count of occurrences it may still have.
 */
export type Timing = Pick<
  ScheduleRow,
  'frequency' | 'startDate' | 'endDate' | 'timeOfDay' | 'timeZone' | 'maxOccurrences' | 'occurrenceCount'
>;

export const recurrenceOf = (s: Timing, country: string): Recurrence => ({
  frequency: s.frequency,
  startDate: s.startDate,
  endDate: s.endDate,
  // cron expressions carry their own times; the column holds a placeholder for them
  timeOfDay: s.timeOfDay,
  timeZone: s.timeZone,
  country,
});

/** How many more occurrences the count allows (Infinity without a count). */
export const remaining = (s: Timing, consumed = 0): number =>
  s.maxOccurrences === null
    ? Number.POSITIVE_INFINITY
    : Math.max(0, s.maxOccurrences - s.occurrenceCount - consumed);

/** The next `limit` slots after `after` the schedule may still have (end date and count respected). */
export function upcoming(s: Timing, country: string, after: number, limit: number, consumed = 0): Slot[] {
  return nextSlots(recurrenceOf(s, country), after, Math.min(limit, remaining(s, consumed)));
}

/** The instant of the next occurrence after `after`, or null when the schedule has none left. */
export const nextDueAfter = (s: Timing, country: string, after: number, consumed = 0): number | null =>
  upcoming(s, country, after, 1, consumed)[0]?.at ?? null;

/** The slots from `due` (included) to `now`: more than one means occurrences were missed. */
export const dueSlots = (s: Timing, country: string, due: number, now: number): Slot[] =>
  slotsBetween(recurrenceOf(s, country), due - 1, Math.max(due, now), 10_000);

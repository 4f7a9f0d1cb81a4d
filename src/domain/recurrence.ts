import { Cron } from 'croner';
import {
  addDays,
  businessDayOfMonth,
  daysBetween,
  daysInMonth,
  mondayOf,
  nextMonthStart,
  type Weekday,
  weekdayOf,
  yearMonthOf,
  ymd,
} from './calendar';
import { dateOf, instantOf, type WallClock, wallClockAt } from './zoned-time';

/**
 * When a recurring order falls due: its frequency read in its time zone, from its start date to its end
 * date. Every frequency first names wall-clock readings (a local date and time of day, or a cron match),
 * which `instantOf` turns into instants by one rule for daylight saving time: a reading inside a
 * spring-forward gap happens that long after the gap's start (02:30 → 03:30), a reading that happens twice
 * on a fall-back day happens the first time only. Pure: no clock, no I/O.
 */
export type Frequency =
  /** on the given weekdays of every `everyWeeks`-th week, counted from the week of the start date */
  | { kind: 'weekly'; weekdays: Weekday[]; everyWeeks: number }
  /** on day `day` of every month; a day past the month's end means its last day (31 → 30 April, 28/29 February) */
  | { kind: 'monthly_day'; day: number }
  /** the first or last business day of every month (weekends and the country's public holidays skipped) */
  | { kind: 'business_day'; which: 'first' | 'last' }
  /** a five-field cron expression (minute hour day-of-month month day-of-week), read in the time zone */
  | { kind: 'cron'; expression: string };

export interface Recurrence {
  frequency: Frequency;
  /** first local date that may hold an occurrence */
  startDate: string;
  /** last local date that may hold one (inclusive), or null */
  endDate: string | null;
  /** `HH:MM` local; cron expressions carry their own times */
  timeOfDay: string;
  timeZone: string;
  /** ISO country whose public holidays business days skip */
  country: string;
}

export interface Slot {
  /** the instant, epoch ms */
  at: number;
  /** the local date and time the frequency named (before any gap shift) */
  localDate: string;
  localTime: string;
}

/** No schedule is followed past this date (the API's last year). */
const LAST_DATE = '2100-12-31';
/** Cron expressions may not name occurrences closer than this: one order an hour at most. */
export const MIN_CRON_SPACING_MS = 3_600_000;

const crons = new Map<string, Cron>();
function cronOf(expression: string): Cron {
  let cron = crons.get(expression);
  if (!cron) {
    // read in UTC on wall-clock readings: the zone is applied afterwards, by the same rule as every frequency
    cron = new Cron(expression, { timezone: 'UTC', paused: true, mode: '5-part' });
    crons.set(expression, cron);
  }
  return cron;
}

/** Why a cron expression cannot be a schedule, or null: five fields, parseable, firing, at most hourly. */
export function cronProblem(expression: string): string | null {
  if (expression.trim().split(/\s+/).length !== 5)
    return 'five fields: minute hour day-of-month month day-of-week (e.g. "0 7 * * 1-5")';
  let cron: Cron;
  try {
    cron = cronOf(expression.trim());
  } catch (err) {
    return `not a cron expression: ${err instanceof Error ? err.message : String(err)}`;
  }
  const runs = cron.nextRuns(50, new Date(Date.UTC(2027, 0, 1)));
  if (runs.length === 0) return 'never occurs (e.g. 31 February)';
  for (let i = 1; i < runs.length; i++) {
    const [a, b] = [runs[i - 1], runs[i]];
    if (a && b && b.getTime() - a.getTime() < MIN_CRON_SPACING_MS)
      return 'occurs more than once an hour; a recurring order comes at most hourly';
  }
  return null;
}

const wallOf = (date: string, time: string): WallClock => {
  const { year, month } = yearMonthOf(date);
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  return { year, month, day: Number(date.slice(8, 10)), hour, minute };
};
const timeOf = (w: WallClock) => `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;

/** The first date on or after `from` that the (non-cron) frequency names (null: none soon, a bug guard). */
function nextDate(rec: Recurrence, from: string): string | null {
  const f = rec.frequency;
  if (f.kind === 'weekly') {
    const anchor = mondayOf(rec.startDate);
    for (let d = from, i = 0; i < 7 * f.everyWeeks + 7; i++, d = addDays(d, 1)) {
      const week = daysBetween(anchor, mondayOf(d)) / 7;
      if (week % f.everyWeeks === 0 && f.weekdays.includes(weekdayOf(d))) return d;
    }
    return null;
  }
  for (let month = from, i = 0; i < 2; i++, month = nextMonthStart(month)) {
    const { year, month: m } = yearMonthOf(month);
    const date =
      f.kind === 'monthly_day'
        ? ymd(year, m, Math.min(f.day, daysInMonth(year, m)))
        : businessDayOfMonth(rec.country, year, m, f.kind === 'business_day' ? f.which : 'first');
    if (date >= from) return date;
  }
  return null;
}

/** The local date of `instant` less a day: no slot on an earlier date can fall after it. */
const searchFrom = (rec: Recurrence, after: number): string => {
  const around = addDays(dateOf(wallClockAt(after, rec.timeZone)), -1);
  return around > rec.startDate ? around : rec.startDate;
};

function* dateSlots(rec: Recurrence, after: number): Generator<Slot> {
  let from = searchFrom(rec, after);
  while (from <= LAST_DATE) {
    const date = nextDate(rec, from);
    if (date === null || date > LAST_DATE || (rec.endDate !== null && date > rec.endDate)) return;
    const at = instantOf(wallOf(date, rec.timeOfDay), rec.timeZone);
    if (at > after) yield { at, localDate: date, localTime: rec.timeOfDay };
    from = addDays(date, 1);
  }
}

function* cronSlots(rec: Recurrence, expression: string, after: number): Generator<Slot> {
  const cron = cronOf(expression.trim());
  const start = wallOf(searchFrom(rec, after), '00:00');
  // cursor: a wall-clock reading written as if it were UTC
  let cursor = Date.UTC(start.year, start.month - 1, start.day) - 60_000;
  let last = after;
  for (let guard = 0; guard < 100_000; guard++) {
    const next = cron.nextRun(new Date(cursor));
    if (!next) return;
    cursor = next.getTime();
    const wall = wallClockAt(cursor, 'UTC');
    const date = dateOf(wall);
    if (date > LAST_DATE || (rec.endDate !== null && date > rec.endDate)) return;
    const at = instantOf(wall, rec.timeZone);
    // a reading moved out of a gap may land on the next reading's instant: each instant once
    if (at > last) {
      last = at;
      yield { at, localDate: date, localTime: timeOf(wall) };
    }
  }
}

/** Every slot after the instant `after`, in increasing order (lazily: take what you need). */
export function slotsAfter(rec: Recurrence, after: number): Generator<Slot> {
  return rec.frequency.kind === 'cron'
    ? cronSlots(rec, rec.frequency.expression, after)
    : dateSlots(rec, after);
}

/** The first `limit` slots after `after` (fewer when the schedule ends). */
export function nextSlots(rec: Recurrence, after: number, limit: number): Slot[] {
  const out: Slot[] = [];
  if (limit <= 0) return out;
  for (const slot of slotsAfter(rec, after)) {
    out.push(slot);
    if (out.length >= limit) break;
  }
  return out;
}

/** The slots in (after, until], at most `limit` of them: what fell due while nobody placed them. */
export function slotsBetween(rec: Recurrence, after: number, until: number, limit: number): Slot[] {
  const out: Slot[] = [];
  for (const slot of slotsAfter(rec, after)) {
    if (slot.at > until || out.length >= limit) break;
    out.push(slot);
  }
  return out;
}

import { HOLIDAY_TABLE, HOLIDAYS } from './holidays-data';

/**
 * Calendar dates (`YYYY-MM-DD`, no time, no zone) and business days. Public holidays come from the table
 * generated from `date-holidays` (holidays-data.ts): national public holidays of the countries listed there,
 * for the years it covers; elsewhere only Saturdays and Sundays are skipped (`holidayCalendarFor` says which).
 */
const DAY_MS = 86_400_000;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const epochDay = (ymd: string): number => {
  const [y = 0, m = 1, d = 1] = ymd.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
};
const fromEpochDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

export const addDays = (ymd: string, days: number): string => fromEpochDay(epochDay(ymd) + days);
export const daysBetween = (from: string, to: string): number => epochDay(to) - epochDay(from);

/** 0 = Monday … 6 = Sunday. */
export const weekdayIndex = (ymd: string): number => (new Date(epochDay(ymd) * DAY_MS).getUTCDay() + 6) % 7;
export const weekdayOf = (ymd: string): Weekday => WEEKDAYS[weekdayIndex(ymd)] ?? 'mon';

/** The Monday of the ISO week holding the date. */
export const mondayOf = (ymd: string): string => addDays(ymd, -weekdayIndex(ymd));

export const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

export const ymd = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

export const yearMonthOf = (date: string): { year: number; month: number } => ({
  year: Number(date.slice(0, 4)),
  month: Number(date.slice(5, 7)),
});

/** The first day of the month after the date's month. */
export function nextMonthStart(date: string): string {
  const { year, month } = yearMonthOf(date);
  return month === 12 ? ymd(year + 1, 1, 1) : ymd(year, month + 1, 1);
}

const decoded = new Map<string, ReadonlySet<number>>();

/** Days of the year (1 = 1 January) that are weekday public holidays of the country in that year. */
function holidaysOf(country: string, year: number): ReadonlySet<number> {
  const key = `${country}/${year}`;
  let days = decoded.get(key);
  if (!days) {
    const group = HOLIDAYS[country]?.split(',')[year - HOLIDAY_TABLE.firstYear] ?? '';
    const list: number[] = [];
    for (let i = 0; i + 1 < group.length; i += 2) list.push(Number.parseInt(group.slice(i, i + 2), 36));
    days = new Set(list);
    decoded.set(key, days);
  }
  return days;
}

/** The holiday calendar a country's business days follow: `table` when the generated table has it. */
export const holidayCalendarFor = (country: string): 'table' | 'weekends_only' =>
  HOLIDAYS[country] === undefined ? 'weekends_only' : 'table';

export function isPublicHoliday(country: string, date: string): boolean {
  const { year } = yearMonthOf(date);
  if (year < HOLIDAY_TABLE.firstYear || year > HOLIDAY_TABLE.lastYear) return false;
  return holidaysOf(country, year).has(daysBetween(ymd(year, 1, 1), date) + 1);
}

/** Monday to Friday and not a public holiday of the country. */
export const isBusinessDay = (country: string, date: string): boolean =>
  weekdayIndex(date) < 5 && !isPublicHoliday(country, date);

/** The first or last business day of the date's month (a month always has one). */
export function businessDayOfMonth(
  country: string,
  year: number,
  month: number,
  which: 'first' | 'last',
): string {
  const last = daysInMonth(year, month);
  for (let i = 0; i < last; i++) {
    const date = ymd(year, month, which === 'first' ? 1 + i : last - i);
    if (isBusinessDay(country, date)) return date;
  }
  return ymd(year, month, which === 'first' ? 1 : last);
}

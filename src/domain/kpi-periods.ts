/**
 * The periods KPIs are reported over: ISO week (Monday to Sunday), calendar month or calendar quarter, in
 * UTC. A period is named by any day in it; days are `YYYY-MM-DD` strings, which sort as they compare.
 */
export const KPI_PERIODS = ['week', 'month', 'quarter'] as const;
export type KpiPeriod = (typeof KPI_PERIODS)[number];

export interface DayRange {
  /** first day, inclusive */
  from: string;
  /** last day, inclusive */
  to: string;
}

const DAY_MS = 86_400_000;

/** The UTC day of an instant. */
export const dayOf = (epochMs: number): string => new Date(epochMs).toISOString().slice(0, 10);

/** The instants a UTC day covers: [start, end). */
export function dayBounds(day: string): { start: number; end: number } {
  const start = Date.parse(`${day}T00:00:00Z`);
  return { start, end: start + DAY_MS };
}

const utc = (y: number, m: number, d: number) => dayOf(Date.UTC(y, m, d));

/** The period of the given kind that contains `day`. */
export function periodContaining(kind: KpiPeriod, day: string): DayRange {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const date = new Date(ms);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  if (kind === 'week') {
    const sinceMonday = (date.getUTCDay() + 6) % 7;
    return { from: dayOf(ms - sinceMonday * DAY_MS), to: dayOf(ms + (6 - sinceMonday) * DAY_MS) };
  }
  if (kind === 'month') return { from: utc(y, m, 1), to: utc(y, m + 1, 0) };
  const first = m - (m % 3);
  return { from: utc(y, first, 1), to: utc(y, first + 3, 0) };
}

/** The period just before `range`, of the same kind. */
export function previousPeriod(kind: KpiPeriod, range: DayRange): DayRange {
  return periodContaining(kind, dayOf(Date.parse(`${range.from}T00:00:00Z`) - DAY_MS));
}

/**
 * Wall-clock time in an IANA time zone, from the runtime's own zone data (Intl.DateTimeFormat, ICU in
 * workerd and Node). Two questions only: what the clock on the wall reads at an instant, and which instant
 * a wall-clock reading names. The rule for readings that do not exist or exist twice is RFC 5545's (and
 * Temporal's `compatible`): a reading in a spring-forward gap is moved forward by the gap's length (02:30 on
 * a one-hour gap is 03:30), and a reading that happens twice on a fall-back day is its first occurrence.
 */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when the runtime knows the zone (canonical names and their aliases, e.g. `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** What a clock in `zone` reads at `instant` (to the minute). */
export function wallClockAt(instant: number, zone: string): WallClock {
  const parts = formatterFor(zone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);

/** The zone's offset from UTC at `instant`, in milliseconds (to the minute: enough for every zone in use). */
export function offsetAt(instant: number, zone: string): number {
  const floored = Math.floor(instant / 60_000) * 60_000;
  return asUtc(wallClockAt(floored, zone)) - floored;
}

const sameReading = (a: WallClock, b: WallClock) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/**
 * The instant a wall-clock reading in `zone` names: the first of two on a fall-back day, and for a reading
 * inside a spring-forward gap the instant the same distance past the gap's start (the offset before the
 * change applied). The instant lies within 14 hours of the reading taken as UTC (offsets run from −12 to
 * +14 hours), so the offsets two days either side are the ones before and after any change near it: this
 * assumes no two changes within four days of each other, true of every zone in use.
 */
export function instantOf(wall: WallClock, zone: string): number {
  const local = asUtc(wall);
  const before = offsetAt(local - 48 * HOUR_MS, zone);
  const after = offsetAt(local + 48 * HOUR_MS, zone);
  const valid = [local - before, local - after].filter((t) => sameReading(wallClockAt(t, zone), wall));
  if (valid.length > 0) return Math.min(...valid);
  return local - before;
}

/** `YYYY-MM-DD` of a wall clock. */
export const dateOf = (w: Pick<WallClock, 'year' | 'month' | 'day'>): string =>
  `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;

/** The zone's calendar date at an instant. */
export const localDateAt = (instant: number, zone: string): string => dateOf(wallClockAt(instant, zone));

/** Countries whose mainland keeps one zone while islands or enclaves keep others: the mainland's. */
const MAINLAND_ZONE: Readonly<Record<string, string>> = {
  CY: 'Asia/Nicosia',
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  PT: 'Europe/Lisbon',
};

/**
 * A company's time zone from its country: the country's only zone in the runtime's data (CLDR), or its
 * mainland's; null when the country spans several (US, CA, AU, …): the schedule must name one.
 */
export function zoneOfCountry(country: string): string | null {
  const mainland = MAINLAND_ZONE[country];
  if (mainland) return mainland;
  try {
    const locale = new Intl.Locale(`und-${country}`) as Intl.Locale & {
      getTimeZones?: () => string[];
      timeZones?: string[];
    };
    const zones = locale.getTimeZones?.() ?? locale.timeZones ?? [];
    return zones.length === 1 ? (zones[0] ?? null) : null;
  } catch {
    return null;
  }
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, isBusinessDay, WEEKDAYS, weekdayOf } from '../../src/domain/calendar';
import {
  cronProblem,
  type Frequency,
  nextSlots,
  type Recurrence,
  slotsBetween,
} from '../../src/domain/recurrence';
import { instantOf, localDateAt, wallClockAt } from '../../src/domain/zoned-time';

const iso = (at: number) => new Date(at).toISOString();
const rec = (over: Partial<Recurrence> & Pick<Recurrence, 'frequency'>): Recurrence => ({
  startDate: '2026-01-01',
  endDate: null,
  timeOfDay: '09:00',
  timeZone: 'Europe/Paris',
  country: 'FR',
  ...over,
});
const sundays: Frequency = { kind: 'weekly', weekdays: ['sun'], everyWeeks: 1 };

describe('daylight saving time', () => {
  it('Europe/Paris: 02:30 on the spring-forward Sunday happens once, at 03:30 CEST (01:30Z)', () => {
    const slots = nextSlots(rec({ frequency: sundays, timeOfDay: '02:30' }), Date.UTC(2026, 2, 21), 3);
    expect(slots.map((s) => iso(s.at))).toEqual([
      '2026-03-22T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:30:00.000Z', // 02:30 does not exist: 03:30 CEST
      '2026-04-05T00:30:00.000Z', // 02:30 CEST
    ]);
    expect(wallClockAt(slots[1]?.at ?? 0, 'Europe/Paris')).toMatchObject({ hour: 3, minute: 30 });
  });

  it('Europe/Paris: 02:30 on the fall-back Sunday happens once, the first time (02:30 CEST)', () => {
    const slots = nextSlots(rec({ frequency: sundays, timeOfDay: '02:30' }), Date.UTC(2026, 9, 18), 3);
    expect(slots.map((s) => iso(s.at))).toEqual([
      '2026-10-18T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // not also 01:30Z, when 02:30 comes round again in CET
      '2026-11-01T01:30:00.000Z',
    ]);
  });

  it('America/New_York: 02:30 on spring-forward is 03:30 EDT; 01:30 on fall-back is the EDT one', () => {
    const ny = { timeZone: 'America/New_York', country: 'US' };
    const spring = nextSlots(rec({ ...ny, frequency: sundays, timeOfDay: '02:30' }), Date.UTC(2026, 2, 7), 2);
    expect(spring.map((s) => iso(s.at))).toEqual(['2026-03-08T07:30:00.000Z', '2026-03-15T06:30:00.000Z']);
    const fall = nextSlots(rec({ ...ny, frequency: sundays, timeOfDay: '01:30' }), Date.UTC(2026, 9, 31), 2);
    expect(fall.map((s) => iso(s.at))).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-08T06:30:00.000Z']);
  });

  it('an hourly cron on the spring-forward day fires once for 02:00 and 03:00 (the same instant)', () => {
    const hourly = rec({ frequency: { kind: 'cron', expression: '0 * 29 3 *' } });
    const at = nextSlots(hourly, Date.UTC(2026, 2, 28, 23, 30), 4).map((s) => iso(s.at));
    expect(at).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T02:00:00.000Z',
      '2026-03-29T03:00:00.000Z',
    ]);
  });
});

describe('months', () => {
  it('day 31 is the last day of February and of April', () => {
    const slots = nextSlots(rec({ frequency: { kind: 'monthly_day', day: 31 } }), Date.UTC(2027, 0, 1), 5);
    expect(slots.map((s) => s.localDate)).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
      '2027-05-31',
    ]);
    const leap = nextSlots(rec({ frequency: { kind: 'monthly_day', day: 30 } }), Date.UTC(2028, 1, 1), 1);
    expect(leap[0]?.localDate).toBe('2028-02-29');
  });

  it('the last business day steps back over a public holiday (Good Friday 30 March 2029, Germany)', () => {
    const last = rec({
      frequency: { kind: 'business_day', which: 'last' },
      country: 'DE',
      timeZone: 'Europe/Berlin',
    });
    expect(nextSlots(last, Date.UTC(2029, 2, 1), 1)[0]?.localDate).toBe('2029-03-29');
    // a country outside the holiday table skips weekends only
    expect(nextSlots({ ...last, country: 'JP' }, Date.UTC(2029, 2, 1), 1)[0]?.localDate).toBe('2029-03-30');
  });

  it('the first business day steps over 1 May in France (a Friday in 2026) and New Year', () => {
    const first = rec({ frequency: { kind: 'business_day', which: 'first' } });
    expect(nextSlots(first, Date.UTC(2026, 3, 15), 1)[0]?.localDate).toBe('2026-05-04');
    expect(nextSlots(first, Date.UTC(2026, 11, 15), 1)[0]?.localDate).toBe('2027-01-04');
  });
});

describe('bounds', () => {
  it('nothing before the start date, nothing after the end date', () => {
    const r = rec({ frequency: sundays, startDate: '2026-06-10', endDate: '2026-06-28' });
    expect(nextSlots(r, Date.UTC(2026, 0, 1), 10).map((s) => s.localDate)).toEqual([
      '2026-06-14',
      '2026-06-21',
      '2026-06-28',
    ]);
  });

  it('every other week counts from the week of the start date', () => {
    const r = rec({
      frequency: { kind: 'weekly', weekdays: ['mon', 'thu'], everyWeeks: 2 },
      startDate: '2026-06-10',
    });
    expect(nextSlots(r, Date.UTC(2026, 0, 1), 4).map((s) => s.localDate)).toEqual([
      '2026-06-11',
      '2026-06-22',
      '2026-06-25',
      '2026-07-06',
    ]);
  });

  it('slotsBetween lists what fell due in a window (the catch-up count)', () => {
    const r = rec({ frequency: { kind: 'weekly', weekdays: [...WEEKDAYS], everyWeeks: 1 } });
    expect(slotsBetween(r, Date.UTC(2026, 4, 1), Date.UTC(2026, 4, 4, 12), 100)).toHaveLength(4);
  });
});

describe('cron expressions', () => {
  it.each([
    ['0 7 * * 1-5', null],
    ['30 6 1 * *', null],
    ['0 * * * *', null],
    ['0 7 * *', /five fields/],
    ['0 0 7 * * *', /five fields/],
    ['61 7 * * *', /not a cron expression/],
    ['0 9 31 2 *', /never occurs/],
    ['*/15 * * * *', /more than once an hour/],
  ])('%s', (expression, problem) => {
    const found = cronProblem(expression);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });
});

// ── properties ────────────────────────────────────────────────────────────────────────────────────────

const ZONES = [
  'Europe/Paris',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe', // a 30-minute shift
  'America/Santiago', // changes at midnight
  'Asia/Kolkata',
  'Pacific/Chatham',
  'UTC',
];
const twoDigits = (n: number) => String(n).padStart(2, '0');
const time = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 23 })),
    fc.integer({ min: 0, max: 59 }),
  )
  .map(([h, m]) => `${twoDigits(h)}:${twoDigits(m)}`);
const date = fc
  .tuple(
    fc.integer({ min: 2025, max: 2032 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .map(([y, m, d]) => `${y}-${twoDigits(m)}-${twoDigits(d)}`);
const dailyFrequency: fc.Arbitrary<Frequency> = fc.oneof(
  fc.record({
    kind: fc.constant('weekly' as const),
    weekdays: fc.subarray([...WEEKDAYS], { minLength: 1 }),
    everyWeeks: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ kind: fc.constant('monthly_day' as const), day: fc.integer({ min: 1, max: 31 }) }),
  fc.record({
    kind: fc.constant('business_day' as const),
    which: fc.constantFrom('first' as const, 'last' as const),
  }),
  fc.constantFrom<Frequency>(
    { kind: 'cron', expression: '30 2 * * *' },
    { kind: 'cron', expression: '0 0 * * 1-5' },
    { kind: 'cron', expression: '15 1 1,15 * *' },
  ),
);
const recurrence = fc.record({
  frequency: dailyFrequency,
  startDate: date,
  endDate: fc.constant(null),
  timeOfDay: time,
  timeZone: fc.constantFrom(...ZONES),
  country: fc.constantFrom('FR', 'DE', 'US', 'GB', 'JP'),
});
const after = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2033, 0, 1) });

describe('properties of the occurrence math', () => {
  it('occurrences are strictly increasing and all after the instant asked from', () => {
    fc.assert(
      fc.property(recurrence, after, (r, from) => {
        const slots = nextSlots(r, from, 40);
        expect(slots.length).toBeGreaterThan(0);
        slots.forEach((s, i) => {
          expect(s.at).toBeGreaterThan(i === 0 ? from : (slots[i - 1]?.at ?? 0));
          expect(s.localDate >= r.startDate).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('never in a skipped gap: each occurrence is its reading, or that reading does not exist that day', () => {
    fc.assert(
      fc.property(recurrence, after, (r, from) => {
        for (const s of nextSlots(r, from, 40)) {
          const [hour, minute] = s.localTime.split(':').map(Number);
          const [year, month, day] = s.localDate.split('-').map(Number);
          const asked = { year, month, day, hour, minute } as ReturnType<typeof wallClockAt>;
          const onWall = wallClockAt(s.at, r.timeZone);
          // the instant is the first one its own wall reading names (never the repeat of a fall-back hour)
          expect(instantOf(onWall, r.timeZone)).toBe(s.at);
          if (JSON.stringify(onWall) !== JSON.stringify(asked)) {
            // moved: only because the asked reading fell in a gap and names no instant of its own
            expect(JSON.stringify(wallClockAt(instantOf(asked, r.timeZone), r.timeZone))).not.toBe(
              JSON.stringify(asked),
            );
            expect(s.at).toBeGreaterThan(
              Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour, minute) - 14 * 3_600_000,
            );
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('each local date appears once, and each date is one the frequency names', () => {
    fc.assert(
      fc.property(recurrence, after, (r, from) => {
        const slots = nextSlots(r, from, 40);
        const dates = slots.map((s) => s.localDate);
        expect(new Set(dates).size).toBe(dates.length);
        for (const s of slots) {
          const f = r.frequency;
          const [year = 0, month = 0, day = 0] = s.localDate.split('-').map(Number);
          if (f.kind === 'weekly') expect(f.weekdays).toContain(weekdayOf(s.localDate));
          if (f.kind === 'monthly_day') expect(day).toBe(Math.min(f.day, daysInMonth(year, month)));
          if (f.kind === 'business_day') expect(isBusinessDay(r.country, s.localDate)).toBe(true);
          // the occurrence happens on its local date (a gap never pushes a reading past midnight here)
          expect(localDateAt(s.at, r.timeZone)).toBe(s.localDate);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an end date is never passed', () => {
    fc.assert(
      fc.property(recurrence, fc.integer({ min: 0, max: 120 }), (r, days) => {
        const end = new Date(Date.parse(`${r.startDate}T00:00:00Z`) + days * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const slots = nextSlots({ ...r, endDate: end }, Date.UTC(2024, 0, 1), 500);
        expect(slots.every((s) => s.localDate <= end && s.localDate >= r.startDate)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, json, loginAs } from './harness';
import { all, buildFor } from './pricing-helpers';
import { acmeSkus, clock, iso, send } from './recurring-helpers';

interface Schedule {
  id: string;
  ownerId: string;
  status: string;
  pausedReason: string | null;
  nextDueAt: number | null;
  timeZone: string;
  timeOfDay: string | null;
  occurrenceCount: number;
  source: { kind: string; lines?: { sku: string; quantity: number }[] };
  nextChange: { occurrenceAt: number; lines: { sku: string; quantity: number }[] } | null;
  holidayCalendar: string;
}
interface Preview {
  occurrences: { at: number; localDate: string; localTime: string; number: number }[];
  next: {
    at: number;
    lines: { sku: string; problems: { code: string }[] }[];
    plan: { sku: string; outcome: string; reason: string | null }[];
    checkout: { outcome: string; approvalSteps: unknown[] };
  } | null;
  problem: string | null;
}

let buyer: string;
let admin: string;
let skus: string[];
const weekly = { kind: 'weekly', weekdays: ['mon'] };

const create = (token: string, body: Record<string, unknown>) =>
  send('/v1/recurring-orders', { method: 'POST', token, body });
const schedule = async (token: string, body: Record<string, unknown>) => {
  const res = await create(token, body);
  if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
  return json<Schedule>(res);
};
const lines = (...quantities: number[]) => ({
  kind: 'lines',
  lines: quantities.map((quantity, i) => ({ sku: skus[i] ?? '', quantity })),
});
const count = async () => (await all<{ n: number }>('SELECT count(*) AS n FROM recurring_orders'))[0]?.n ?? 0;

beforeAll(async () => {
  clock.now = Date.UTC(2026, 10, 2, 6, 0); // Monday 2 November 2026, 07:00 in Paris
  buyer = await loginAs('buyer@acme.example');
  admin = await loginAs('admin@acme.example');
  await buildFor('co_acme');
  skus = await acmeSkus(5);
});

describe('setting up a recurring order', () => {
  it('takes the company’s zone and default ship-to, answers the next occurrence, and audits it', async () => {
    const s = await schedule(buyer, {
      name: 'Gloves every Monday',
      source: lines(10),
      frequency: weekly,
      timeOfDay: '09:30',
    });
    expect(s).toMatchObject({
      status: 'active',
      timeZone: 'Europe/Paris',
      timeOfDay: '09:30',
      holidayCalendar: 'table',
    });
    // today 09:30 in Paris (CET, UTC+1) is still ahead at 07:00
    expect(iso(s.nextDueAt ?? 0)).toBe('2026-11-02T08:30:00.000Z');
    const audit = await all<{ action: string }>('SELECT action FROM audit_log WHERE target_id = ?', s.id);
    expect(audit.map((a) => a.action)).toEqual(['recurring_order.create']);
  });

  it('the owner sees their own; another buyer does not (404); a company admin sees and changes all', async () => {
    const s = await schedule(buyer, { name: 'Private', source: lines(1), frequency: weekly });
    const approver = await loginAs('approver@acme.example');
    // the approver lacks recurring.manage: 403 before any id is looked at
    expect((await send(`/v1/recurring-orders/${s.id}`, { token: approver })).status).toBe(403);
    expect((await send(`/v1/recurring-orders/${s.id}`, { token: admin })).status).toBe(200);
    const mine = await json<{ items: Schedule[] }>(
      await send('/v1/recurring-orders?mine=true', { token: admin }),
    );
    expect(mine.items.some((x) => x.id === s.id)).toBe(false);
    const all = await json<{ items: Schedule[] }>(await send('/v1/recurring-orders', { token: admin }));
    expect(all.items.some((x) => x.id === s.id)).toBe(true);
  });
});

describe('bad input: a clear 4xx naming the field, nothing stored', () => {
  const cases: [string, Record<string, unknown>, number, string][] = [
    [
      'an invalid cron string',
      { frequency: { kind: 'cron', expression: '0 25 * * *' } },
      400,
      'frequency.expression',
    ],
    [
      'a cron on 31 February',
      { frequency: { kind: 'cron', expression: '0 9 31 2 *' } },
      400,
      'frequency.expression',
    ],
    ['a time zone that does not exist', { timeZone: 'Europe/Atlantis' }, 400, 'timeZone'],
    ['an end before the start', { startDate: '2026-12-01', endDate: '2026-11-30' }, 400, 'endDate'],
    ['day 0', { frequency: { kind: 'monthly_day', day: 0 } }, 400, 'frequency.day'],
    ['day 32', { frequency: { kind: 'monthly_day', day: 32 } }, 400, 'frequency.day'],
    ['an empty line list', { source: { kind: 'lines', lines: [] } }, 400, 'source.lines'],
    [
      'a quantity of 0',
      { source: { kind: 'lines', lines: [{ sku: 'X', quantity: 0 }] } },
      400,
      'source.lines.0.quantity',
    ],
    [
      'a quantity above the maximum',
      { source: { kind: 'lines', lines: [{ sku: 'X', quantity: 1_000_001 }] } },
      400,
      'source.lines.0.quantity',
    ],
    [
      'a weekday that is not one',
      { frequency: { kind: 'weekly', weekdays: ['fun'] } },
      400,
      'frequency.weekdays.0',
    ],
    [
      'a field of another kind',
      { frequency: { kind: 'weekly', weekdays: ['mon'], day: 3 } },
      400,
      'frequency.day',
    ],
    [
      'a time of day on a cron',
      { frequency: { kind: 'cron', expression: '0 7 * * 1' }, timeOfDay: '08:00' },
      400,
      'timeOfDay',
    ],
    ['a PO pattern with an unknown token', { poPattern: 'REC-{week}' }, 400, 'poPattern'],
    [
      'a saved cart of another company',
      { source: { kind: 'cart', cartId: 'cart_of_globex_1' } },
      404,
      'source.cartId',
    ],
    ['a list that does not exist', { source: { kind: 'list', listId: 'list_any_1' } }, 404, 'source.listId'],
    [
      'an unknown SKU',
      { source: { kind: 'lines', lines: [{ sku: 'NOPE-000', quantity: 1 }] } },
      422,
      'source.lines.0.sku',
    ],
    ['another company’s address', { shipToSiteId: 'site_globex_werk' }, 422, 'shipToSiteId'],
    ['an archived or unknown cost center', { costCenterId: 'cc_globex_inst' }, 422, 'costCenterId'],
  ];
  it.each(cases)('%s', async (_, override, status, path) => {
    const before = await count();
    const body = { name: 'Bad', source: lines(1), frequency: weekly, ...override };
    const problem = await expectProblem(await create(buyer, body), status);
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    expect(await count()).toBe(before);
  });

  it('a PATCH naming a zone that does not exist is a 400 on timeZone, before anything is looked up', async () => {
    const problem = await expectProblem(
      await send('/v1/recurring-orders/rec_unknown_1', {
        method: 'PATCH',
        token: buyer,
        body: { timeZone: 'Mars/Olympus' },
      }),
      400,
    );
    expect(problem.errors?.[0]?.path).toBe('timeZone');
  });
});

describe('changing a running schedule', () => {
  it('pause, resume, skip next, quantities for the next or every following occurrence; each audited', async () => {
    const s = await schedule(buyer, {
      name: 'Weekly consumables',
      source: lines(4, 6),
      frequency: weekly,
      timeOfDay: '10:00',
    });
    const path = `/v1/recurring-orders/${s.id}`;
    const first = s.nextDueAt ?? 0;

    const skipped = await json<Schedule>(await send(`${path}/skip-next`, { method: 'POST', token: buyer }));
    expect(skipped.nextDueAt).toBe(first + 7 * 86_400_000);
    expect(skipped.occurrenceCount).toBe(1);

    const next = await json<Schedule>(
      await send(`${path}/quantities`, {
        method: 'POST',
        token: buyer,
        body: { scope: 'next', lines: [{ sku: skus[0], quantity: 9 }] },
      }),
    );
    expect(next.nextChange).toEqual({
      occurrenceAt: skipped.nextDueAt,
      lines: [{ sku: skus[0], quantity: 9 }],
    });
    expect(next.source.lines?.[0]?.quantity).toBe(4);

    const following = await json<Schedule>(
      await send(`${path}/quantities`, {
        method: 'POST',
        token: buyer,
        body: { scope: 'following', lines: [{ sku: skus[1], quantity: 0 }] },
      }),
    );
    expect(following.source.lines).toEqual([{ sku: skus[0], quantity: 4 }]);
    const outsider = await send(`${path}/quantities`, {
      method: 'POST',
      token: buyer,
      body: { scope: 'next', lines: [{ sku: skus[4], quantity: 1 }] },
    });
    expect((await expectProblem(outsider, 422)).errors?.[0]?.path).toBe('lines.0.sku');

    const paused = await json<Schedule>(
      await send(`${path}/pause`, { method: 'POST', token: buyer, body: { reason: 'holidays' } }),
    );
    expect(paused).toMatchObject({ status: 'paused', pausedReason: 'holidays', nextDueAt: null });
    await expectProblem(await send(`${path}/pause`, { method: 'POST', token: buyer, body: {} }), 409);
    clock.now += 20 * 86_400_000;
    const resumed = await json<Schedule>(await send(`${path}/resume`, { method: 'POST', token: buyer }));
    expect(resumed.status).toBe('active');
    // from now on: what fell due while paused is not placed
    expect(resumed.nextDueAt ?? 0).toBeGreaterThan(clock.now);

    const history = await json<{ items: { status: string; scheduledAt: number }[] }>(
      await send(`${path}/occurrences`, { token: buyer }),
    );
    expect(history.items).toEqual([expect.objectContaining({ status: 'skipped', scheduledAt: first })]);
    const audit = await all<{ action: string }>(
      'SELECT action FROM audit_log WHERE target_id = ? ORDER BY at, rowid',
      s.id,
    );
    expect(audit.map((a) => a.action)).toEqual([
      'recurring_order.create',
      'recurring_order.skip',
      'recurring_order.change_next',
      'recurring_order.change_following',
      'recurring_order.pause',
      'recurring_order.resume',
    ]);
    clock.now = Date.UTC(2026, 10, 2, 6, 0);
  });

  it('PATCH checks the merged schedule and works out the next occurrence again; DELETE removes it', async () => {
    const s = await schedule(buyer, { name: 'To change', source: lines(1), frequency: weekly });
    const path = `/v1/recurring-orders/${s.id}`;
    const monthly = await json<Schedule>(
      await send(path, {
        method: 'PATCH',
        token: buyer,
        body: { frequency: { kind: 'monthly_day', day: 31 }, timeOfDay: '07:15' },
      }),
    );
    expect(iso(monthly.nextDueAt ?? 0)).toBe('2026-11-30T06:15:00.000Z');
    const bad = await send(path, {
      method: 'PATCH',
      token: buyer,
      body: { frequency: { kind: 'monthly_day' } },
    });
    expect((await expectProblem(bad, 400)).errors?.[0]?.path).toBe('frequency.day');
    expect((await send(path, { method: 'DELETE', token: buyer })).status).toBe(204);
    expect((await send(path, { token: buyer })).status).toBe(404);
  });
});

describe('preview', () => {
  it('lists the next occurrences and prices the next one with every problem and what checkout says', async () => {
    const s = await schedule(buyer, {
      name: 'Preview me',
      source: lines(3, 2),
      frequency: { kind: 'business_day', which: 'first' },
    });
    const preview = await json<Preview>(
      await send(`/v1/recurring-orders/${s.id}/preview?count=3`, { token: buyer }),
    );
    // 1 November is a Sunday and a holiday: Monday the 2nd, 08:00 (still ahead at 07:00); 1 January 2027 a holiday
    expect(preview.occurrences.map((o) => o.localDate)).toEqual(['2026-11-02', '2026-12-01', '2027-01-04']);
    expect(preview.next?.plan.map((l) => l.outcome)).toEqual(['ordered', 'ordered']);
    expect(preview.next?.checkout.outcome).toBe('placed');
  });

  it('a list source is read at each occurrence: the preview orders what the list holds now', async () => {
    const list = await json<{ id: string }>(
      await send('/v1/lists', {
        method: 'POST',
        token: buyer,
        body: { name: 'Weekly kit', kind: 'template', shared: false },
      }),
    );
    const put = async (quantity: number) =>
      send(`/v1/lists/${list.id}/items`, {
        method: 'POST',
        token: buyer,
        body: { items: [{ sku: skus[0], quantity }] },
      });
    expect((await put(2)).status).toBeLessThan(300);
    const s = await schedule(buyer, {
      name: 'From the kit',
      source: { kind: 'list', listId: list.id },
      frequency: { kind: 'weekly', weekdays: ['mon'] },
    });
    const before = await json<Preview>(
      await send(`/v1/recurring-orders/${s.id}/preview?count=1`, { token: buyer }),
    );
    expect(before.next?.plan.map((l) => l.outcome)).toEqual(['ordered']);
    // a colleague's private list is not the buyer's to order from
    const other = await expectProblem(
      await create(await loginAs('admin@acme.example'), {
        name: 'Not mine',
        source: { kind: 'list', listId: list.id },
        frequency: weekly,
      }),
      404,
    );
    expect(other.errors?.[0]?.path).toBe('source.listId');
  });

  it('DST: a 02:30 schedule in Paris and New York happens once on each change day, at the documented time', async () => {
    const paris = await schedule(buyer, {
      name: 'Sunday night, Paris',
      source: lines(1),
      frequency: { kind: 'weekly', weekdays: ['sun'] },
      timeOfDay: '02:30',
      startDate: '2027-03-21',
    });
    const p = await json<Preview>(
      await send(`/v1/recurring-orders/${paris.id}/preview?count=2`, { token: buyer }),
    );
    // 28 March 2027: clocks go from 02:00 to 03:00; 02:30 happens at 03:30 CEST
    expect(p.occurrences.map((o) => iso(o.at))).toEqual([
      '2027-03-21T01:30:00.000Z',
      '2027-03-28T01:30:00.000Z',
    ]);
    const ny = await schedule(buyer, {
      name: 'Sunday night, New York',
      source: lines(1),
      frequency: { kind: 'weekly', weekdays: ['sun'] },
      timeOfDay: '01:30',
      timeZone: 'America/New_York',
      startDate: '2027-10-31',
    });
    const n = await json<Preview>(
      await send(`/v1/recurring-orders/${ny.id}/preview?count=2`, { token: buyer }),
    );
    // 7 November 2027: 01:30 happens twice (EDT, then EST); the first one only
    expect(n.occurrences.map((o) => iso(o.at))).toEqual([
      '2027-10-31T05:30:00.000Z',
      '2027-11-07T05:30:00.000Z',
    ]);
  });
});

import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';
import { DAY, seedCompany, seedOrder, seedRep } from './rep-helpers';

interface Account {
  id: string;
  name: string;
  lastOrderAt: number | null;
  daysSinceLastOrder: number | null;
  revenue30dMinor: number;
  revenuePrevious30dMinor: number;
  revenue90dMinor: number;
  trendPercent: number | null;
  cadenceDays: number | null;
  alerts: string[];
  openCarts: { count: number; valueMinor: number; oldestAt: number | null; asOf: number | null };
  pendingApprovals: number;
  quotesWaiting: number;
  failedExports: number;
  recurringProblems: number;
}
interface Page {
  items: Account[];
  total: number;
  nextOffset: number | null;
}

// the seeded history is placed relative to the test's start; an hour off each day keeps windows unambiguous
const now = Date.now();
const ago = (days: number) => now - days * DAY - 3_600_000;

async function accounts(query: string, email = 'rep@supplier.example'): Promise<Page> {
  const res = await call(`/v1/rep/accounts?${query}`, { token: await loginAs(email) });
  expect(res.status).toBe(200);
  return json<Page>(res);
}
const names = (p: Page) => p.items.map((a) => a.name);

beforeAll(async () => {
  await seedRep('usr_rep_two', 'rep2@supplier.example');
  await seedCompany('co_rt_regular', 'RepTest Regular', 'usr_rep');
  await seedCompany('co_rt_overdue', 'RepTest Overdue', 'usr_rep');
  await seedCompany('co_rt_new', 'RepTest Newcomer', 'usr_rep');
  await seedCompany('co_rt_other', 'RepTest Other', 'usr_rep_two');
  // Regular: 10,000 every 7 days from 3 to 80 days ago, and one waiting for approval yesterday
  const regular: string[] = [];
  for (let d = 3; d <= 80; d += 7) regular.push(await seedOrder('co_rt_regular', ago(d), 10_000));
  await seedOrder('co_rt_regular', ago(1), 55_555, 'pending_approval');
  // Overdue: 5,000 every 7 days from 40 to 61 days ago; a cancelled order 5 days ago counts for nothing
  for (const d of [40, 47, 54, 61]) await seedOrder('co_rt_overdue', ago(d), 5_000);
  await seedOrder('co_rt_overdue', ago(5), 99_999, 'cancelled');
  // Newcomer: one order 20 days ago, and a quote waiting for the rep
  await seedOrder('co_rt_new', ago(20), 7_000);
  await seedOrder('co_rt_other', ago(2), 1_000);
  const exportOf = regular[0] ?? '';
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO quotes (id, company_id, number, state, requested_by, currency, current_version, requested_at, updated_at)
       VALUES ('quo_rt_1', 'co_rt_new', 'Q-000001', 'requested', 'usr_seed', 'EUR', 1, ?, ?)`,
    ).bind(ago(2), ago(2)),
    env.DB.prepare(
      `INSERT INTO quotes (id, company_id, number, state, requested_by, currency, current_version, requested_at, updated_at)
       VALUES ('quo_rt_2', 'co_rt_new', 'Q-000002', 'accepted', 'usr_seed', 'EUR', 2, ?, ?)`,
    ).bind(ago(9), ago(8)),
    env.DB.prepare(
      `INSERT INTO erp_exports (id, order_id, company_id, kind, state, created_at, updated_at)
       VALUES ('exp_rt_1', ?, 'co_rt_regular', 'order', 'failed', ?, ?)`,
    ).bind(exportOf, ago(3), ago(3)),
    env.DB.prepare(
      `INSERT INTO recurring_orders (id, company_id, owner_id, name, status, paused_reason, source, ship_to_site_id,
         delivery_mode, frequency, start_date, time_zone, time_of_day, updated_at)
       VALUES ('rec_rt_1', 'co_rt_overdue', 'usr_seed', 'Weekly', 'paused', 'the owner is disabled',
         '{"kind":"lines","lines":[]}', 'site_seed', 'standard', '{"kind":"weekly","weekdays":[1]}', '2026-01-01',
         'Europe/Paris', '08:00', ?)`,
    ).bind(ago(3)),
    env.DB.prepare(
      `INSERT INTO recurring_occurrences (id, schedule_id, company_id, scheduled_at, number, status, lines, problems,
         created_at, updated_at) VALUES ('occ_rt_1', 'rec_rt_1', 'co_rt_overdue', ?, 3, 'failed', '[]', '["paused"]', ?, ?)`,
    ).bind(ago(3), ago(3), ago(3)),
    env.DB.prepare(
      `INSERT INTO company_cart_stats (company_id, open_carts, open_value_minor, currency, oldest_cart_at, updated_at)
       VALUES ('co_rt_regular', 2, 12_345, 'EUR', ?, ?)`,
    ).bind(ago(6), ago(0)),
  ]);
});

describe('GET /v1/rep/accounts', () => {
  it('answers the figures of a hand-computed history', async () => {
    const page = await accounts('q=RepTest');
    expect(names(page)).toEqual(['RepTest Newcomer', 'RepTest Overdue', 'RepTest Regular']);
    const [newcomer, overdue, regular] = page.items;
    expect(regular).toMatchObject({
      lastOrderAt: ago(1),
      daysSinceLastOrder: 1,
      revenue30dMinor: 40_000, // 3, 10, 17, 24 days ago
      revenuePrevious30dMinor: 50_000, // 31, 38, 45, 52, 59
      revenue90dMinor: 120_000, // all twelve placed orders
      trendPercent: -20,
      cadenceDays: 7, // gaps between the latest 11 placed orders: 7 each
      alerts: [],
      openCarts: { count: 2, valueMinor: 12_345, oldestAt: ago(6), asOf: ago(0) },
      pendingApprovals: 1,
      quotesWaiting: 0,
      failedExports: 1,
      recurringProblems: 0,
    });
    expect(overdue).toMatchObject({
      lastOrderAt: ago(40), // the cancelled order is no order
      revenue30dMinor: 0,
      revenuePrevious30dMinor: 15_000,
      revenue90dMinor: 20_000,
      trendPercent: -100,
      cadenceDays: 7,
      alerts: ['reactivation'],
      openCarts: { count: 0, valueMinor: 0, oldestAt: null, asOf: null },
      pendingApprovals: 0,
      recurringProblems: 1,
    });
    expect(newcomer).toMatchObject({
      revenue30dMinor: 7_000,
      trendPercent: null,
      cadenceDays: null,
      alerts: [],
      quotesWaiting: 1,
    });
  });

  it('filters by alert, pending work and name; sorts; pages', async () => {
    expect(names(await accounts('q=reptest&alert=reactivation'))).toEqual(['RepTest Overdue']);
    expect(names(await accounts('q=RepTest&hasPending=true'))).toEqual([
      'RepTest Newcomer',
      'RepTest Regular',
    ]);
    expect(names(await accounts('q=RepTest&hasPending=false'))).toEqual(['RepTest Overdue']);
    expect(names(await accounts('q=RepTest&sort=revenue90d'))).toEqual([
      'RepTest Regular',
      'RepTest Overdue',
      'RepTest Newcomer',
    ]);
    expect(names(await accounts('q=RepTest&sort=revenue30d&order=asc'))).toEqual([
      'RepTest Overdue',
      'RepTest Newcomer',
      'RepTest Regular',
    ]);
    // no trend (nothing the month before) comes last either way
    expect(names(await accounts('q=RepTest&sort=trend'))).toEqual([
      'RepTest Regular',
      'RepTest Overdue',
      'RepTest Newcomer',
    ]);
    expect(names(await accounts('q=RepTest&sort=lastOrderAt'))).toEqual([
      'RepTest Regular',
      'RepTest Newcomer',
      'RepTest Overdue',
    ]);
    const first = await accounts('q=RepTest&limit=2');
    expect(first).toMatchObject({ total: 3, nextOffset: 2 });
    const second = await accounts('q=RepTest&limit=2&offset=2');
    expect(names(second)).toEqual(['RepTest Regular']);
    expect(second.nextOffset).toBeNull();
  });

  it('lists only the rep’s own accounts; platform admins see all and narrow by rep', async () => {
    expect(names(await accounts('q=RepTest', 'rep2@supplier.example'))).toEqual(['RepTest Other']);
    const mine = await accounts('limit=200');
    expect(mine.items.map((a) => a.id)).not.toContain('co_rt_other');
    expect(mine.items.map((a) => a.id)).not.toContain('co_initech');
    expect(mine.items.map((a) => a.id)).toContain('co_acme');
    const all = await accounts('q=RepTest', 'ops@supplier.example');
    expect(all.total).toBe(4);
    expect(names(await accounts('q=RepTest&repId=usr_rep_two', 'ops@supplier.example'))).toEqual([
      'RepTest Other',
    ]);
    const res = await call('/v1/rep/accounts?repId=usr_rep_two', {
      token: await loginAs('rep@supplier.example'),
    });
    await expectProblem(res, 403);
  });

  it('refuses customers', async () => {
    for (const email of ['buyer@acme.example', 'admin@acme.example']) {
      await expectProblem(await call('/v1/rep/accounts', { token: await loginAs(email) }), 403);
    }
  });

  it('refuses bad input', async () => {
    const token = await loginAs('rep@supplier.example');
    await expectProblem(await call('/v1/rep/accounts?sort=size', { token }), 400);
    await expectProblem(await call('/v1/rep/accounts?limit=0', { token }), 400);
    await expectProblem(await call('/v1/rep/accounts?hasPending=yes', { token }), 400);
  });
});

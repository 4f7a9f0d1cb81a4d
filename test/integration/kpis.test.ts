import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, json, loginAs } from './harness';
import { insertCompany, insertOrder, insertQuote, kpiRows, MIN, recompute, t, WRITTEN } from './kpi-helpers';

interface Figure {
  kpi: string;
  unit: string;
  currency: string | null;
  current: number | null;
  previous: number | null;
}
interface Report {
  current: { from: string; to: string };
  previous: { from: string; to: string };
  figures: Figure[];
  accounts: { companyId: string; current: { orders: number; activeUsers: number } }[];
}

const A = 'co_kpi_a';
const B = 'co_kpi_b';
const C = 'co_kpi_c';
const MARCH = 'period=month&at=2025-03-15';

/**
 * A seeded history over February and March 2025 (UTC): orders across channels and currencies, approvals
 * with known lead times, cart starts, quotes, and cart activity. Figures below are worked out by hand.
 */
beforeAll(async () => {
  await env.DB.prepare(
    `INSERT INTO users (id, company_id, email, name, password_hash) VALUES ('usr_kpi_rep2', NULL, 'rep2@supplier.example', 'Rep Two', 'x')`,
  ).run();
  await insertCompany(A, 'KPI Alpha', 'usr_rep');
  await insertCompany(B, 'KPI Beta', 'usr_rep');
  await insertCompany(C, 'KPI Gamma', 'usr_kpi_rep2');
  const o = (
    id: string,
    companyId: string,
    placedBy: string,
    channel: string,
    totalMinor: number,
    at: string,
  ) => ({
    id: `ord_kpi_${id}`,
    companyId,
    placedBy,
    channel,
    totalMinor,
    currency: 'EUR',
    status: 'placed' as const,
    createdAt: t(at),
  });
  for (const order of [
    { ...o('o1', A, 'usr_kpi_a1', 'web', 10_000, '03-03T10:00'), cartStartedAt: t('03-03T09:30') },
    { ...o('o2', A, 'usr_kpi_a2', 'punchout', 20_000, '03-05T10:00'), cartStartedAt: t('03-05T08:00') },
    o('o3', A, 'usr_kpi_a1', 'quote', 30_000, '03-07T10:00'),
    o('o4', A, 'usr_kpi_a1', 'recurring', 5_000, '03-10T06:00'),
    {
      ...o('o5', A, 'usr_kpi_a2', 'web', 15_000, '03-12T08:00'),
      cartStartedAt: t('03-12T07:55'),
      decidedAfterMinutes: 120,
    },
    {
      ...o('o6', A, 'usr_kpi_a3', 'web', 99_999, '03-13T08:00'),
      status: 'rejected' as const,
      decidedAfterMinutes: 30,
    },
    { ...o('o7', A, 'usr_kpi_a1', 'web', 7_777, '03-14T08:00'), status: 'cancelled' as const },
    { ...o('o8', A, 'key_kpi_partner', 'partner_api', 4_000, '03-20T08:00'), currency: 'USD' },
    o('o9', A, 'usr_kpi_a1', 'web', 6_000, '03-21T08:00'),
    { ...o('o10', A, 'usr_kpi_a1', 'web', 1, '03-22T08:00'), status: 'pending_approval' as const },
    o('p1', A, 'usr_kpi_a1', 'web', 8_000, '02-10T10:00'),
    o('p2', A, 'usr_kpi_a1', 'rep_assisted', 12_000, '02-11T10:00'),
    o('b1', B, 'usr_rep', 'rep_entered', 50_000, '03-04T10:00'),
    o('c1', C, 'usr_kpi_c1', 'web', 1_000, '03-04T10:00'),
  ])
    await insertOrder(order);
  await insertQuote({
    id: 'quo_kpi_1',
    companyId: A,
    state: 'ordered',
    requestedAt: t('03-01T09:00'),
    firstQuotedAt: t('03-01T11:00'),
    decidedAt: t('03-05T09:00'),
  });
  await insertQuote({
    id: 'quo_kpi_2',
    companyId: A,
    state: 'declined',
    requestedAt: t('03-02T09:00'),
    firstQuotedAt: t('03-02T09:45'),
    decidedAt: t('03-06T09:00'),
  });
  await insertQuote({
    id: 'quo_kpi_3',
    companyId: A,
    state: 'expired',
    requestedAt: t('02-20T09:00'),
    firstQuotedAt: t('02-21T09:00'),
    decidedAt: t('03-10T00:00'),
  });
  await insertQuote({ id: 'quo_kpi_4', companyId: A, state: 'requested', requestedAt: t('03-20T09:00') });
  await env.DB.prepare(
    `INSERT INTO cart_activity (company_id, day, user_id, origin) VALUES
      ('co_kpi_a', '2025-03-08', 'usr_kpi_a1', 'list'), ('co_kpi_a', '2025-03-09', 'usr_kpi_a2', 'quick_order'),
      ('co_kpi_b', '2025-03-06', 'usr_kpi_b1', 'quick_order')`,
  ).run();
  await recompute(WRITTEN + MIN);
});

const rep = () => loginAs('rep@supplier.example');
const admin = () => loginAs('ops@supplier.example');

async function report(path: string, token: string): Promise<Report> {
  const res = await call(path, { token });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return json<Report>(res);
}

const figure = (r: Report, kpi: string, currency: string | null = null) => {
  const f = r.figures.find((x) => x.kpi === kpi && x.currency === currency);
  return f ? [f.current, f.previous] : undefined;
};

describe('GET /v1/rep/kpis', () => {
  it('answers every figure of the month and the month before, as worked out by hand', async () => {
    const r = await report(`/v1/rep/kpis?${MARCH}`, await rep());
    expect(r.current).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    expect(r.previous).toEqual({ from: '2025-02-01', to: '2025-02-28' });
    const expected: [string, string | null, number | null, number | null][] = [
      // March: o1 o2 o3 o4 o5 o8 o9 o10 b1 (o6 rejected, o7 cancelled); February: p1 p2
      ['orders', null, 9, 2],
      ['autonomous_orders', null, 7, 1],
      ['autonomy_rate_by_count', null, 0.7778, 0.5],
      ['order_value', 'EUR', 136_001, 20_000],
      ['autonomous_order_value', 'EUR', 56_001, 8_000],
      ['autonomy_rate_by_value', 'EUR', 0.4118, 0.4],
      ['order_value', 'USD', 4_000, 0],
      ['autonomy_rate_by_value', 'USD', 1, null],
      // A: a1 a2 a3 (a rejected order still counts its placer); B: b1 by quick order (the rep is no user of B)
      ['active_accounts', null, 2, 1],
      ['active_users', null, 4, 1],
      ['active_users_per_account', null, 2, 1],
      ['adoption_quick_order', null, 1, 0],
      ['adoption_lists', null, 0.5, 0],
      ['adoption_recurring', null, 0.5, 0],
      // o5 approved after 120 min, o6 rejected after 30 (nearest rank: p50 = 1st of 2, p90 = 2nd)
      ['approvals_decided', null, 2, 0],
      ['approval_lead_time_p50', null, 30, null],
      ['approval_lead_time_p90', null, 120, null],
      // o1 30 min, o2 120 min, o5 5 min
      ['cart_to_order_orders', null, 3, 0],
      ['cart_to_order_p50', null, 30, null],
      ['cart_to_order_p90', null, 120, null],
      // decided in March: q1 (ordered), q2, q3; first quoted in March: q1 120 min, q2 45 min; February: q3 1 day
      ['quotes_decided', null, 3, 0],
      ['quotes_ordered', null, 1, 0],
      ['quote_win_rate', null, 0.3333, null],
      ['quotes_first_quoted', null, 2, 1],
      ['quote_turnaround_p50', null, 45, 1440],
      ['quote_turnaround_p90', null, 120, 1440],
    ];
    for (const [kpi, currency, current, previous] of expected)
      expect([kpi, currency, figure(r, kpi, currency)]).toEqual([kpi, currency, [current, previous]]);
  });

  it("lists the rep's accounts only: another rep's account is absent, and naming it is a 404", async () => {
    const token = await rep();
    const r = await report(`/v1/rep/kpis?${MARCH}`, token);
    const ids = r.accounts.map((a) => a.companyId);
    expect(ids).toEqual(expect.arrayContaining([A, B, 'co_acme']));
    expect(ids).not.toContain(C);
    expect(ids).not.toContain('co_initech');
    expect((await call(`/v1/rep/kpis?${MARCH}&companyId=${C}`, { token })).status).toBe(404);
    expect((await call(`/v1/rep/kpis?${MARCH}&repId=usr_kpi_rep2`, { token })).status).toBe(404);
    const one = await report(`/v1/rep/kpis?${MARCH}&companyId=${B}`, token);
    expect(one.accounts.map((a) => a.companyId)).toEqual([B]);
    expect(figure(one, 'orders')).toEqual([1, 0]);
  });

  it("gives a platform admin every company, or one rep's accounts", async () => {
    const token = await admin();
    const all = await report(`/v1/rep/kpis?${MARCH}`, token);
    expect(all.accounts.map((a) => a.companyId)).toEqual(expect.arrayContaining([A, B, C]));
    expect(figure(all, 'orders')).toEqual([10, 2]);
    const other = await report(`/v1/rep/kpis?${MARCH}&repId=usr_kpi_rep2`, token);
    expect(other.accounts.map((a) => a.companyId)).toEqual([C]);
    expect((await call(`/v1/rep/kpis?${MARCH}&repId=usr_kpi_nobody`, { token })).status).toBe(404);
  });

  it('refuses customers', async () => {
    const res = await call(`/v1/rep/kpis?${MARCH}`, { token: await loginAs('buyer@acme.example') });
    expect(res.status).toBe(403);
  });
});

describe('GET /v1/admin/kpis and /v1/company/kpis', () => {
  it('narrows to one company, and answers a company its own figures by week and quarter', async () => {
    const narrowed = await report(`/v1/admin/kpis?${MARCH}&companyId=${C}`, await admin());
    expect(figure(narrowed, 'orders')).toEqual([1, 0]);
    expect((await call(`/v1/admin/kpis?companyId=co_kpi_nope`, { token: await admin() })).status).toBe(404);
    expect((await call('/v1/admin/kpis', { token: await rep() })).status).toBe(403);
    const own = await report(
      '/v1/company/kpis?period=week&at=2025-03-05',
      await loginAs('admin@acme.example'),
    );
    expect(own.current).toEqual({ from: '2025-03-03', to: '2025-03-09' });
    expect(own.accounts.map((a) => a.companyId)).toEqual(['co_acme']);
    const quarter = await report(`/v1/admin/kpis?period=quarter&at=2025-03-15&companyId=${A}`, await admin());
    expect(quarter.current).toEqual({ from: '2025-01-01', to: '2025-03-31' });
    expect(figure(quarter, 'orders')).toEqual([10, 0]);
    expect((await call('/v1/company/kpis', { token: await loginAs('buyer@acme.example') })).status).toBe(403);
  });
});

describe('the daily rows', () => {
  it('are recomputed, not incremented: a second run writes the same rows', async () => {
    const before = await kpiRows();
    await recompute(WRITTEN + 2 * MIN);
    expect(await kpiRows()).toEqual(before);
  });

  it('catch late changes: an order cancelled and one added in past days', async () => {
    const later = WRITTEN + 60 * MIN;
    await env.DB.prepare(`UPDATE orders SET status = 'cancelled', updated_at = ? WHERE id = 'ord_kpi_o2'`)
      .bind(later)
      .run();
    await insertOrder({
      id: 'ord_kpi_late',
      companyId: B,
      placedBy: 'usr_kpi_b2',
      status: 'placed',
      channel: 'web',
      currency: 'EUR',
      totalMinor: 2_500,
      createdAt: t('02-14T12:00'),
      updatedAt: later,
    });
    const token = await rep();
    // nothing moves until the cron recomputes: the figures come from the daily rows
    expect(figure(await report(`/v1/rep/kpis?${MARCH}`, token), 'orders')).toEqual([9, 2]);
    await recompute(later + MIN);
    const r = await report(`/v1/rep/kpis?${MARCH}`, token);
    expect(figure(r, 'orders')).toEqual([8, 3]);
    expect(figure(r, 'order_value', 'EUR')).toEqual([116_001, 22_500]);
    expect(figure(r, 'active_accounts')).toEqual([2, 2]);
    expect(figure(r, 'cart_to_order_orders')).toEqual([2, 0]);
    await env.DB.prepare(`UPDATE orders SET status = 'placed', updated_at = ? WHERE id = 'ord_kpi_o2'`)
      .bind(later + 2 * MIN)
      .run();
    await env.DB.prepare(`DELETE FROM order_events WHERE order_id = 'ord_kpi_late'`).run();
    await env.DB.prepare(`DELETE FROM orders WHERE id = 'ord_kpi_late'`).run();
    await recompute(later + 3 * MIN);
    // the deleted order's day is not recomputed (nothing left says it changed): cancel, never delete
    expect(figure(await report(`/v1/rep/kpis?${MARCH}`, token), 'orders')).toEqual([9, 3]);
  });
});

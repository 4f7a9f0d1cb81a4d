import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client';
import { type KpiScope, readKpiSums, type Window } from '../../src/db/queries/kpi-read';
import { type KpiPeriod, periodContaining, previousPeriod } from '../../src/domain/kpi-periods';
import { call, json, loginAs } from './harness';
import { insertCompany, insertOrder, insertQuote, kpiRows, MIN, recompute, t, WRITTEN } from './kpi-helpers';

const A = 'co_kpm_a';
const B = 'co_kpm_b';
const CHANNELS = ['web', 'punchout', 'quote', 'recurring', 'rep_assisted', 'rep_entered', 'partner_api'];

/**
 * A history over December 2024 to March 2025 (UTC) of two companies: orders on many days across channels,
 * currencies and statuses, approvals, cart starts and quotes, so months hold many days' rows.
 */
beforeAll(async () => {
  await insertCompany(A, 'KPM Alpha', 'usr_rep');
  await insertCompany(B, 'KPM Beta', null);
  for (let i = 0; i < 60; i++) {
    const createdAt = Date.UTC(2024, 11, 1) + i * 2 * 86_400_000 + (i % 7) * 3_600_000;
    await insertOrder({
      id: `ord_kpm_${i}`,
      companyId: i % 3 === 0 ? B : A,
      placedBy: i % 11 === 0 ? 'key_kpm' : `usr_kpm_${i % 4}`,
      status: i % 13 === 0 ? 'cancelled' : i % 17 === 0 ? 'rejected' : 'placed',
      channel: CHANNELS[i % CHANNELS.length] ?? 'web',
      currency: i % 5 === 0 ? 'USD' : 'EUR',
      totalMinor: 1_000 + i * 37,
      createdAt,
      ...(i % 2 === 0 ? { cartStartedAt: createdAt - (i % 9) * 7 * MIN } : {}),
      ...(i % 4 === 1 || i % 17 === 0 ? { decidedAfterMinutes: 10 + i * 13 } : {}),
    });
  }
  for (let i = 0; i < 12; i++) {
    const requestedAt = Date.UTC(2024, 11, 3) + i * 9 * 86_400_000;
    await insertQuote({
      id: `quo_kpm_${i}`,
      companyId: i % 2 === 0 ? A : B,
      state: i % 3 === 0 ? 'ordered' : 'declined',
      requestedAt,
      firstQuotedAt: requestedAt + (i + 1) * 45 * MIN,
      decidedAt: requestedAt + (i % 5) * 86_400_000 + MIN,
    });
  }
  await env.DB.prepare(
    `INSERT INTO cart_activity (company_id, day, user_id, origin) VALUES
      ('co_kpm_a', '2025-01-08', 'usr_kpm_1', 'list'), ('co_kpm_a', '2025-02-09', 'usr_kpm_9', 'quick_order')`,
  ).run();
  await recompute(WRITTEN + MIN);
});

const windowOf = (period: KpiPeriod, at: string): Window => {
  const current = periodContaining(period, at);
  return { current, previous: previousPeriod(period, current) };
};

/** Sums in a stable order: the two levels group the same keys, in whatever order SQLite returns them. */
const sorted = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

async function bothLevels(scope: KpiScope, period: KpiPeriod, at: string) {
  const db = createDatabase(env);
  const [daily, monthly] = await Promise.all([
    readKpiSums(db, scope, windowOf(period, at), 'daily'),
    readKpiSums(db, scope, windowOf(period, at), 'monthly'),
  ]);
  const norm = (s: typeof daily) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, sorted(v)]));
  return { daily: norm(daily), monthly: norm(monthly) };
}

const SCOPES: KpiScope[] = [
  { kind: 'all' },
  { kind: 'rep', repId: 'usr_rep' },
  { kind: 'company', companyId: B },
];

async function ordersOfMarch(): Promise<[number | null, number | null] | undefined> {
  const res = await call(`/v1/admin/kpis?period=month&at=2025-03-10&companyId=${A}`, {
    token: await loginAs('ops@supplier.example'),
  });
  const body = await json<{ figures: { kpi: string; current: number | null; previous: number | null }[] }>(
    res,
  );
  const f = body.figures.find((x) => x.kpi === 'orders');
  return f ? [f.current, f.previous] : undefined;
}

describe('monthly KPI rollups', () => {
  it('sum to what the daily rows of the same months give, for months and quarters of every scope', async () => {
    for (const scope of SCOPES)
      for (const [period, at] of [
        ['month', '2025-01-20'],
        ['month', '2025-03-01'],
        ['quarter', '2025-02-14'],
      ] as const) {
        const { daily, monthly } = await bothLevels(scope, period, at);
        expect(daily.orders?.length).toBeGreaterThan(0);
        expect(monthly).toEqual(daily);
      }
  });

  it('follow a late change in a past day, and the answer is not served from before it', async () => {
    const before = await ordersOfMarch();
    expect(await ordersOfMarch()).toEqual(before);
    const later = WRITTEN + 60 * MIN;
    await insertOrder({
      id: 'ord_kpm_late',
      companyId: A,
      placedBy: 'usr_kpm_late',
      status: 'placed',
      channel: 'web',
      currency: 'EUR',
      totalMinor: 4_200,
      createdAt: t('03-02T12:00'),
      updatedAt: later,
    });
    await recompute(later + MIN);
    const [current, previous] = before ?? [0, 0];
    expect(await ordersOfMarch()).toEqual([(current ?? 0) + 1, previous]);
    const { daily, monthly } = await bothLevels({ kind: 'all' }, 'quarter', '2025-03-31');
    expect(monthly).toEqual(daily);
  });

  it('count cart activity recorded after an answer at once (it is read by day)', async () => {
    const path = `/v1/admin/kpis?period=quarter&at=2025-03-10&companyId=${B}`;
    const token = await loginAs('ops@supplier.example');
    const users = async () =>
      (await json<{ accounts: { current: { activeUsers: number } }[] }>(await call(path, { token })))
        .accounts[0]?.current.activeUsers;
    const before = (await users()) ?? 0;
    await env.DB.prepare(
      `INSERT INTO cart_activity (company_id, day, user_id, origin) VALUES ('co_kpm_b', '2025-03-03', 'usr_kpm_new', 'reorder')`,
    ).run();
    expect(await users()).toBe(before + 1);
  });

  it('are built once from the daily rows already there when they first appear, even with nothing changed', async () => {
    const built = await kpiRows();
    // as right after the migration: daily rows, no monthly ones, no generation yet
    await env.DB.batch(
      ['kpi_monthly', 'kpi_monthly_users', 'kpi_monthly_durations', 'kpi_monthly_quotes'].map((table) =>
        env.DB.prepare(`DELETE FROM ${table}`),
      ),
    );
    await env.DB.prepare(`DELETE FROM kpi_watermarks WHERE source = 'generation'`).run();
    await recompute(WRITTEN + 24 * 60 * MIN);
    expect(await kpiRows()).toEqual(built);
  });
});

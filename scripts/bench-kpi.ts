import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ColdFigures, measureCold } from './bench-kpi-cold';
import { HISTORY_COMPANIES, HISTORY_END, HISTORY_ORDERS, kpiHistorySql } from './bench-kpi-history';
import { type Measurement, measure, ratio } from './bench-measure';
import type { RunningWorker } from './bench-worker';
import { runWrangler } from './wrangler';

/**
 * The KPI phase of `npm run bench` (`--only kpi` alone): seeds the history of scripts/bench-kpi-history.ts
 * into the Worker's local D1 (bulk SQL through `wrangler d1 execute --file`; idempotent), fires the 5-minute
 * cron so the daily KPI rows are recomputed from it (timed), then measures GET /v1/rep/kpis (the demo rep:
 * 43 accounts), GET /v1/admin/kpis (every company) and, when the route answers 200 on this branch,
 * GET /v1/rep/accounts, against the floor (a KV value the size of the KPI answer) and the floor behind the
 * same authentication, in the same run. Also D1's `rows_read` of the KPI reads with and without the daily
 * rows, through the wrangler CLI.
 */
const AT = new Date(HISTORY_END - 15 * 86_400_000).toISOString().slice(0, 10);
const QUERY = `period=quarter&at=${AT}`;

export interface KpiFigures {
  orders: number;
  companies: number;
  seedSeconds: number;
  recomputeSeconds: number;
  dailyRows: number;
  monthlyRows: number;
  results: Measurement[];
  ratios: Record<string, { p50: number | null; p99: number | null }>;
  rowsRead: Record<string, number>;
  accountsRoute: boolean;
  cold: ColdFigures;
}

function d1(stateDir: string, args: string[]): string {
  return runWrangler(['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--json', ...args]);
}

/**
 * The rows a statement's index ranges hold, counted (`wrangler d1 execute --local` reports no rows_read): the
 * KPI reads scan exactly these ranges, so this is what D1 would bill as rows read for them.
 */
function rowsIn(stateDir: string, table: string, where: string): number {
  const out = JSON.parse(
    d1(stateDir, ['--command', `SELECT count(*) AS n FROM ${table} WHERE ${where}`]),
  ) as {
    results: { n: number }[];
  }[];
  return out[0]?.results[0]?.n ?? 0;
}

async function login(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'demo1234' }),
  });
  if (res.status !== 200) throw new Error(`login ${email} answered ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** The two periods' days and instants of the measured request (the quarter of AT and the one before). */
function windowOf() {
  const d = new Date(`${AT}T00:00:00Z`);
  const q = d.getUTCMonth() - (d.getUTCMonth() % 3);
  const currentFromMs = Date.UTC(d.getUTCFullYear(), q, 1);
  const fromMs = Date.UTC(d.getUTCFullYear(), q - 3, 1);
  const toMs = Date.UTC(d.getUTCFullYear(), q + 3, 1);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    from: day(fromMs),
    to: day(toMs - 86_400_000),
    currentFrom: day(currentFromMs),
    fromMs,
    toMs,
    currentFromMs,
  };
}

/** Rows the KPI reads touch from the daily rows, and what the same figures would read from the orders. */
function readCosts(stateDir: string): Record<string, number> {
  const w = windowOf();
  const scopes = {
    admin: '1 = 1',
    rep: "company_id IN (SELECT id FROM companies WHERE sales_rep_user_id = 'usr_rep')",
  };
  const out: Record<string, number> = {};
  for (const [name, scope] of Object.entries(scopes)) {
    const range = `day >= '${w.from}' AND day <= '${w.to}' AND ${scope}`;
    const daily = [
      'kpi_daily',
      'kpi_daily_users',
      'cart_activity',
      'kpi_daily_durations',
      'kpi_daily_quotes',
    ];
    out[`${name}: daily rows`] = daily.reduce((n, t) => n + rowsIn(stateDir, t, range), 0);
    // what a month or quarter answer reads now: the monthly rollups, and cart activity by day
    const months = `month >= '${w.from.slice(0, 7)}' AND month <= '${w.to.slice(0, 7)}' AND ${scope}`;
    const monthly = ['kpi_monthly', 'kpi_monthly_users', 'kpi_monthly_durations', 'kpi_monthly_quotes'];
    out[`${name}: monthly rollups`] =
      monthly.reduce((n, t) => n + rowsIn(stateDir, t, months), 0) + rowsIn(stateDir, 'cart_activity', range);
    // orders of the two periods (read by each of: counts, placers, cart starts) and their approval events
    const orders = `created_at >= ${w.fromMs} AND created_at < ${w.toMs} AND ${scope}`;
    // without an index leading with created_at, every company's orders are read for the whole scope
    const scanned =
      name === 'admin' ? rowsIn(stateDir, 'orders', '1 = 1') : rowsIn(stateDir, 'orders', orders);
    const events = rowsIn(
      stateDir,
      'order_events',
      `order_id IN (SELECT id FROM orders WHERE ${orders}) AND type IN ('pending_approval', 'placed', 'rejected')`,
    );
    out[`${name}: from the orders`] = 3 * scanned + events;
  }
  return out;
}

export async function kpiPhase(
  worker: RunningWorker,
  stateDir: string,
  options: { duration: number; connections: number },
): Promise<KpiFigures> {
  const dir = join('.bench', 'tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'kpi-history.sql');
  writeFileSync(file, kpiHistorySql());
  console.log(
    `KPI: seeding ${HISTORY_ORDERS.toLocaleString('en')} orders of ${HISTORY_COMPANIES} companies…`,
  );
  let started = performance.now();
  d1(stateDir, ['--file', file]);
  const seedSeconds = Math.round((performance.now() - started) / 100) / 10;

  started = performance.now();
  const cron = await fetch(
    `${worker.base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('*/5 * * * *')}&time=${Date.now()}`,
  );
  const recomputeSeconds = Math.round((performance.now() - started) / 100) / 10;
  if (cron.status !== 200) throw new Error(`cron answered ${cron.status}: ${await cron.text()}`);
  const counted = JSON.parse(d1(stateDir, ['--command', 'SELECT count(*) AS n FROM kpi_daily'])) as {
    results: { n: number }[];
  }[];
  const dailyRows = counted[0]?.results[0]?.n ?? 0;
  const countedMonthly = JSON.parse(d1(stateDir, ['--command', 'SELECT count(*) AS n FROM kpi_monthly'])) as {
    results: { n: number }[];
  }[];
  const monthlyRows = countedMonthly[0]?.results[0]?.n ?? 0;
  if (dailyRows === 0) throw new Error(`the cron wrote no KPI rows:\n${worker.output()}`);

  const rep = { authorization: `Bearer ${await login(worker.base, 'rep@supplier.example')}` };
  const ops = { authorization: `Bearer ${await login(worker.base, 'ops@supplier.example')}` };
  const sample = await fetch(`${worker.base}/v1/rep/kpis?${QUERY}`, { headers: rep });
  if (sample.status !== 200) throw new Error(`rep KPIs answered ${sample.status}: ${await sample.text()}`);
  const bytes = Buffer.byteLength(await sample.text());
  const put = await fetch(`${worker.base}/_bench/kv/page`, {
    method: 'PUT',
    body: new Uint8Array(bytes).map((_, i) => 32 + (i % 90)),
  });
  if (put.status !== 204) throw new Error(`KV floor setup answered ${put.status}`);
  const accounts = await fetch(`${worker.base}/v1/rep/accounts`, { headers: rep });
  const accountsRoute = accounts.status === 200;
  await accounts.arrayBuffer();

  const scenarios = [
    { name: 'floor', paths: ['/_bench/kv/page'] },
    { name: 'floor+auth', paths: ['/_bench/auth/kv/page'], headers: rep },
    { name: 'rep-kpis', paths: [`/v1/rep/kpis?${QUERY}`], headers: rep },
    { name: 'admin-kpis', paths: [`/v1/admin/kpis?${QUERY}`], headers: ops },
    ...(accountsRoute ? [{ name: 'rep-accounts', paths: ['/v1/rep/accounts'], headers: rep }] : []),
  ];
  const results: Measurement[] = [];
  for (const s of scenarios) {
    console.log(`KPI ${s.name}: ${options.duration} s, ${options.connections} connections`);
    results.push(await measure(worker.base, s, options.duration, options.connections));
  }
  // warm figures above (the isolate's cached sums, valid until the next recompute writes rows); cold here
  const cold = await measureCold(
    worker.base,
    { rep: `/v1/rep/kpis?${QUERY}`, admin: `/v1/admin/kpis?${QUERY}` },
    { rep, admin: ops },
    (round) =>
      d1(stateDir, [
        '--command',
        `UPDATE orders SET updated_at = ${Date.now()} WHERE id = 'ord_kb_${String(round * 7).padStart(6, '0')}'`,
      ]),
  );
  const floor = results.find((r) => r.name === 'floor+auth');
  const ratios = Object.fromEntries(
    results
      .filter((r) => !r.name.startsWith('floor'))
      .map((r) => [
        `${r.name} / floor+auth`,
        { p50: ratio(r.p50Ms, floor?.p50Ms ?? 0), p99: ratio(r.p99Ms, floor?.p99Ms ?? 0) },
      ]),
  );
  return {
    orders: HISTORY_ORDERS,
    companies: HISTORY_COMPANIES,
    seedSeconds,
    recomputeSeconds,
    dailyRows,
    monthlyRows,
    results,
    ratios,
    rowsRead: readCosts(stateDir),
    accountsRoute,
    cold,
  };
}

export function printKpi(f: KpiFigures): void {
  console.log(
    `KPI: ${f.orders.toLocaleString('en')} orders of ${f.companies} companies seeded in ${f.seedSeconds} s; the cron recomputed ${f.dailyRows.toLocaleString('en')} kpi_daily rows (${f.monthlyRows.toLocaleString('en')} kpi_monthly rows) in ${f.recomputeSeconds} s`,
  );
  console.log('KPI warm (the sums cached in the isolate for the current data generation), under load:');
  console.table(
    f.results.map((r) => ({
      scenario: r.name,
      'req/s': Math.round(r.requestsPerSecond),
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      errors: r.errors,
    })),
  );
  console.log('KPI ratios, warm (target ≤ 5)');
  console.table(f.ratios);
  const floor = f.results.find((r) => r.name === 'floor+auth')?.p50Ms ?? 0;
  console.log(
    `KPI cold (first request after a recompute that wrote rows, one at a time, ${f.cold.rounds} rounds):`,
  );
  console.table({
    'rep-kpis': {
      'p50 ms': f.cold.repP50Ms,
      'max ms': f.cold.repMaxMs,
      'p50 / floor+auth': ratio(f.cold.repP50Ms, floor),
    },
    'admin-kpis': {
      'p50 ms': f.cold.adminP50Ms,
      'max ms': f.cold.adminMaxMs,
      'p50 / floor+auth': ratio(f.cold.adminP50Ms, floor),
    },
  });
  if (!f.accountsRoute) console.log('GET /v1/rep/accounts did not answer 200 on this branch: not measured');
  console.log('rows_read per KPI request (quarter + previous quarter)');
  console.table(f.rowsRead);
}

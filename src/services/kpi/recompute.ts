import type { Database } from '../../db/client';
import { chunks, runBatch } from '../../db/queries/bulk';
import {
  bumpGeneration,
  type CompanyDay,
  type CompanyMonth,
  changedOrderDays,
  changedQuoteDays,
  hasGeneration,
  monthStatements,
  monthsWithDailyRows,
  orderDayStatements,
  quoteDayStatements,
  setWatermark,
  watermarkOf,
} from '../../db/queries/kpi-recompute';

/**
 * A write stamped a little before it commits (the company's object stamps the order, then writes it) must
 * not slip under the watermark: each run reads again the changes of the last 15 minutes. Recomputing a day
 * twice writes the same rows, so the overlap costs a few reads and nothing else.
 */
export const KPI_WATERMARK_OVERLAP_MS = 15 * 60_000;
/** company-days per statement: one JSON parameter each, well under D1's statement size */
const DAYS_PER_BATCH = 200;

export interface RecomputeOutcome {
  orderDays: number;
  quoteDays: number;
}

/** The distinct company-months of some company-days. */
export function monthsOf(days: readonly CompanyDay[], also: readonly CompanyMonth[] = []): CompanyMonth[] {
  const keys = new Map<string, CompanyMonth>();
  for (const m of also) keys.set(`${m.companyId}\u0000${m.month}`, m);
  for (const d of days) {
    const month = d.day.slice(0, 7);
    keys.set(`${d.companyId}\u0000${month}`, { companyId: d.companyId, month });
  }
  return [...keys.values()];
}

/**
 * Recomputes the KPI rows of the given company-days from the orders and quotes (backfills, tests), then
 * rebuilds the monthly rollups of the months they fall in from the daily rows. Each batch bumps the data
 * generation with its writes.
 */
export async function recomputeDays(
  db: Database,
  days: { orders: readonly CompanyDay[]; quotes: readonly CompanyDay[] },
): Promise<void> {
  // daily rows written before the monthly rollups existed: every month is built once from them, first
  const backfill = (await hasGeneration(db)) ? [] : await monthsWithDailyRows(db);
  const withGeneration = (statements: ReturnType<typeof orderDayStatements>) => [
    ...statements,
    bumpGeneration(db),
  ];
  for (const part of chunks(days.orders, DAYS_PER_BATCH))
    await runBatch(db, withGeneration(orderDayStatements(db, part)));
  for (const part of chunks(days.quotes, DAYS_PER_BATCH))
    await runBatch(db, withGeneration(quoteDayStatements(db, part)));
  const months = monthsOf([...days.orders, ...days.quotes], backfill);
  for (const part of chunks(months, DAYS_PER_BATCH)) await runBatch(db, monthStatements(db, part));
}

/**
 * The 5-minute cron's KPI job: the company-days whose orders or quotes changed since the last run (by their
 * `updated_at`) are recomputed from the source rows, then the watermark moves to `now`. A run that fails
 * half way leaves the watermark where it was: the next one does it all again, with the same result.
 */
export async function recomputeChangedKpis(db: Database, now: number): Promise<RecomputeOutcome> {
  const [ordersMark, quotesMark] = await Promise.all([watermarkOf(db, 'orders'), watermarkOf(db, 'quotes')]);
  const since = (mark: number) => Math.max(0, mark - KPI_WATERMARK_OVERLAP_MS);
  const [orders, quotes] = await Promise.all([
    changedOrderDays(db, since(ordersMark), now),
    changedQuoteDays(db, since(quotesMark), now),
  ]);
  await recomputeDays(db, { orders, quotes });
  await runBatch(db, [setWatermark(db, 'orders', now), setWatermark(db, 'quotes', now)]);
  return { orderDays: orders.length, quoteDays: quotes.length };
}

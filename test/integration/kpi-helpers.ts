import { env } from 'cloudflare:test';
import { createDatabase } from '../../src/db/client';
import { recomputeChangedKpis } from '../../src/services/kpi/recompute';

/** An instant of 2025 written `MM-DDTHH:MM` (UTC), for a readable seeded history. */
export const t = (monthDayTime: string): number => Date.parse(`2025-${monthDayTime}:00Z`);
export const MIN = 60_000;

/** When the seeded history was written: every row's `updated_at`, before the first recompute. */
export const WRITTEN = t('04-01T00:00');

export interface SeedOrder {
  id: string;
  companyId: string;
  placedBy: string;
  status: 'placed' | 'pending_approval' | 'rejected' | 'cancelled';
  channel: string;
  currency: string;
  totalMinor: number;
  createdAt: number;
  cartStartedAt?: number;
  /** it waited for approval, decided (placed or rejected) this many minutes after it was made */
  decidedAfterMinutes?: number;
  updatedAt?: number;
}

export async function insertOrder(o: SeedOrder): Promise<void> {
  const statements = [
    env.DB.prepare(
      `INSERT INTO orders (id, company_id, placed_by, cart_id, idempotency_key, status, currency, subtotal_minor,
        total_minor, line_count, ship_to_site_id, delivery_mode, channel, cart_started_at, created_at, updated_at)
       VALUES (?, ?, ?, 'cart_kpi', ?, ?, ?, ?, ?, 1, 'site_kpi', 'standard', ?, ?, ?, ?)`,
    ).bind(
      o.id,
      o.companyId,
      o.placedBy,
      `key_${o.id}`,
      o.status,
      o.currency,
      o.totalMinor,
      o.totalMinor,
      o.channel,
      o.cartStartedAt ?? null,
      o.createdAt,
      o.updatedAt ?? WRITTEN,
    ),
  ];
  const event = (suffix: string, type: string, at: number) =>
    env.DB.prepare(
      `INSERT INTO order_events (id, order_id, company_id, at, type, actor_id) VALUES (?, ?, ?, ?, ?, ?)`,
    ).bind(`evt_${o.id}_${suffix}`, o.id, o.companyId, at, type, o.placedBy);
  if (o.decidedAfterMinutes === undefined) {
    statements.push(event('created', o.status === 'cancelled' ? 'placed' : o.status, o.createdAt));
  } else {
    statements.push(event('created', 'pending_approval', o.createdAt));
    const decided = o.status === 'rejected' ? 'rejected' : 'placed';
    statements.push(event(decided, decided, o.createdAt + o.decidedAfterMinutes * MIN));
  }
  await env.DB.batch(statements);
}

export interface SeedQuote {
  id: string;
  companyId: string;
  state: string;
  requestedAt: number;
  firstQuotedAt?: number;
  decidedAt?: number;
}

export async function insertQuote(q: SeedQuote): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO quotes (id, company_id, number, state, requested_by, currency, current_version, requested_at,
      first_quoted_at, decided_at, updated_at) VALUES (?, ?, ?, ?, 'usr_kpi_a1', 'EUR', 1, ?, ?, ?, ?)`,
  )
    .bind(
      q.id,
      q.companyId,
      `Q-${q.id}`,
      q.state,
      q.requestedAt,
      q.firstQuotedAt ?? null,
      q.decidedAt ?? null,
      WRITTEN,
    )
    .run();
}

export async function insertCompany(id: string, name: string, repId: string | null): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO companies (id, name, default_currency, country, sales_rep_user_id) VALUES (?, ?, 'EUR', 'FR', ?)`,
  )
    .bind(id, name, repId)
    .run();
}

export const recompute = (now: number) => recomputeChangedKpis(createDatabase(env), now);

/** Every derived KPI row, in a stable order: what two runs must agree on. */
export async function kpiRows(): Promise<unknown[]> {
  const tables = {
    kpi_daily: 4,
    kpi_daily_users: 3,
    kpi_daily_durations: 4,
    kpi_daily_quotes: 2,
    kpi_monthly: 4,
    kpi_monthly_users: 3,
    kpi_monthly_durations: 4,
    kpi_monthly_quotes: 2,
  };
  const out: unknown[] = [];
  for (const [table, keys] of Object.entries(tables)) {
    const order = Array.from({ length: keys }, (_, i) => i + 1).join(', ');
    const { results } = await env.DB.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();
    out.push(table, ...results);
  }
  return out;
}

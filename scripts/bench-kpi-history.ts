/**
 * The KPI bench's history, as SQL that SQLite expands itself (recursive CTEs): 200 companies (the first 40
 * the demo sales rep's accounts, every tenth in USD), 100,000 orders over the year before HISTORY_END across
 * every channel (a tenth through approval with a known decision time, a hundredth cancelled, cart starts
 * on web orders), 2,000 quotes and 20,000 cart-activity rows. Ids are deterministic and every insert is
 * `OR IGNORE`: running it again on a seeded database changes nothing.
 */
export const HISTORY_END = Date.UTC(2026, 9, 1);
export const HISTORY_ORDERS = 100_000;
export const HISTORY_COMPANIES = 200;
export const REP_ACCOUNTS = 40;

const MINUTE = 60_000;
const YEAR_MINUTES = 365 * 1440;

export function kpiHistorySql(orders = HISTORY_ORDERS, companies = HISTORY_COMPANIES): string {
  const created = `(${HISTORY_END} - ((i * 7919) % ${YEAR_MINUTES}) * ${MINUTE} - ${MINUTE})`;
  const seq = (n: number) =>
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${n - 1})`;
  const company = `printf('co_kb_%03d', i % ${companies})`;
  const channel = `CASE i % 20 WHEN 10 THEN 'punchout' WHEN 11 THEN 'punchout' WHEN 12 THEN 'partner_api'
    WHEN 13 THEN 'partner_api' WHEN 14 THEN 'recurring' WHEN 15 THEN 'recurring' WHEN 16 THEN 'quote'
    WHEN 17 THEN 'rep_assisted' WHEN 18 THEN 'rep_assisted' WHEN 19 THEN 'rep_entered' ELSE 'web' END`;
  const approval = 'i % 10 = 3';
  const decision = `(${created} + ((i * 13) % 2880 + 1) * ${MINUTE})`;
  return `
${seq(companies)}
INSERT OR IGNORE INTO companies (id, name, default_currency, country, sales_rep_user_id)
SELECT printf('co_kb_%03d', i), printf('Bench Co %03d', i), CASE WHEN i % 10 = 9 THEN 'USD' ELSE 'EUR' END,
  'FR', CASE WHEN i < ${REP_ACCOUNTS} THEN 'usr_rep' END FROM n;
${seq(orders)}
INSERT OR IGNORE INTO orders (id, company_id, placed_by, cart_id, idempotency_key, status, currency,
  subtotal_minor, total_minor, line_count, ship_to_site_id, delivery_mode, channel, cart_started_at,
  created_at, updated_at)
SELECT printf('ord_kb_%06d', i), ${company},
  CASE WHEN i % 20 IN (12, 13) THEN 'key_kb' ELSE printf('usr_kb_%03d_%d', i % ${companies}, (i / ${companies}) % 5) END,
  'cart_kb', printf('kb_%06d', i),
  CASE WHEN i % 97 = 5 THEN 'cancelled' WHEN i % 30 = 3 THEN 'rejected' ELSE 'placed' END,
  CASE WHEN i % ${companies} % 10 = 9 THEN 'USD' ELSE 'EUR' END,
  1000 + (i * 7717) % 200000, 1000 + (i * 7717) % 200000, 1, 'site_kb', 'standard', ${channel},
  CASE WHEN i % 20 < 10 THEN ${created} - ((i * 31) % 600 + 1) * ${MINUTE} END,
  ${created}, CASE WHEN ${approval} THEN ${decision} ELSE ${created} END
FROM n;
${seq(orders)}
INSERT OR IGNORE INTO order_events (id, order_id, company_id, at, type, actor_id)
SELECT printf('evt_kb_%06d_created', i), printf('ord_kb_%06d', i), ${company}, ${created},
  CASE WHEN ${approval} THEN 'pending_approval' ELSE 'placed' END, 'usr_kb' FROM n WHERE ${approval};
${seq(orders)}
INSERT OR IGNORE INTO order_events (id, order_id, company_id, at, type, actor_id)
SELECT printf('evt_kb_%06d_decided', i), printf('ord_kb_%06d', i), ${company}, ${decision},
  CASE WHEN i % 30 = 3 THEN 'rejected' ELSE 'placed' END, 'usr_kb' FROM n WHERE ${approval};
${seq(orders / 50)}
INSERT OR IGNORE INTO quotes (id, company_id, number, state, requested_by, currency, current_version,
  requested_at, first_quoted_at, decided_at, updated_at)
SELECT printf('quo_kb_%05d', i), ${company}, printf('Q-KB-%05d', i),
  CASE i % 4 WHEN 0 THEN 'ordered' WHEN 1 THEN 'declined' WHEN 2 THEN 'expired' ELSE 'quoted' END,
  'usr_kb', 'EUR', 1, ${created}, ${created} + ((i * 17) % 4320 + 1) * ${MINUTE},
  CASE WHEN i % 4 < 3 THEN ${created} + 3 * 1440 * ${MINUTE} END, ${created} + 3 * 1440 * ${MINUTE}
FROM n;
${seq(orders / 5)}
INSERT OR IGNORE INTO cart_activity (company_id, day, user_id, origin)
SELECT ${company}, strftime('%Y-%m-%d', ${created} / 1000, 'unixepoch'),
  printf('usr_kb_%03d_%d', i % ${companies}, i % 5), CASE i % 3 WHEN 0 THEN 'quick_order' WHEN 1 THEN 'list' ELSE 'reorder' END
FROM n;
`;
}

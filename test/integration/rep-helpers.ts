import { env } from 'cloudflare:test';
import { first } from './pricing-helpers';

export const DAY = 86_400_000;

/** A second sales rep (supplier staff, no company), written straight into D1 with the demo password. */
export async function seedRep(id: string, email: string) {
  const { password_hash } = await first<{ password_hash: string }>(
    "SELECT password_hash FROM users WHERE id = 'usr_rep'",
  );
  await env.DB.batch([
    env.DB.prepare(
      'INSERT INTO users (id, company_id, email, name, password_hash, created_at) VALUES (?, NULL, ?, ?, ?, 0)',
    ).bind(id, email, email, password_hash),
    env.DB.prepare("INSERT INTO user_roles (user_id, role_id) VALUES (?, 'role_builtin_sales_rep')").bind(id),
  ]);
}

export async function seedCompany(id: string, name: string, repId: string | null) {
  await env.DB.prepare(
    "INSERT INTO companies (id, name, default_currency, country, sales_rep_user_id, status, created_at) VALUES (?, ?, 'EUR', 'FR', ?, 'active', 0)",
  )
    .bind(id, name, repId)
    .run();
}

let seq = 0;

/** An order row with a known time, amount and status (what the dashboard sums), and nothing else. */
export async function seedOrder(
  companyId: string,
  at: number,
  totalMinor: number,
  status: 'placed' | 'pending_approval' | 'cancelled' = 'placed',
): Promise<string> {
  const id = `ord_reptest_${++seq}`;
  await env.DB.prepare(
    `INSERT INTO orders (id, company_id, placed_by, cart_id, idempotency_key, status, currency, subtotal_minor,
       total_minor, line_count, ship_to_site_id, delivery_mode, created_at, updated_at)
     VALUES (?, ?, 'usr_seed', 'cart_seed', ?, ?, 'EUR', ?, ?, 1, 'site_seed', 'standard', ?, ?)`,
  )
    .bind(id, companyId, id, status, totalMinor, totalMinor, at, at)
    .run();
  return id;
}

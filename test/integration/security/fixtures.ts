import { env } from 'cloudflare:test';
import { all, first } from '../pricing-helpers';

/**
 * Test people and roles written straight into D1 (as the demo seed does), so that a test of the API's
 * rules does not depend on the API it is testing to set itself up. Passwords are the demo password: the
 * hash is copied from a demo user.
 */
export async function seedRole(id: string, companyId: string, key: string, permissions: string[]) {
  await env.DB.batch([
    env.DB.prepare(
      'INSERT INTO roles (id, company_id, key, name, built_in, audience, created_at) VALUES (?, ?, ?, ?, 0, ?, 0)',
    ).bind(id, companyId, key, key, 'customer'),
    ...permissions.map((p) =>
      env.DB.prepare('INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)').bind(id, p),
    ),
  ]);
}

export interface SeedUser {
  id: string;
  companyId: string;
  email: string;
  roleIds: string[];
  orderLimitMinor?: number | null;
  periodLimitMinor?: number | null;
  periodLimitPeriod?: 'day' | 'week' | 'month' | null;
}

export async function seedUser(u: SeedUser) {
  const { password_hash } = await first<{ password_hash: string }>(
    "SELECT password_hash FROM users WHERE id = 'usr_acme_buyer'",
  );
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO users (id, company_id, email, name, password_hash, order_limit_minor, period_limit_minor,
       period_limit_period, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`,
    ).bind(
      u.id,
      u.companyId,
      u.email,
      u.email.split('@')[0] ?? u.id,
      password_hash,
      u.orderLimitMinor ?? null,
      u.periodLimitMinor ?? null,
      u.periodLimitPeriod ?? null,
    ),
    ...u.roleIds.map((r) =>
      env.DB.prepare('INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)').bind(u.id, r),
    ),
  ]);
}

export const auditRows = (action: string, actorId: string) =>
  all<{ action: string; summary: string; target_id: string }>(
    'SELECT action, summary, target_id FROM audit_log WHERE action = ? AND actor_id = ? ORDER BY at',
    action,
    actorId,
  );

export const userRow = (id: string) =>
  first<{
    order_limit_minor: number | null;
    period_limit_minor: number | null;
    period_limit_period: string | null;
    status: string;
  }>('SELECT order_limit_minor, period_limit_minor, period_limit_period, status FROM users WHERE id = ?', id);

export const roleKeysOf = async (userId: string) =>
  (
    await all<{ key: string }>(
      'SELECT r.key FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = ? ORDER BY r.key',
      userId,
    )
  ).map((r) => r.key);

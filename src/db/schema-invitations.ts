import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { companies, users } from './schema-core';

/**
 * A pending account in a company: created by an administrator, turned into a user by the invitee with a
 * one-time token (only its SHA-256 is stored). Roles and limits are decided when inviting; the address is
 * checked against existing accounts only at acceptance, so inviting tells nobody who is registered where.
 */
export const invitations = sqliteTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    roleIds: text('role_ids', { mode: 'json' }).$type<string[]>().notNull(),
    orderLimitMinor: integer('order_limit_minor'),
    periodLimitMinor: integer('period_limit_minor'),
    periodLimitPeriod: text('period_limit_period', { enum: ['day', 'week', 'month'] }),
    tokenHash: text('token_hash').notNull().unique(),
    // the user or API key that invited; acceptance re-checks that they may still grant what they granted
    invitedBy: text('invited_by').notNull(),
    invitedByKind: text('invited_by_kind', { enum: ['user', 'api_key'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    acceptedAt: integer('accepted_at'),
    userId: text('user_id').references(() => users.id),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('invitations_company_email_idx').on(t.companyId, t.email)],
);

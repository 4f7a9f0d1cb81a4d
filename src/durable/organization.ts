import { DurableObject } from 'cloudflare:workers';
import { notImplemented } from '../domain/errors';
import type { Env } from '../env';

const SCHEMA_VERSION = 1;

/**
 * One object per customer company: everything that must not race for that company (carts, checkout,
 * approvals, delegations, budgets, idempotency records) goes through here. The foundation lays down the
 * storage and the RPC surface; carts and checkout arrive with their own issue and reject work until then.
 */
export class OrganizationDO extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => this.migrate());
  }

  private migrate(): void {
    const sql = this.ctx.storage.sql;
    sql.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const row = sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'")
      .toArray()[0];
    const current = row ? Number(row.value) : 0;
    if (current < SCHEMA_VERSION) {
      sql.exec(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        String(SCHEMA_VERSION),
      );
    }
  }

  /** Binds the object to its company on first use and reports its state; a mismatch means a routing bug. */
  async describe(companyId: string): Promise<{ companyId: string; schemaVersion: number }> {
    const sql = this.ctx.storage.sql;
    sql.exec("INSERT INTO meta (key, value) VALUES ('company_id', ?) ON CONFLICT(key) DO NOTHING", companyId);
    const bound = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'company_id'").one().value;
    if (bound !== companyId) throw new Error(`OrganizationDO bound to ${bound} was asked about ${companyId}`);
    const version = sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'")
      .one().value;
    return { companyId: bound, schemaVersion: Number(version) };
  }

  async checkout(): Promise<never> {
    throw notImplemented('Checkout');
  }
}

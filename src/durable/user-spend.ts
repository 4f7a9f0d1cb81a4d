import type { BudgetLedger } from './budget-ledger';

/**
 * What each user's orders took of their spending cap, the counterpart of the budget ledger: the object
 * records every order's amount when it decides the order (placed or awaiting approval), in the same
 * synchronous block as the decision, so two racing checkouts cannot both pass under the cap; a rejected
 * or cancelled order gives its amount back, once. This module owns the `user_spend` table.
 */
export const USER_SPEND_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS user_spend (
    order_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, amount_minor INTEGER NOT NULL, at INTEGER NOT NULL,
    released INTEGER NOT NULL DEFAULT 0)`,
  'CREATE INDEX IF NOT EXISTS user_spend_user ON user_spend (user_id, at)',
];

export class UserSpend {
  constructor(private readonly storage: DurableObjectStorage) {}

  private get sql() {
    return this.storage.sql;
  }

  /** The order holds `amount` (again, if a dropped attempt under the same key had given it back). */
  consume(orderId: string, userId: string, amount: number, at: number): void {
    this.sql.exec(
      `INSERT INTO user_spend (order_id, user_id, amount_minor, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (order_id) DO UPDATE SET user_id = excluded.user_id, amount_minor = excluded.amount_minor,
       at = excluded.at, released = 0`,
      orderId,
      userId,
      amount,
      at,
    );
  }

  release(orderId: string): void {
    this.sql.exec('UPDATE user_spend SET released = 1 WHERE order_id = ?', orderId);
  }

  /**
   * What the user's orders in `[start, end)` took, this order aside. `fromSql` are the orders SQL listed
   * as counting (read before this synchronous block); those the ledger knows are counted from the ledger,
   * which is current (an order rejected since is released there); the others are older than the ledger.
   */
  spent(
    userId: string,
    bounds: { start: number; end: number },
    fromSql: readonly { id: string; totalMinor: number }[],
    exceptOrderId: string,
  ): number {
    const known = this.sql
      .exec<{ order_id: string; amount_minor: number; released: number }>(
        'SELECT order_id, amount_minor, released FROM user_spend WHERE user_id = ? AND at >= ? AND at < ?',
        userId,
        bounds.start,
        bounds.end,
      )
      .toArray();
    const ids = new Set(known.map((k) => k.order_id));
    const held = known
      .filter((k) => k.released === 0 && k.order_id !== exceptOrderId)
      .reduce((sum, k) => sum + k.amount_minor, 0);
    const older = fromSql
      .filter((o) => !ids.has(o.id) && o.id !== exceptOrderId)
      .reduce((sum, o) => sum + o.totalMinor, 0);
    return held + older;
  }
}

/** Everything an order holds in the object's ledgers; given back together when it is rejected or cancelled. */
export class OrderHolds {
  constructor(
    readonly budgets: BudgetLedger,
    readonly spend: UserSpend,
  ) {}

  release(orderId: string): void {
    this.budgets.release(orderId);
    this.spend.release(orderId);
  }
}

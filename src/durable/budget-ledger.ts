/**
 * Budget consumption per (budget, period), the authoritative counter: only the company's object writes it,
 * and only inside synchronous blocks, so two orders can never both spend the last euro. Each order's share
 * is kept apart, so releasing it (rejection, cancellation) is exact and happens once. This module owns the
 * `budget_consumption` and `order_budget` tables.
 */
export const BUDGET_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS budget_consumption (
    budget_id TEXT NOT NULL, period_key TEXT NOT NULL, consumed_minor INTEGER NOT NULL,
    PRIMARY KEY (budget_id, period_key))`,
  `CREATE TABLE IF NOT EXISTS order_budget (
    order_id TEXT PRIMARY KEY, budget_id TEXT NOT NULL, period_key TEXT NOT NULL, amount_minor INTEGER NOT NULL,
    released INTEGER NOT NULL DEFAULT 0)`,
];

export class BudgetLedger {
  constructor(private readonly storage: DurableObjectStorage) {}

  private get sql() {
    return this.storage.sql;
  }

  /** Budget is consumed when the order is placed or awaits approval; released when rejected or cancelled. */
  consume(orderId: string, budget: { budgetId: string; periodKey: string }, amount: number): void {
    const held = this.sql
      .exec<{ released: number }>('SELECT released FROM order_budget WHERE order_id = ?', orderId)
      .toArray()[0];
    if (held?.released === 0) return;
    // a share given back by a dropped attempt under the same key (same order id) is taken again
    if (held) this.sql.exec('DELETE FROM order_budget WHERE order_id = ?', orderId);
    this.sql.exec(
      'INSERT INTO order_budget (order_id, budget_id, period_key, amount_minor) VALUES (?, ?, ?, ?)',
      orderId,
      budget.budgetId,
      budget.periodKey,
      amount,
    );
    this.sql.exec(
      `INSERT INTO budget_consumption (budget_id, period_key, consumed_minor) VALUES (?, ?, ?)
       ON CONFLICT (budget_id, period_key) DO UPDATE SET consumed_minor = consumed_minor + excluded.consumed_minor`,
      budget.budgetId,
      budget.periodKey,
      amount,
    );
  }

  release(orderId: string): void {
    const held = this.sql
      .exec<{ budget_id: string; period_key: string; amount_minor: number }>(
        'SELECT budget_id, period_key, amount_minor FROM order_budget WHERE order_id = ? AND released = 0',
        orderId,
      )
      .toArray()[0];
    if (!held) return;
    this.sql.exec(
      'UPDATE budget_consumption SET consumed_minor = consumed_minor - ? WHERE budget_id = ? AND period_key = ?',
      held.amount_minor,
      held.budget_id,
      held.period_key,
    );
    this.sql.exec('UPDATE order_budget SET released = 1 WHERE order_id = ?', orderId);
  }

  /** The budget a period has left, for the checkout page. */
  consumed(budgetId: string, key: string): number {
    return (
      this.sql
        .exec<{ c: number }>(
          'SELECT consumed_minor AS c FROM budget_consumption WHERE budget_id = ? AND period_key = ?',
          budgetId,
          key,
        )
        .toArray()[0]?.c ?? 0
    );
  }
}

import { createDatabase } from '../db/client';
import { runBatch } from '../db/queries/bulk';
import { getOrder } from '../db/queries/orders';
import type { ApprovalStep } from '../domain/approvals';
import type { CheckoutInput } from '../domain/checkout';
import type { FieldIssue } from '../domain/errors';
import { formatId } from '../domain/ids';
import type { Env } from '../env';
import { log } from '../lib/log';
import { orderStatements } from '../services/order-writes';
import { enqueueOutbox } from '../services/outbox-relay';
import { BudgetLedger } from './budget-ledger';
import type { CartStore } from './cart-store';
import { type ApprovalFacts, decideApproval, planCheckout, tightestBudget } from './checkout-plan';

/**
 * Checkout inside the company's Durable Object. The object is the one writer for its company, but a
 * checkout awaits D1 and KV, and other requests run in between; so every decision that must not race
 * (the cart lock, the idempotency record, the budget reservation) is taken in a synchronous block of
 * storage calls, which nothing can interleave with.
 */
export const CHECKOUT_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS checkouts (
    idempotency_key TEXT PRIMARY KEY, cart_id TEXT NOT NULL, user_id TEXT NOT NULL, order_id TEXT NOT NULL,
    state TEXT NOT NULL, decision TEXT, result TEXT, started_at INTEGER NOT NULL, finished_at INTEGER)`,
  'CREATE INDEX IF NOT EXISTS checkouts_cart ON checkouts (cart_id, state)',
  `CREATE TABLE IF NOT EXISTS budget_consumption (
    budget_id TEXT NOT NULL, period_key TEXT NOT NULL, consumed_minor INTEGER NOT NULL,
    PRIMARY KEY (budget_id, period_key))`,
  `CREATE TABLE IF NOT EXISTS order_budget (
    order_id TEXT PRIMARY KEY, budget_id TEXT NOT NULL, period_key TEXT NOT NULL, amount_minor INTEGER NOT NULL,
    released INTEGER NOT NULL DEFAULT 0)`,
  `CREATE TABLE IF NOT EXISTS approvals (
    order_id TEXT PRIMARY KEY, requester_id TEXT NOT NULL, status TEXT NOT NULL, steps TEXT NOT NULL,
    step_index INTEGER NOT NULL, decisions TEXT NOT NULL, total_minor INTEGER NOT NULL, currency TEXT NOT NULL,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS approvals_status ON approvals (status, created_at)',
];

export interface CheckoutRequest {
  companyId: string;
  userId: string;
  cartId: string;
  idempotencyKey: string;
  input: CheckoutInput;
  requestId: string;
  now: number;
}

export type CheckoutOutcome = {
  status: 'placed' | 'pending_approval';
  orderId: string;
  currency: string;
  totalMinor: number;
  lineCount: number;
  priceGeneration: number | null;
  approvalSteps: ApprovalStep[];
};

export type CheckoutResult =
  | { ok: true; value: CheckoutOutcome }
  | { ok: false; code: 'not_found' | 'conflict' | 'unprocessable'; message: string; issues?: FieldIssue[] };

interface CheckoutRow extends Record<string, SqlStorageValue> {
  idempotency_key: string;
  cart_id: string;
  user_id: string;
  order_id: string;
  state: 'in_progress' | 'done';
  decision: string | null;
  result: string | null;
}

interface Decision {
  status: 'placed' | 'pending_approval';
  steps: ApprovalStep[];
  budget: { budgetId: string; periodKey: string } | null;
}

/** The order id of a checkout: the same company and Idempotency-Key always give the same id. */
export async function orderIdFor(companyId: string, idempotencyKey: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`${companyId}\n${idempotencyKey}`),
  );
  return formatId('ord', new Uint8Array(digest));
}

const conflict = (message: string): Extract<CheckoutResult, { ok: false }> => ({
  ok: false,
  code: 'conflict',
  message,
});

export class Checkouts {
  /** keys whose checkout runs in this instance right now; an in-progress row not listed here was interrupted */
  private readonly running = new Set<string>();
  /** test seam: fail right after the order's SQL batch, before the object records it */
  failAfterOrderWrite = false;

  readonly budgets: BudgetLedger;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
    private readonly carts: CartStore,
  ) {
    this.budgets = new BudgetLedger(storage);
  }

  private get sql() {
    return this.storage.sql;
  }

  private row(key: string): CheckoutRow | undefined {
    return this.sql.exec<CheckoutRow>('SELECT * FROM checkouts WHERE idempotency_key = ?', key).toArray()[0];
  }

  async checkout(req: CheckoutRequest): Promise<CheckoutResult> {
    const orderId = await orderIdFor(req.companyId, req.idempotencyKey);
    // ---- synchronous: idempotency record and cart lock ----
    const existing = this.row(req.idempotencyKey);
    if (existing && (existing.cart_id !== req.cartId || existing.user_id !== req.userId)) {
      return conflict('This Idempotency-Key was used for another checkout; use a new key');
    }
    if (existing?.state === 'done' && existing.result)
      return { ok: true, value: JSON.parse(existing.result) };
    if (existing && this.running.has(req.idempotencyKey)) {
      return conflict('A checkout with this Idempotency-Key is in progress; retry in a moment');
    }
    const others = this.sql
      .exec<CheckoutRow>(
        "SELECT * FROM checkouts WHERE cart_id = ? AND idempotency_key != ? AND state = 'in_progress'",
        req.cartId,
        req.idempotencyKey,
      )
      .toArray();
    if (others.some((o) => this.running.has(o.idempotency_key))) {
      return conflict('This cart is being checked out by another request');
    }
    if (!existing) {
      const cart = this.carts.get(req.userId, req.cartId);
      if (!('lines' in cart)) return this.missingCart(req.cartId);
      // the lock: any request arriving while this one awaits sees this row and this key running
      this.sql.exec(
        "INSERT INTO checkouts (idempotency_key, cart_id, user_id, order_id, state, started_at) VALUES (?, ?, ?, ?, 'in_progress', ?)",
        req.idempotencyKey,
        req.cartId,
        req.userId,
        orderId,
        req.now,
      );
    }
    this.running.add(req.idempotencyKey);
    try {
      // an interrupted checkout of this cart under another key: finish it if its order exists, else drop it
      for (const other of others) {
        if (await this.recover(other, req)) {
          return this.abandon(req, conflict('This cart has already been checked out'));
        }
      }
      return await this.run(req, orderId, existing !== undefined);
    } finally {
      this.running.delete(req.idempotencyKey);
    }
  }

  /** A cart that is gone because it became an order is a conflict (409), not a missing resource. */
  private missingCart(cartId: string): Extract<CheckoutResult, { ok: false }> {
    const ordered =
      this.sql.exec("SELECT 1 FROM checkouts WHERE cart_id = ? AND state = 'done'", cartId).toArray().length >
      0;
    return ordered
      ? conflict('This cart has already been checked out')
      : { ok: false, code: 'not_found', message: 'Cart not found' };
  }

  /** True when the interrupted checkout had written its order (the cart is now consumed). */
  private async recover(other: CheckoutRow, req: CheckoutRequest): Promise<boolean> {
    const db = createDatabase(this.env);
    const found = await getOrder(db, req.companyId, other.order_id);
    if (found) {
      this.finish(other, this.outcomeFromOrder(found.order, other), req.now);
      return true;
    }
    this.storage.transactionSync(() => {
      this.budgets.release(other.order_id);
      this.sql.exec('DELETE FROM checkouts WHERE idempotency_key = ?', other.idempotency_key);
    });
    return false;
  }

  private outcomeFromOrder(
    order: {
      id: string;
      status: string;
      currency: string;
      totalMinor: number;
      lineCount: number;
      priceGeneration: number | null;
    },
    row: CheckoutRow,
  ): CheckoutOutcome {
    const decision: Decision | null = row.decision ? JSON.parse(row.decision) : null;
    return {
      status: order.status === 'pending_approval' ? 'pending_approval' : 'placed',
      orderId: order.id,
      currency: order.currency,
      totalMinor: order.totalMinor,
      lineCount: order.lineCount,
      priceGeneration: order.priceGeneration,
      approvalSteps: decision?.steps ?? [],
    };
  }

  private async run(req: CheckoutRequest, orderId: string, resumed: boolean): Promise<CheckoutResult> {
    const row = this.row(req.idempotencyKey);
    if (!row) return conflict('The checkout was interrupted; retry');
    const db = createDatabase(this.env);
    // a retry after a crash between the SQL write and the bookkeeping: the order is there, just finish.
    // Only a resumed key can have written one; a fresh checkout skips the lookup.
    const written = resumed ? await getOrder(db, req.companyId, orderId) : undefined;
    if (written)
      return { ok: true, value: this.finish(row, this.outcomeFromOrder(written.order, row), req.now) };

    const cart = this.carts.get(req.userId, req.cartId);
    if (!('lines' in cart))
      return this.abandon(req, { ok: false, code: 'not_found', message: 'Cart not found' });
    const plan = await planCheckout(this.env, cart, req);
    if (plan.issues.length > 0 || !plan.resolved) {
      return this.abandon(req, {
        ok: false,
        code: 'unprocessable',
        message: 'The cart cannot be checked out',
        issues: plan.issues,
      });
    }
    const { priced, resolved } = plan;
    const total = plan.approval.total;

    // ---- synchronous: budget remaining, decision and reservation, so racing orders cannot overspend ----
    const decision = this.decide(row, req, plan.approval);
    if ('refused' in decision)
      return this.abandon(req, { ok: false, code: 'unprocessable', message: decision.refused });

    try {
      await runBatch(
        db,
        orderStatements(db, {
          id: orderId,
          companyId: req.companyId,
          placedBy: req.userId,
          cartId: req.cartId,
          idempotencyKey: req.idempotencyKey,
          status: decision.status,
          currency: priced.currency,
          subtotalMinor: priced.totals.subtotalMinor,
          discountMinor: priced.totals.offerDiscountMinor,
          totalMinor: total,
          offers: priced.offers.applied.map((o) => ({
            offerId: o.offerId,
            name: o.name,
            discountMinor: o.discountMinor,
            explanation: o.explanation,
          })),
          checkout: resolved,
          priceGeneration: priced.priceGeneration,
          lines: priced.lines,
          requestId: req.requestId,
          at: req.now,
        }),
      );
    } catch (err) {
      // The batch may or may not have committed (a lost answer): keep the record and the budget. A retry
      // with the same key finds the order or writes it; another key recovers this one first.
      log('error', 'order write failed', {
        orderId,
        message: err instanceof Error ? err.message : String(err),
      });
      throw err;
    }
    if (this.failAfterOrderWrite) throw new Error('injected failure after the order write');
    const outcome: CheckoutOutcome = {
      status: decision.status,
      orderId,
      currency: priced.currency,
      totalMinor: total,
      lineCount: priced.lines.length,
      priceGeneration: priced.priceGeneration,
      approvalSteps: decision.steps,
    };
    this.finish(row, outcome, req.now);
    await enqueueOutbox(this.env, req.companyId, orderId).catch((err: unknown) =>
      log('warn', 'notifications left to the outbox relay', { orderId, message: String(err) }),
    );
    return { ok: true, value: outcome };
  }

  private decide(
    row: CheckoutRow,
    req: CheckoutRequest,
    facts: ApprovalFacts,
  ): Decision | { refused: string } {
    const budget = tightestBudget(facts, req.now, (id, key) => this.budgets.consumed(id, key));
    const chain = decideApproval(facts, req.userId, budget);
    if (chain.outcome === 'refused') return { refused: chain.reason };
    const decision: Decision = {
      status: chain.outcome === 'needs_approval' ? 'pending_approval' : 'placed',
      steps: chain.outcome === 'needs_approval' ? chain.steps : [],
      budget: budget ? { budgetId: budget.budgetId, periodKey: budget.periodKey } : null,
    };
    this.storage.transactionSync(() => {
      if (decision.budget) this.budgets.consume(row.order_id, decision.budget, facts.total);
      this.sql.exec(
        'UPDATE checkouts SET decision = ? WHERE idempotency_key = ?',
        JSON.stringify(decision),
        row.idempotency_key,
      );
    });
    return decision;
  }

  /** What checking out would do now, without doing it: defaults, problems, budget left, approval needed. */
  async preview(req: Omit<CheckoutRequest, 'idempotencyKey' | 'requestId'>) {
    const cart = this.carts.get(req.userId, req.cartId);
    if (!('lines' in cart)) return this.missingCart(req.cartId);
    const plan = await planCheckout(this.env, cart, req);
    const budget = tightestBudget(plan.approval, req.now, (id, key) => this.budgets.consumed(id, key));
    const chain = decideApproval(plan.approval, req.userId, budget);
    return {
      ok: true as const,
      value: {
        cartVersion: cart.version,
        currency: plan.priced.currency,
        totalMinor: plan.approval.total,
        lineCount: plan.priced.lines.length,
        defaults: plan.resolved,
        problems: plan.issues,
        budget,
        outcome:
          plan.issues.length > 0
            ? ('blocked' as const)
            : chain.outcome === 'refused'
              ? ('refused' as const)
              : chain.outcome === 'needs_approval'
                ? ('pending_approval' as const)
                : ('placed' as const),
        refusal: chain.outcome === 'refused' ? chain.reason : null,
        approvalSteps: chain.outcome === 'needs_approval' ? chain.steps : [],
      },
    };
  }

  private abandon(req: CheckoutRequest, result: CheckoutResult): CheckoutResult {
    const row = this.row(req.idempotencyKey);
    this.storage.transactionSync(() => {
      if (row) this.budgets.release(row.order_id);
      this.sql.exec(
        "DELETE FROM checkouts WHERE idempotency_key = ? AND state = 'in_progress'",
        req.idempotencyKey,
      );
    });
    return result;
  }

  /** The object's own bookkeeping after the order exists in SQL: cart consumed, approval opened, key done. */
  private finish(row: CheckoutRow, outcome: CheckoutOutcome, at: number): CheckoutOutcome {
    this.storage.transactionSync(() => {
      this.sql.exec('DELETE FROM cart_lines WHERE cart_id = ?', row.cart_id);
      this.sql.exec('DELETE FROM carts WHERE id = ?', row.cart_id);
      if (outcome.status === 'pending_approval') {
        this.sql.exec(
          `INSERT INTO approvals (order_id, requester_id, status, steps, step_index, decisions, total_minor, currency, created_at, updated_at)
           VALUES (?, ?, 'pending', ?, 0, '[]', ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING`,
          outcome.orderId,
          row.user_id,
          JSON.stringify(outcome.approvalSteps),
          outcome.totalMinor,
          outcome.currency,
          at,
          at,
        );
      }
      this.sql.exec(
        "UPDATE checkouts SET state = 'done', result = ?, finished_at = ? WHERE idempotency_key = ?",
        JSON.stringify(outcome),
        at,
        row.idempotency_key,
      );
    });
    return outcome;
  }
}

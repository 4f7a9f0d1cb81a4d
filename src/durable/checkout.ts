import { runBatch } from '../db/queries/bulk';
import { getOrder } from '../db/queries/orders';
import type { Env } from '../env';
import { log } from '../lib/log';
import { type Phase, PhaseClock } from '../lib/timing';
import { orderOutbox, orderStatements, pricedOrder, withCartStart } from '../services/order-writes';
import type { Approvals } from './approvals';
import { refusedDisposal } from './cart-model';
import type { CartStore } from './cart-store';
import {
  type ApprovalFacts,
  decideApproval,
  type PlanContext,
  periodLimitState,
  planCheckout,
  tightestBudget,
} from './checkout-plan';
import {
  type CheckoutDecision,
  type CheckoutOutcome,
  type CheckoutRecords,
  type CheckoutRequest,
  type CheckoutRow,
  orderIdFor,
  requestFingerprint,
  sameRequest,
} from './checkout-record';
import { outcomeFromOrder, recoverInterrupted } from './checkout-recovery';
import { faultPoint } from './faults';
import type { NotificationSender } from './notification-sender';
import { fail, type ObjectFailure, type ObjectResult, ok } from './result';
import type { OrderHolds } from './user-spend';

/**
 * Checkout inside the company's Durable Object. The object is the one writer for its company, but a
 * checkout awaits D1 and KV, and other requests run in between; so every decision that must not race
 * (the cart lock, the idempotency record, the budget reservation) is taken in a synchronous block of
 * storage calls, which nothing can interleave with.
 */
export class Checkouts {
  /** keys whose checkout runs in this instance right now; an in-progress row not listed here was interrupted */
  private readonly running = new Set<string>();

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
    private readonly companyId: string,
    private readonly records: CheckoutRecords,
    private readonly carts: CartStore,
    private readonly plan: PlanContext,
    private readonly approvals: Approvals,
    private readonly holds: OrderHolds,
    private readonly notifications: NotificationSender,
  ) {}

  /** The checkout's result, with how long each of its phases took in the object (Server-Timing). */
  async checkout(req: CheckoutRequest): Promise<ObjectResult<CheckoutOutcome> & { phases: Phase[] }> {
    const clock = new PhaseClock();
    const result = await this.checkoutTimed(req, clock);
    clock.add([{ name: 'in-object', ms: clock.total() }]);
    return { ...result, phases: clock.phases };
  }

  private async checkoutTimed(
    req: CheckoutRequest,
    clock: PhaseClock,
  ): Promise<ObjectResult<CheckoutOutcome>> {
    const [orderId, fingerprint] = await Promise.all([
      orderIdFor(this.companyId, req.idempotencyKey),
      requestFingerprint(req),
    ]);
    // ---- synchronous: idempotency record and cart lock ----
    const existing = this.records.get(req.idempotencyKey);
    if (existing && !sameRequest(existing, req, fingerprint)) {
      return fail(
        'idempotency_key_reused',
        'This Idempotency-Key was used for a different checkout (another cart, user or body); use a new key',
        [{ path: 'idempotency-key', message: 'already used for a different request' }],
      );
    }
    if (existing?.state === 'done' && existing.result) return ok(JSON.parse(existing.result));
    if (existing && this.running.has(req.idempotencyKey)) {
      return fail('conflict', 'A checkout with this Idempotency-Key is in progress; retry in a moment');
    }
    const others = this.records.othersInProgress(req.cartId, req.idempotencyKey);
    if (others.some((o) => this.running.has(o.idempotency_key))) {
      return fail('cart_locked', 'This cart is being checked out by another request');
    }
    if (!existing) {
      const cart = this.carts.get(req.userId, req.cartId);
      if (!('lines' in cart)) return this.missingCart(req.cartId);
      const refused = refusedDisposal(cart, req, 'check out');
      if (refused) return refused;
      // the lock: any request arriving while this one awaits sees this row and this key running
      this.records.open(req, orderId, fingerprint);
    }
    this.running.add(req.idempotencyKey);
    this.carts.hold(req.cartId);
    clock.lap('lock');
    try {
      // an interrupted checkout of this cart under another key: finish it if its order exists, else drop it
      for (const other of others) {
        if (await recoverInterrupted(this.recovery, other, req.now)) {
          return this.abandon(req, this.orderedBefore(req));
        }
      }
      if (others.length > 0) {
        // a recovered or dropped checkout may have changed what SQL holds of the user's orders
        this.plan.facts.ordersChanged();
        clock.lap('recover');
      }
      return await this.run(req, orderId, existing !== undefined, clock);
    } finally {
      this.running.delete(req.idempotencyKey);
      this.carts.release(req.cartId);
    }
  }

  /** What recovery needs of this checkout: the company, the records, the ledger and the bookkeeping. */
  private get recovery() {
    return {
      env: this.env,
      companyId: this.companyId,
      storage: this.storage,
      records: this.records,
      holds: this.holds,
      finish: (row: CheckoutRow, outcome: CheckoutOutcome, at: number) => this.finish(row, outcome, at),
    };
  }

  /** An interrupted checkout of the cart had placed its order: the cart is gone, or was kept because it changed. */
  private orderedBefore(req: CheckoutRequest): ObjectFailure {
    return 'lines' in this.carts.get(req.userId, req.cartId)
      ? fail(
          'conflict',
          'An earlier checkout of this cart placed its order; the cart changed after it was priced and was kept: review it and check out again',
        )
      : fail('conflict', 'This cart has already been checked out');
  }

  /** A cart that is gone because it became an order is a conflict (409), not a missing resource. */
  missingCart(cartId: string): ObjectFailure {
    return this.records.orderedCart(cartId)
      ? fail('conflict', 'This cart has already been checked out')
      : fail('not_found', 'Cart not found');
  }

  private async run(
    req: CheckoutRequest,
    orderId: string,
    resumed: boolean,
    clock: PhaseClock,
  ): Promise<ObjectResult<CheckoutOutcome>> {
    const row = this.records.get(req.idempotencyKey);
    if (!row) return fail('conflict', 'The checkout was interrupted; retry');
    const { db } = this.plan;
    // a retry after a crash between the SQL write and the bookkeeping: the order is there, just finish.
    // Only a resumed key can have written one; a fresh checkout skips the lookup.
    const written = resumed ? await getOrder(db, this.companyId, orderId) : undefined;
    if (resumed) clock.lap('find-order');
    if (written) {
      const outcome = outcomeFromOrder(written.order, this.records.decisionOf(row));
      return ok(this.finish(row, outcome, req.now));
    }

    const cart = this.carts.get(req.userId, req.cartId);
    if (!('lines' in cart)) return this.abandon(req, fail('not_found', 'Cart not found'));
    const plan = await planCheckout(this.plan, cart, req, clock);
    clock.lap('plan');
    if (plan.issues.length > 0 || !plan.resolved) {
      return this.abandon(req, fail('unprocessable', 'The cart cannot be checked out', plan.issues));
    }
    const { priced, resolved } = plan;

    // ---- synchronous: budget remaining, decision and reservation, so racing orders cannot overspend ----
    const decision = this.decide(row, req, plan.approval, cart.version);
    if ('refused' in decision) return this.abandon(req, fail('unprocessable', decision.refused));
    clock.lap('decide');
    await faultPoint(this.env, 'checkout.decided', req);

    const order = withCartStart(
      pricedOrder(
        {
          id: orderId,
          companyId: this.companyId,
          placedBy: req.userId,
          cartId: req.cartId,
          idempotencyKey: req.idempotencyKey,
          status: decision.status,
          requestId: req.requestId,
          at: req.now,
          // a cart a sales rep prepared is `rep_assisted` even when its buyer checks it out (docs/rep-workspace.md)
          channel: req.channel?.channel ?? (cart.preparedBy ? 'rep_assisted' : 'web'),
          channelRef: req.channel?.ref ?? cart.preparedBy ?? null,
        },
        priced,
        resolved,
      ),
      cart.lines,
    );
    try {
      // what earlier orders sent is marked in the same write (notification-sender.ts)
      const marks = this.notifications.marks(req.now);
      await runBatch(db, [...orderStatements(db, order), ...marks.statements]);
      marks.done();
      clock.lap('d1-write');
      this.plan.facts.ordered(req.userId, { ...resolved, at: req.now });
    } catch (err) {
      // The batch may or may not have committed (a lost answer): keep the record and the budget. A retry
      // with the same key finds the order or writes it; another key recovers this one first.
      log('error', 'order write failed', {
        orderId,
        message: err instanceof Error ? err.message : String(err),
      });
      throw err;
    }
    await faultPoint(this.env, 'checkout.order-written', req);
    const outcome: CheckoutOutcome = {
      status: decision.status,
      orderId,
      currency: priced.currency,
      totalMinor: order.totalMinor,
      lineCount: priced.lines.length,
      priceGeneration: priced.priceGeneration,
      approvalSteps: decision.steps,
    };
    this.finish(row, outcome, req.now);
    clock.lap('finish');
    this.notifications.send(orderId, orderOutbox(order));
    return ok(outcome);
  }

  private decide(
    row: CheckoutRow,
    req: CheckoutRequest,
    facts: ApprovalFacts,
    cartVersion: number,
  ): CheckoutDecision | { refused: string } {
    const budget = tightestBudget(facts, req.now, (id, key) => this.holds.budgets.consumed(id, key));
    const cap = periodLimitState(facts, (bounds, fromSql) =>
      this.holds.spend.spent(req.userId, bounds, fromSql, row.order_id),
    );
    const asked = decideApproval(facts, req.userId, budget, cap);
    if (asked.outcome === 'refused') return { refused: asked.reason };
    // approved in the partner's system: no approval steps here; the budget and the cap are still charged
    const chain = req.trustedApproval ? { outcome: 'approve_automatically' as const } : asked;
    const decision: CheckoutDecision = {
      status: chain.outcome === 'needs_approval' ? 'pending_approval' : 'placed',
      steps: chain.outcome === 'needs_approval' ? chain.steps : [],
      budget: budget ? { budgetId: budget.budgetId, periodKey: budget.periodKey } : null,
    };
    this.storage.transactionSync(() => {
      if (decision.budget) this.holds.budgets.consume(row.order_id, decision.budget, facts.total);
      this.holds.spend.consume(row.order_id, req.userId, facts.total, req.now);
      this.records.decided(row.idempotency_key, decision, cartVersion);
    });
    return decision;
  }

  private abandon(req: CheckoutRequest, result: ObjectFailure): ObjectFailure {
    const row = this.records.get(req.idempotencyKey);
    this.storage.transactionSync(() => {
      if (row) this.holds.release(row.order_id);
      this.records.drop(req.idempotencyKey);
    });
    return result;
  }

  /**
   * The object's bookkeeping once the order exists in SQL: cart consumed (unless it changed after it was
   * priced), approval opened, key done. The priced version is read afresh: `row` may predate the decision.
   */
  private finish(row: CheckoutRow, outcome: CheckoutOutcome, at: number): CheckoutOutcome {
    const pricedVersion = this.records.get(row.idempotency_key)?.cart_version ?? null;
    this.storage.transactionSync(() => {
      this.carts.consume(row.cart_id, pricedVersion);
      if (outcome.status === 'pending_approval') {
        this.approvals.open({
          orderId: outcome.orderId,
          requesterId: row.user_id,
          steps: outcome.approvalSteps,
          totalMinor: outcome.totalMinor,
          currency: outcome.currency,
          at,
        });
      }
      this.records.done(row.idempotency_key, outcome, at);
    });
    return outcome;
  }
}

import { DurableObject } from 'cloudflare:workers';
import { MAX_QUANTITY } from '../domain/pricing/engine';
import type { Env } from '../env';
import type { ApprovalView, Approver } from './approval-steps';
import { Approvals } from './approvals';
import { BudgetLedger } from './budget-ledger';
import {
  type CartActor,
  type CartRecord,
  type CartSummary,
  type ExpectedVersion,
  refusedDisposal,
} from './cart-model';
import { CartStore } from './cart-store';
import { Checkouts } from './checkout';
import { previewCheckout } from './checkout-preview';
import {
  type CheckoutOutcome,
  CheckoutRecords,
  type CheckoutRequest,
  type PreviewRequest,
} from './checkout-record';
import { type Delegation, Delegations } from './delegations';
import { type ObjectResult, ok } from './result';
import { companyOf, migrate } from './schema';
import { OrderHolds, UserSpend } from './user-spend';

/**
 * One object per customer company: everything that must not race for that company (carts, checkout,
 * approvals, delegations, budgets, idempotency records) goes through here. The object knows its company
 * from its name (see `companyOf`), so no method takes a company id; callers reach it through
 * `companyObject(env, scope)` in ./client.ts. Expected failures are returned as values (./result.ts).
 */
export class OrganizationDO extends DurableObject<Env> {
  private readonly companyId: string;
  private readonly schemaVersion: number;
  private readonly carts: CartStore;
  private readonly delegations: Delegations;
  private readonly holds: OrderHolds;
  private readonly approvals: Approvals;
  private readonly checkouts: Checkouts;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // storage calls are synchronous: the schema and the company are settled before any call is served
    this.schemaVersion = migrate(ctx.storage);
    this.companyId = companyOf(ctx.storage, ctx.id.name);
    this.carts = new CartStore(ctx.storage);
    this.delegations = new Delegations(ctx.storage);
    this.holds = new OrderHolds(new BudgetLedger(ctx.storage), new UserSpend(ctx.storage));
    this.approvals = new Approvals(
      ctx.storage,
      env,
      this.companyId,
      this.carts,
      this.delegations,
      this.holds,
    );
    this.checkouts = new Checkouts(
      ctx.storage,
      env,
      this.companyId,
      new CheckoutRecords(ctx.storage),
      this.carts,
      this.approvals,
      this.holds,
    );
  }

  /** Reports the object's company and storage version. */
  async describe(): Promise<{ companyId: string; schemaVersion: number }> {
    return { companyId: this.companyId, schemaVersion: this.schemaVersion };
  }

  async listCarts(userId: string): Promise<CartSummary[]> {
    return this.carts.list(userId);
  }

  async currentCart(userId: string): Promise<CartRecord> {
    return this.carts.current(userId);
  }

  async getCart(userId: string, cartId: string): Promise<ObjectResult<CartRecord>> {
    const found = this.carts.get(userId, cartId);
    return 'lines' in found ? ok(found) : found;
  }

  async createCart(
    userId: string,
    input: { name: string; shared: boolean; copyFrom?: string },
  ): Promise<ObjectResult<CartRecord>> {
    return this.carts.create(userId, input);
  }

  /** Renames, shares or unshares a cart: its owner or a company admin (see `refusedDisposal`). */
  async updateCart(
    actor: CartActor,
    cartId: string,
    expected: ExpectedVersion,
    changes: { name?: string; shared?: boolean },
  ): Promise<ObjectResult<CartRecord>> {
    return this.carts.update(actor, cartId, expected, changes);
  }

  /** Deletes a cart: its owner or a company admin (see `refusedDisposal`). */
  async deleteCart(actor: CartActor, cartId: string, expected: ExpectedVersion): Promise<ObjectResult<null>> {
    return this.carts.remove(actor, cartId, expected);
  }

  async addCartLines(
    userId: string,
    cartId: string,
    expected: ExpectedVersion,
    lines: { sku: string; quantity: number }[],
  ): Promise<ObjectResult<CartRecord>> {
    return this.carts.addLines(userId, cartId, expected, lines, MAX_QUANTITY);
  }

  async updateCartLine(
    userId: string,
    cartId: string,
    lineId: string,
    expected: ExpectedVersion,
    quantity: number,
  ): Promise<ObjectResult<CartRecord>> {
    return this.carts.updateLine(userId, cartId, lineId, expected, quantity);
  }

  async deleteCartLine(
    userId: string,
    cartId: string,
    lineId: string,
    expected: ExpectedVersion,
  ): Promise<ObjectResult<CartRecord>> {
    return this.carts.removeLine(userId, cartId, lineId, expected);
  }

  /** Pending approval requests the actor can act on now (directly or standing in for someone). */
  async listApprovals(actor: Approver, at: number): Promise<ApprovalView[]> {
    return this.approvals.actionable(actor, at);
  }

  async decideApproval(
    actor: Approver,
    orderId: string,
    verdict: 'approve' | 'reject',
    comment: string | null,
    requestId: string,
    at: number,
  ): Promise<ObjectResult<ApprovalView>> {
    return this.approvals.decide(actor, orderId, verdict, comment, requestId, at);
  }

  async cancelOrder(
    actor: { userId: string; isAdmin: boolean },
    orderId: string,
    reason: string | null,
    requestId: string,
    at: number,
  ): Promise<ObjectResult<null>> {
    return this.approvals.cancel(actor, orderId, reason, requestId, at);
  }

  async createDelegation(
    input: { delegatorId: string; substituteId: string; startsAt: number; endsAt: number },
    at: number,
  ): Promise<ObjectResult<Delegation>> {
    return this.delegations.create(input, at);
  }

  async listDelegations(userId: string): Promise<Delegation[]> {
    return this.delegations.list(userId);
  }

  async revokeDelegation(userId: string, id: string, at: number): Promise<ObjectResult<null>> {
    return this.delegations.revoke(userId, id, at);
  }

  /** What checking out this cart would do now: defaults, problems, remaining budget, approvals needed. */
  async checkoutPreview(request: PreviewRequest) {
    const cart = this.carts.get(request.userId, request.cartId);
    if (!('lines' in cart)) return this.checkouts.missingCart(request.cartId);
    const refused = refusedDisposal(cart, request, 'check out');
    if (refused) return refused;
    return ok(await previewCheckout(this.env, this.companyId, cart, request, this.holds));
  }

  /** Checks a cart out into an order (placed or awaiting approval); idempotent per Idempotency-Key. */
  async checkout(request: CheckoutRequest): Promise<ObjectResult<CheckoutOutcome>> {
    return this.checkouts.checkout(request);
  }
}

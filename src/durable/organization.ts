import { DurableObject } from 'cloudflare:workers';
import { MAX_QUANTITY } from '../domain/pricing/engine';
import type { Env } from '../env';
import {
  APPROVAL_SCHEMA,
  type ApprovalResult,
  Approvals,
  type ApprovalView,
  type Approver,
  type Delegation,
} from './approvals';
import {
  CART_SCHEMA,
  type CartRecord,
  type CartResult,
  CartStore,
  type CartSummary,
  type ExpectedVersion,
} from './cart-store';
import { CHECKOUT_SCHEMA, type CheckoutRequest, type CheckoutResult, Checkouts } from './checkout';

/** Storage schema versions, applied in order; each step is idempotent. */
const MIGRATIONS: string[][] = [
  ['CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)'],
  CART_SCHEMA,
  CHECKOUT_SCHEMA,
  APPROVAL_SCHEMA,
];
const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * One object per customer company: everything that must not race for that company (carts, checkout,
 * approvals, delegations, budgets, idempotency records) goes through here. Carts live here today;
 * checkout, approvals and budgets arrive with the rest of their issue and reject work until then.
 */
export class OrganizationDO extends DurableObject<Env> {
  private readonly carts: CartStore;
  /** public for tests only (fault injection through runInDurableObject); routes go through the methods */
  readonly checkouts: Checkouts;
  private readonly approvals: Approvals;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.carts = new CartStore(ctx.storage);
    this.checkouts = new Checkouts(ctx.storage, env, this.carts);
    this.approvals = new Approvals(ctx.storage, env, this.carts, this.checkouts);
    ctx.blockConcurrencyWhile(async () => this.migrate());
  }

  private migrate(): void {
    const sql = this.ctx.storage.sql;
    sql.exec(MIGRATIONS[0]?.[0] ?? '');
    const row = sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'")
      .toArray()[0];
    const current = row ? Number(row.value) : 0;
    if (current >= SCHEMA_VERSION) return;
    this.ctx.storage.transactionSync(() => {
      for (const step of MIGRATIONS.slice(current)) for (const statement of step) sql.exec(statement);
      sql.exec(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        String(SCHEMA_VERSION),
      );
    });
  }

  /** Binds the object to its company on first use; a call for another company is a routing bug and fails. */
  private bind(companyId: string): void {
    const sql = this.ctx.storage.sql;
    sql.exec("INSERT INTO meta (key, value) VALUES ('company_id', ?) ON CONFLICT(key) DO NOTHING", companyId);
    const bound = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'company_id'").one().value;
    if (bound !== companyId) throw new Error(`OrganizationDO bound to ${bound} was asked about ${companyId}`);
  }

  /** Reports the object's company and storage version. */
  async describe(companyId: string): Promise<{ companyId: string; schemaVersion: number }> {
    this.bind(companyId);
    const version = this.ctx.storage.sql
      .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema_version'")
      .one().value;
    return { companyId, schemaVersion: Number(version) };
  }

  async listCarts(companyId: string, userId: string): Promise<CartSummary[]> {
    this.bind(companyId);
    return this.carts.list(userId);
  }

  async currentCart(companyId: string, userId: string): Promise<CartRecord> {
    this.bind(companyId);
    return this.carts.current(userId);
  }

  async getCart(companyId: string, userId: string, cartId: string): Promise<CartResult<CartRecord>> {
    this.bind(companyId);
    const found = this.carts.get(userId, cartId);
    return 'lines' in found ? { ok: true, value: found } : found;
  }

  async createCart(
    companyId: string,
    userId: string,
    input: { name: string; shared: boolean; copyFrom?: string },
  ): Promise<CartResult<CartRecord>> {
    this.bind(companyId);
    return this.carts.create(userId, input);
  }

  async updateCart(
    companyId: string,
    userId: string,
    cartId: string,
    expected: ExpectedVersion,
    changes: { name?: string; shared?: boolean },
  ): Promise<CartResult<CartRecord>> {
    this.bind(companyId);
    return this.carts.update(userId, cartId, expected, changes);
  }

  async deleteCart(
    companyId: string,
    userId: string,
    cartId: string,
    expected: ExpectedVersion,
  ): Promise<CartResult<null>> {
    this.bind(companyId);
    return this.carts.remove(userId, cartId, expected);
  }

  async addCartLines(
    companyId: string,
    userId: string,
    cartId: string,
    expected: ExpectedVersion,
    lines: { sku: string; quantity: number }[],
  ): Promise<CartResult<CartRecord>> {
    this.bind(companyId);
    return this.carts.addLines(userId, cartId, expected, lines, MAX_QUANTITY);
  }

  async updateCartLine(
    companyId: string,
    userId: string,
    cartId: string,
    lineId: string,
    expected: ExpectedVersion,
    quantity: number,
  ): Promise<CartResult<CartRecord>> {
    this.bind(companyId);
    return this.carts.updateLine(userId, cartId, lineId, expected, quantity);
  }

  async deleteCartLine(
    companyId: string,
    userId: string,
    cartId: string,
    lineId: string,
    expected: ExpectedVersion,
  ): Promise<CartResult<CartRecord>> {
    this.bind(companyId);
    return this.carts.removeLine(userId, cartId, lineId, expected);
  }

  /** Pending approval requests the actor can act on now (directly or standing in for someone). */
  async listApprovals(companyId: string, actor: Approver, at: number): Promise<ApprovalView[]> {
    this.bind(companyId);
    return this.approvals.actionable(companyId, actor, at);
  }

  async decideApproval(
    companyId: string,
    actor: Approver,
    orderId: string,
    verdict: 'approve' | 'reject',
    comment: string | null,
    requestId: string,
    at: number,
  ): Promise<ApprovalResult<ApprovalView>> {
    this.bind(companyId);
    return this.approvals.decide(companyId, actor, orderId, verdict, comment, requestId, at);
  }

  async createDelegation(
    companyId: string,
    input: { delegatorId: string; substituteId: string; startsAt: number; endsAt: number },
    at: number,
  ): Promise<ApprovalResult<Delegation>> {
    this.bind(companyId);
    return this.approvals.delegate(input, at);
  }

  async listDelegations(companyId: string, userId: string): Promise<Delegation[]> {
    this.bind(companyId);
    return this.approvals.delegations(userId);
  }

  async revokeDelegation(
    companyId: string,
    userId: string,
    id: string,
    at: number,
  ): Promise<ApprovalResult<null>> {
    this.bind(companyId);
    return this.approvals.revoke(userId, id, at);
  }

  async cancelOrder(
    companyId: string,
    actor: { userId: string; isAdmin: boolean },
    orderId: string,
    reason: string | null,
    requestId: string,
    at: number,
  ): Promise<ApprovalResult<null>> {
    this.bind(companyId);
    return this.approvals.cancel(companyId, actor, orderId, reason, requestId, at);
  }

  /** What checking out this cart would do now: defaults, problems, remaining budget, approvals needed. */
  async checkoutPreview(request: Omit<CheckoutRequest, 'idempotencyKey' | 'requestId'>) {
    this.bind(request.companyId);
    return this.checkouts.preview(request);
  }

  /** Checks a cart out into an order (placed or awaiting approval); idempotent per Idempotency-Key. */
  async checkout(request: CheckoutRequest): Promise<CheckoutResult> {
    this.bind(request.companyId);
    return this.checkouts.checkout(request);
  }
}

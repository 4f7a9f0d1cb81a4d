import { DurableObject } from 'cloudflare:workers';
import { createDatabase } from '../db/client';
import { MAX_QUANTITY } from '../domain/pricing/engine';
import type { Env } from '../env';
import type { Phase } from '../lib/timing';
import type { PricedCart } from '../services/cart-pricing';
import type { ErpEventAnswer, ErpEventRequest } from '../services/erp-order-events';
import type { ApprovalView, Approver } from './approval-steps';
import { Approvals } from './approvals';
import { BudgetLedger } from './budget-ledger';
import {
  type CartActor,
  type CartRecord,
  type CartSummary,
  type ExpectedVersion,
  type NewCartLine,
  refusedDisposal,
} from './cart-model';
import { CartPricer } from './cart-pricer';
import { CartStats } from './cart-stats';
import { CartStore } from './cart-store';
import { Checkouts } from './checkout';
import type { PlanContext } from './checkout-plan';
import { previewCheckout } from './checkout-preview';
import {
  type CheckoutOutcome,
  CheckoutRecords,
  type CheckoutRequest,
  type PreviewRequest,
} from './checkout-record';
import { CompanyFacts } from './company-facts';
import { type Delegation, Delegations } from './delegations';
import { ErpEvents } from './erp-events';
import { type LineOrderLine, LineOrders, type LinePlacement } from './line-orders';
import { NotificationSender } from './notification-sender';
import { PlacedOrders } from './placed-orders';
import { QuoteOrders, type QuotePlacement } from './quote-orders';
import { type OccurrenceRequest, type Placement, RecurringOrders } from './recurring';
import { fail, type ObjectResult, ok } from './result';
import { companyOf, migrate } from './schema';
import { OrderHolds, UserSpend } from './user-spend';

/** A line `addCartLinesPartially` did not add: its index in the request, and why. */
export interface LineRefusal {
  index: number;
  code: 'unknown_sku' | 'cart_limit';
  message: string;
}

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
  private readonly pricer: CartPricer;
  private readonly facts: CompanyFacts;
  private readonly plan: PlanContext;
  private readonly sender: NotificationSender;
  private readonly delegations: Delegations;
  private readonly holds: OrderHolds;
  private readonly approvals: Approvals;
  private readonly checkouts: Checkouts;
  private readonly erpEvents: ErpEvents;
  private readonly placedOrders: PlacedOrders;
  private readonly recurring: RecurringOrders;
  private readonly lineOrders: LineOrders;
  private readonly quoteOrders: QuoteOrders;

  private readonly cartStats: CartStats;
  private readonly checkoutRecords: CheckoutRecords;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // storage calls are synchronous: the schema and the company are settled before any call is served
    this.schemaVersion = migrate(ctx.storage);
    this.companyId = companyOf(ctx.storage, ctx.id.name);
    this.carts = new CartStore(ctx.storage);
    // one database client for the object's life: building one costs a few hundred microseconds a call
    const db = createDatabase(env);
    const deps = { db, kv: env.PRICE_INDEX, queue: env.PRICE_INDEX_QUEUE };
    this.pricer = new CartPricer(deps, this.companyId);
    this.facts = new CompanyFacts(this.companyId);
    this.plan = { companyId: this.companyId, db, deps, pricer: this.pricer, facts: this.facts };
    this.sender = new NotificationSender(env, db, ctx.storage, (work) => ctx.waitUntil(work));
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
    this.checkoutRecords = new CheckoutRecords(ctx.storage);
    this.placedOrders = new PlacedOrders(env, db, ctx.storage, this.companyId, this.holds);
    this.checkouts = new Checkouts(
      ctx.storage,
      env,
      this.companyId,
      new CheckoutRecords(ctx.storage),
      this.carts,
      this.plan,
      this.approvals,
      this.holds,
      this.sender,
    );
    this.erpEvents = new ErpEvents(env, db, ctx.storage, this.holds, this.facts);
    this.recurring = new RecurringOrders(
      ctx.storage,
      db,
      this.carts,
      this.pricer,
      this.plan,
      this.holds,
      this.checkouts,
    );
    this.lineOrders = new LineOrders(ctx.storage, this.carts, this.pricer, this.checkouts);
    this.quoteOrders = new QuoteOrders(this.lineOrders);

    this.cartStats = new CartStats(ctx.storage, db, this.companyId, this.carts, this.pricer);
  }

  /** Marks the outbox rows of sent notifications that no order write has marked yet (notification-sender.ts). */
  async alarm(): Promise<void> {
    await this.sender.flush(Date.now());
    await this.cartStats.flush(Date.now());
  }

  /** A cart write went through: the company's open-cart summary is due (cart-stats.ts). */
  private async touched<T extends { ok: boolean }>(result: T): Promise<T> {
    if (result.ok) await this.cartStats.changed();
    return result;
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

  // Carts are answered priced for the company, by the object (cart-pricer.ts): one call, its caches.
  // `cartId` may be `current`: the user's current cart, created empty on first use.

  async getCart(userId: string, cartId: string, now: number): Promise<ObjectResult<PricedCart>> {
    const found = this.carts.get(userId, this.idOf(userId, cartId));
    return this.priced('lines' in found ? ok(found) : found, now);
  }

  async createCart(
    userId: string,
    input: { name: string; shared: boolean; copyFrom?: string },
    now: number,
  ): Promise<ObjectResult<PricedCart>> {
    const copyFrom = input.copyFrom === undefined ? undefined : this.idOf(userId, input.copyFrom);
    return this.touched(await this.priced(this.carts.create(userId, { ...input, copyFrom }), now));
  }

  /** Renames, shares or unshares a cart: its owner or a company admin (see `refusedDisposal`). */
  async updateCart(
    actor: CartActor,
    cartId: string,
    expected: ExpectedVersion,
    changes: { name?: string; shared?: boolean },
    now: number,
  ): Promise<ObjectResult<PricedCart>> {
    const id = this.idOf(actor.userId, cartId);
    return this.priced(this.carts.update(actor, id, expected, changes), now);
  }

  /** Deletes a cart: its owner or a company admin (see `refusedDisposal`). */
  async deleteCart(actor: CartActor, cartId: string, expected: ExpectedVersion): Promise<ObjectResult<null>> {
    return this.touched(this.carts.remove(actor, this.idOf(actor.userId, cartId), expected));
  }

  /** Adds lines; a product the customer cannot see (unknown, or outside its assortment) refuses them all. */
  async addCartLines(
    userId: string,
    cartId: string,
    expected: ExpectedVersion,
    lines: NewCartLine[],
    now: number,
  ): Promise<ObjectResult<PricedCart>> {
    const unknown = await this.unknownLines(lines, now);
    if (unknown) return unknown;
    const id = this.idOf(userId, cartId);
    return this.touched(
      await this.priced(this.carts.addLines(userId, id, expected, lines, MAX_QUANTITY), now),
    );
  }

  /**
   * Adds what it can, in one step: lines naming a product the customer cannot see, or that would take the
   * cart over its limits, are refused one by one (by their index in `lines`) and the rest is added.
   */
  async addCartLinesPartially(
    userId: string,
    cartId: string,
    expected: ExpectedVersion,
    lines: NewCartLine[],
    now: number,
  ): Promise<ObjectResult<{ cart: PricedCart; refused: LineRefusal[] }>> {
    const visible = await this.pricer.visible(
      lines.map((l) => l.sku),
      now,
    );
    const refused: LineRefusal[] = [];
    const kept: { index: number; line: NewCartLine }[] = [];
    for (const [index, line] of lines.entries()) {
      if (visible.has(line.sku)) kept.push({ index, line });
      else refused.push({ index, code: 'unknown_sku', message: `no product "${line.sku}" in your catalog` });
    }
    const id = this.idOf(userId, cartId);
    const added = this.carts.addLinesPartially(
      userId,
      id,
      expected,
      kept.map((k) => k.line),
      MAX_QUANTITY,
    );
    if (!added.ok) return added;
    for (const r of added.value.refused)
      refused.push({ index: kept[r.index]?.index ?? r.index, code: 'cart_limit', message: r.message });
    refused.sort((a, b) => a.index - b.index);
    await this.cartStats.changed();
    return ok({ cart: await this.pricer.price(added.value.cart, now), refused });
  }

  async updateCartLine(
    userId: string,
    cartId: string,
    lineId: string,
    expected: ExpectedVersion,
    change: { quantity?: number; note?: string | null },
    now: number,
  ): Promise<ObjectResult<PricedCart>> {
    const id = this.idOf(userId, cartId);
    return this.touched(await this.priced(this.carts.updateLine(userId, id, lineId, expected, change), now));
  }

  async deleteCartLine(
    userId: string,
    cartId: string,
    lineId: string,
    expected: ExpectedVersion,
    now: number,
  ): Promise<ObjectResult<PricedCart>> {
    const id = this.idOf(userId, cartId);
    return this.touched(await this.priced(this.carts.removeLine(userId, id, lineId, expected), now));
  }

  private idOf(userId: string, cartId: string): string {
    return cartId === 'current' ? this.carts.current(userId).id : cartId;
  }

  private async priced(result: ObjectResult<CartRecord>, now: number): Promise<ObjectResult<PricedCart>> {
    return result.ok ? ok(await this.pricer.price(result.value, now)) : result;
  }

  // The sales rep's assisted ordering (docs/rep-workspace.md): carts prepared for a buyer, read-only views.

  /** A cart the rep prepares for `input.ownerId`, marked with the rep; a product the company cannot see refuses it. */
  async prepareCart(
    input: { ownerId: string; preparedBy: string; name: string; lines: NewCartLine[] },
    now: number,
  ): Promise<ObjectResult<PricedCart>> {
    const unknown = await this.unknownLines(input.lines, now);
    if (unknown) return unknown;
    const made = this.carts.prepare(input.ownerId, input.preparedBy, input.name, input.lines, MAX_QUANTITY);
    return this.touched(await this.priced(made, now));
  }

  /** The cart and user a checkout key was used for (null: unused), so a rep's repeat finds its order. */
  async checkoutOf(idempotencyKey: string): Promise<{ cartId: string; userId: string } | null> {
    const row = this.checkoutRecords.get(idempotencyKey);
    return row ? { cartId: row.cart_id, userId: row.user_id } : null;
  }

  /** Every cart of the company, or of one user (supplier staff, read only). */
  async allCarts(ownerId: string | null): Promise<CartSummary[]> {
    return this.carts.listAll(ownerId);
  }

  /** Any cart of the company, priced (supplier staff, read only). */
  async anyCart(cartId: string, now: number): Promise<ObjectResult<PricedCart>> {
    const found = this.carts.peek(cartId);
    return this.priced('lines' in found ? ok(found) : found, now);
  }

  private async unknownLines(lines: readonly NewCartLine[], now: number) {
    const visible = await this.pricer.visible(
      lines.map((l) => l.sku),
      now,
    );
    const unknown = lines.flatMap((l, i) =>
      visible.has(l.sku)
        ? []
        : [{ path: `lines.${i}.sku`, message: `no product "${l.sku}" in your catalog` }],
    );
    return unknown.length > 0
      ? fail('unprocessable', 'Some lines name products you cannot order', unknown)
      : null;
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
    const decided = await this.approvals.decide(actor, orderId, verdict, comment, requestId, at);
    if (decided.ok) this.facts.ordersChanged();
    return decided;
  }

  async cancelOrder(
    actor: { userId: string; isAdmin: boolean },
    orderId: string,
    reason: string | null,
    requestId: string,
    at: number,
  ): Promise<ObjectResult<null>> {
    const cancelled = this.approvals.awaits(orderId)
      ? await this.approvals.cancel(actor, orderId, reason, requestId, at)
      : await this.placedOrders.cancel(actor, orderId, reason, requestId, at);
    if (cancelled.ok) this.facts.ordersChanged();
    return cancelled;
  }

  /** An ERP event about one of the company's orders (docs/erp.md): one at a time per order. */
  async recordErpEvent(request: Omit<ErpEventRequest, 'companyId'>): Promise<ObjectResult<ErpEventAnswer>> {
    return this.erpEvents.record({ ...request, companyId: this.companyId });
  }

  /**
   * The company's checkout configuration changed (addresses, cost centers, budgets, budget settings,
   * approval policies, users' limits): the configuration routes call this after every write they make.
   */
  async companyFactsChanged(): Promise<void> {
    this.facts.changed();
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
    return ok(await previewCheckout(this.plan, cart, request, this.holds));
  }

  /**
   * Checks a cart out into an order (placed or awaiting approval); idempotent per Idempotency-Key. The
   * answer carries how long each phase took in here, for the route's Server-Timing header.
   */
  async checkout(request: CheckoutRequest): Promise<ObjectResult<CheckoutOutcome> & { phases: Phase[] }> {
    return this.touched(await this.checkouts.checkout(request));
  }

  // Recurring orders (recurring.ts): the schedules live in SQL; their lines are priced and placed here.

  async recurringVisible(skus: string[], now: number): Promise<string[]> {
    return [...(await this.recurring.visible(skus, now))];
  }

  async recurringSavedCart(ownerId: string, cartId: string) {
    return this.recurring.savedCart(ownerId, cartId);
  }

  async recurringPlan(req: OccurrenceRequest) {
    return this.recurring.planOccurrence(req);
  }

  async recurringPreview(req: OccurrenceRequest, input: CheckoutRequest['input']) {
    return this.recurring.preview(req, input);
  }

  async placeRecurring(placement: Placement): Promise<ObjectResult<CheckoutOutcome>> {
    return this.recurring.place(placement);
  }

  // Orders from lines (line-orders.ts): partner orders (cXML OrderRequest, the partner API) go through here.

  /** The lines priced for the company now, as a cart would be (unknown SKUs and problems per line). */
  async priceLines(ownerId: string, lines: LineOrderLine[], now: number): Promise<PricedCart> {
    return this.lineOrders.price(ownerId, lines, now);
  }

  /** The order a line-order key already placed (null: none yet); see `LineOrders.placed`. */
  async linesPlaced(p: Pick<LinePlacement, 'key' | 'ownerId' | 'input' | 'content'>) {
    return this.lineOrders.placed(p);
  }

  /** Places an order from lines under a derived key: one order per key, a repeat answers it. */
  async placeLines(placement: LinePlacement): Promise<ObjectResult<CheckoutOutcome>> {
    return this.lineOrders.place(placement);
  }

  /**
   * Places an accepted quote's order at its quoted prices (quote-orders.ts): one order per quote, a repeat
   * of the same version answers it, another version is `idempotency_key_reused`, an expired quote a conflict.
   */
  async placeQuote(placement: QuotePlacement): Promise<ObjectResult<CheckoutOutcome>> {
    return this.quoteOrders.place(placement);
  }
}

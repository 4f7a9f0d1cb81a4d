import type { Database } from '../db/client';
import { packsOf } from '../db/queries/recurring';
import type { CheckoutInput } from '../domain/checkout';
import { MAX_QUANTITY } from '../domain/pricing/engine';
import {
  type OccurrenceLine,
  type OrderLine,
  planOccurrenceLines,
  type RecurringSource,
} from '../domain/recurring-terms';
import type { PricedCart } from '../services/cart-pricing';
import type { CartPricer } from './cart-pricer';
import type { CartStore } from './cart-store';
import type { Checkouts } from './checkout';
import type { PlanContext } from './checkout-plan';
import { previewCheckout } from './checkout-preview';
import type { CheckoutOutcome } from './checkout-record';
import { LineOrders, linesCart } from './line-orders';
import { fail, type ObjectResult, ok } from './result';
import type { OrderHolds } from './user-spend';

/**
 * Recurring orders inside the company's object: what an occurrence would order now (its lines read from
 * the schedule or a saved cart, priced for the company, obsolete products replaced when allowed, lines
 * that cannot be ordered left out), and placing it through the same checkout as a person's, from a cart
 * made for the occurrence under the occurrence key. The checkout's idempotency record makes a repeated
 * placement (a redelivered message, a second cron run) answer the first order.
 */
export interface OccurrenceRequest {
  scheduleId: string;
  ownerId: string;
  source: RecurringSource;
  /** quantities for this occurrence only, by SKU (0 leaves the line out) */
  quantities: readonly OrderLine[];
  autoReplace: boolean;
  now: number;
}

export interface OccurrencePlan {
  order: OrderLine[];
  report: OccurrenceLine[];
  /** the lines as the source gives them, priced now with every problem */
  priced: PricedCart;
}

export interface Placement {
  key: string;
  ownerId: string;
  scheduleId: string;
  name: string;
  lines: readonly OrderLine[];
  input: CheckoutInput;
  requestId: string;
  now: number;
}

export class RecurringOrders {
  private readonly lines: LineOrders;

  constructor(
    storage: DurableObjectStorage,
    private readonly db: Database,
    private readonly carts: CartStore,
    private readonly pricer: CartPricer,
    private readonly plan: PlanContext,
    private readonly holds: OrderHolds,
    checkouts: Checkouts,
  ) {
    this.lines = new LineOrders(storage, carts, pricer, checkouts);
  }

  /** The SKUs the company sees, of those given (unknown and hidden look the same). */
  visible(skus: readonly string[], now: number): Promise<Set<string>> {
    return this.pricer.visible(skus, now);
  }

  /** A saved cart the owner may see, as a schedule's source: null when there is none. */
  savedCart(ownerId: string, cartId: string): { id: string; name: string | null } | null {
    const cart = this.carts.get(ownerId, cartId);
    return 'lines' in cart && !cart.current ? { id: cart.id, name: cart.name } : null;
  }

  private sourceLines(req: OccurrenceRequest): ObjectResult<OrderLine[]> {
    const { source } = req;
    let lines: OrderLine[];
    if (source.kind === 'lines') lines = source.lines;
    else if (source.kind === 'cart') {
      const cart = this.carts.get(req.ownerId, source.cartId);
      if (!('lines' in cart)) return fail('not_found', 'the saved cart it orders from no longer exists');
      lines = cart.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
    } else
      return fail(
        'unprocessable',
        'a list is read into lines before the object is asked (services/recurring-list-source.ts)',
      );
    const changed = new Map(req.quantities.map((l) => [l.sku, l.quantity]));
    return ok(
      lines
        .map((l) => ({ sku: l.sku, quantity: changed.get(l.sku) ?? l.quantity }))
        .filter((l) => l.quantity > 0),
    );
  }

  /** What the occurrence would order now, and why each line is ordered, replaced or left out. */
  async planOccurrence(req: OccurrenceRequest): Promise<ObjectResult<OccurrencePlan>> {
    const lines = this.sourceLines(req);
    if (!lines.ok) return lines;
    const priced = await this.pricer.price(linesCart(req.ownerId, lines.value), req.now);
    const replacements = new Map<number, string>();
    priced.lines.forEach((l, i) => {
      for (const p of l.problems)
        if (p.code === 'obsolete' && p.replacement) replacements.set(i, p.replacement);
    });
    const facts =
      req.autoReplace && replacements.size > 0
        ? await this.replacementFacts(lines.value, replacements, req)
        : null;
    const planned = planOccurrenceLines(
      lines.value,
      (i) => priced.lines[i]?.problems ?? [],
      (i) => {
        const sku = replacements.get(i);
        if (!sku) return null;
        return facts?.get(i) ?? { sku, orderable: false, samePack: false };
      },
      req.autoReplace,
      MAX_QUANTITY,
    );
    return ok({ ...planned, priced });
  }

  private async replacementFacts(
    lines: readonly OrderLine[],
    replacements: Map<number, string>,
    req: OccurrenceRequest,
  ) {
    const wanted = [...replacements].map(([i, sku]) => ({ sku, quantity: lines[i]?.quantity ?? 1 }));
    const [priced, packs] = await Promise.all([
      this.pricer.price(linesCart(req.ownerId, wanted), req.now),
      packsOf(this.db, [
        ...wanted.map((w) => w.sku),
        ...[...replacements.keys()].map((i) => lines[i]?.sku ?? ''),
      ]),
    ]);
    const facts = new Map<number, { sku: string; orderable: boolean; samePack: boolean }>();
    [...replacements].forEach(([i, sku], n) => {
      const was = packs.get(lines[i]?.sku ?? '');
      const now = packs.get(sku);
      facts.set(i, {
        sku,
        orderable: (priced.lines[n]?.problems ?? []).every((p) => p.code === 'short_stock'),
        samePack: !!was && !!now && was.packSize === now.packSize && was.unit === now.unit,
      });
    });
    return facts;
  }

  /** The next occurrence as it would go now: its plan, and what checkout would say of the lines it orders. */
  async preview(req: OccurrenceRequest, input: CheckoutInput) {
    const plan = await this.planOccurrence(req);
    if (!plan.ok) return plan;
    const cart = linesCart(req.ownerId, plan.value.order);
    const checkout = await previewCheckout(
      this.plan,
      cart,
      { userId: req.ownerId, isAdmin: false, cartId: cart.id, input, now: req.now },
      this.holds,
    );
    return ok({ ...plan.value, checkout });
  }

  /**
   * Places the occurrence: a cart made once under the occurrence key, checked out as the owner with the key
   * as Idempotency-Key and the order's channel `recurring` (line-orders.ts). A key already done answers its
   * order, whatever changed in the schedule since (a PATCH of its notes or PO pattern).
   */
  place(p: Placement): Promise<ObjectResult<CheckoutOutcome>> {
    const { scheduleId, ...placement } = p;
    return this.lines.place({ ...placement, channel: { channel: 'recurring', ref: scheduleId } });
  }
}

import type { CheckoutInput } from '../domain/checkout';
import { formatId } from '../domain/ids';
import type { OrderChannel } from '../domain/order-terms';
import type { PricedCart } from '../services/cart-pricing';
import type { CartRecord } from './cart-model';
import type { CartPricer } from './cart-pricer';
import type { CartStore } from './cart-store';
import type { Checkouts } from './checkout';
import {
  type AgreedLines,
  type CheckoutOutcome,
  CheckoutRecords,
  requestFingerprint,
} from './checkout-record';
import { fail, type ObjectResult, ok } from './result';

/**
 * Orders placed from lines rather than from a person's cart (a recurring occurrence, a partner's order):
 * a cart made once under a key derived by the caller, checked out through the same checkout as a person's
 * with the key as Idempotency-Key and the order's channel. The key decides the order: two calls with one
 * key place one order, whatever races, and a repeat answers the first order.
 */
export interface LineOrderLine {
  sku: string;
  quantity: number;
  note?: string | null;
}

export interface LinePlacement {
  /** the derived Idempotency-Key: e.g. the occurrence, or the partner and the buyer's order id */
  key: string;
  /** who the order is placed by: a user, or an API key */
  ownerId: string;
  /** the name of the cart made for it (seen only while it is checked out) */
  name: string;
  lines: readonly LineOrderLine[];
  input: CheckoutInput;
  channel: { channel: OrderChannel; ref: string | null };
  /** the partner approved the order in its own system: skip the company's approval chain (checkout.ts) */
  trustedApproval?: boolean;
  /**
   * What the caller's request said beyond the checkout input (the lines, a partner's body), hashed: the
   * same key with another content is refused (`idempotency_key_reused`) instead of answering the first
   * order. Absent (recurring): a key already placed answers its order whatever changed since.
   */
  content?: string;
  /** unit prices agreed for exactly these lines beforehand (a quote): charged instead of the index's */
  agreed?: AgreedLines;
  requestId: string;
  now: number;
}

export class LineOrders {
  private readonly records: CheckoutRecords;

  constructor(
    storage: DurableObjectStorage,
    private readonly carts: CartStore,
    private readonly pricer: CartPricer,
    private readonly checkouts: Checkouts,
  ) {
    this.records = new CheckoutRecords(storage);
  }

  /** The lines priced for the company now, as a cart would be, without storing one. */
  price(ownerId: string, lines: readonly LineOrderLine[], now: number): Promise<PricedCart> {
    return this.pricer.price(linesCart(ownerId, lines), now);
  }

  /**
   * The order a key already placed, if any: its outcome; `idempotency_key_reused` when the key was placed
   * with another content; null when the key placed nothing yet. Callers ask before checking what they
   * send (prices that moved since), so a repeat answers the first order.
   */
  async placed(
    p: Pick<LinePlacement, 'key' | 'ownerId' | 'input' | 'content'>,
  ): Promise<ObjectResult<CheckoutOutcome> | null> {
    const done = this.records.get(p.key);
    if (done?.state !== 'done' || !done.result) return null;
    if (p.content !== undefined && done.fingerprint !== null) {
      const cartId = await derivedCartId(p.key);
      const asked = await requestFingerprint({
        cartId,
        userId: p.ownerId,
        input: p.input,
        content: p.content,
      });
      if (asked !== done.fingerprint)
        return fail('idempotency_key_reused', 'This key already placed an order with other content');
    }
    return ok(JSON.parse(done.result) as CheckoutOutcome);
  }

  async place(p: LinePlacement): Promise<ObjectResult<CheckoutOutcome>> {
    const before = await this.placed(p);
    if (before) return before;
    const cartId = await derivedCartId(p.key);
    this.carts.ensure(cartId, p.ownerId, p.name, p.lines);
    const result = await this.checkouts.checkout({
      userId: p.ownerId,
      isAdmin: false,
      cartId,
      idempotencyKey: p.key,
      input: p.input,
      requestId: p.requestId,
      now: p.now,
      channel: p.channel,
      trustedApproval: p.trustedApproval,
      content: p.content,
      agreed: p.agreed,
    });
    const { phases: _phases, ...outcome } = result;
    // refused (budget, cost center rule, nothing orderable): the caller reports it; the cart goes
    if (!outcome.ok && outcome.code !== 'conflict' && outcome.code !== 'cart_locked')
      this.carts.discard(cartId);
    return outcome;
  }
}

/** The cart of a key: derived from it, so every attempt uses the same one. */
export async function derivedCartId(key: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
  return formatId('cart', new Uint8Array(digest));
}

/** Lines priced as a cart without storing one (line ids by SKU: the pricer's line cache reuses them). */
export function linesCart(ownerId: string, lines: readonly LineOrderLine[]): CartRecord {
  return {
    id: 'cart_lines_preview',
    ownerId,
    name: null,
    current: false,
    shared: false,
    version: 1,
    createdAt: 0,
    updatedAt: 0,
    lines: lines.map((l, i) => ({
      id: `line_rec_${l.sku}_${i}`,
      sku: l.sku,
      quantity: l.quantity,
      note: null,
      addedAt: 0,
    })),
  };
}

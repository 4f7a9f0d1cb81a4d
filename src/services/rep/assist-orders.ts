import { repSettingsOf } from '../../db/queries/rep-settings';
import type { CompanyScope } from '../../db/scope';
import type { CheckoutInput } from '../../domain/checkout';
import { AppError, forbidden } from '../../domain/errors';
import type { CheckoutOutcome } from '../../durable/checkout-record';
import { type CompanyObject, unwrap } from '../../durable/client';
import type { Actor } from '../audit';
import { preparedCart, repOrderAudit } from './assist-carts';
import { buyerFor } from './buyer';

export const ENTRY_SOURCES = ['phone', 'email', 'counter'] as const;
export type EntrySource = (typeof ENTRY_SOURCES)[number];

/** A rep places orders for a company's buyers only when the company allows it (`repMayPlaceOrders`). */
async function placingAllowed(scope: CompanyScope): Promise<void> {
  const { repMayPlaceOrders } = await repSettingsOf(scope.db, scope.companyId);
  if (!repMayPlaceOrders)
    throw forbidden(
      'This company does not let its sales rep place orders for its buyers (company setting repMayPlaceOrders, set by its administrator); send the prepared cart to the buyer instead',
    );
}

/**
 * Checks a prepared cart out for its buyer: as the buyer (their approvals, budgets and limits apply),
 * channel `rep_assisted` naming the rep. The rep's Idempotency-Key is kept apart from the buyer's own keys.
 */
export async function checkoutForBuyer(
  scope: CompanyScope,
  object: CompanyObject,
  actor: Actor,
  req: { cartId: string; key: string; input: CheckoutInput },
): Promise<CheckoutOutcome> {
  await placingAllowed(scope);
  const key = `rep:${actor.principal.id}:${req.key}`;
  // a repeat of a key that placed its order: the cart is gone, the checkout's record answers
  const used = await object.checkoutOf(key);
  if (used && used.cartId !== req.cartId)
    throw new AppError(
      'idempotency_key_reused',
      'This Idempotency-Key was used for another cart; use a new key',
      [{ path: 'idempotency-key', message: 'already used for a different request' }],
    );
  const cart = used ? null : await preparedCart(object, req.cartId, actor.now);
  const buyer = await buyerFor(scope, used?.userId ?? cart?.ownerId ?? '', 'cartId');
  const { phases: _phases, ...result } = await object.checkout({
    userId: buyer.id,
    isAdmin: false,
    cartId: req.cartId,
    idempotencyKey: key,
    input: req.input,
    requestId: actor.requestId,
    now: actor.now,
    channel: { channel: 'rep_assisted', ref: actor.principal.id },
  });
  const outcome = unwrap(result);
  await repOrderAudit(scope.db, actor, {
    companyId: scope.companyId,
    orderId: outcome.orderId,
    buyer,
    what: `checked out the prepared cart ${req.cartId} as order ${outcome.orderId} (${outcome.status})`,
  });
  return outcome;
}

export interface EnteredOrder {
  forUserId: string;
  source: EntrySource;
  lines: { sku: string; quantity: number; note?: string | null }[];
  input: CheckoutInput;
  note?: string;
}

async function contentHash(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(value)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * An order the rep took by phone, email or at the counter, placed for the buyer from lines (LineOrders):
 * channel `rep_entered`, channel_ref `<source>:<rep id>`. The same key and body answer the same order.
 */
export async function enterOrder(
  scope: CompanyScope,
  object: CompanyObject,
  actor: Actor,
  key: string,
  order: EnteredOrder,
): Promise<CheckoutOutcome> {
  await placingAllowed(scope);
  const buyer = await buyerFor(scope, order.forUserId);
  const outcome = unwrap(
    await object.placeLines({
      key: `rep_entered:${actor.principal.id}:${key}`,
      ownerId: buyer.id,
      name: `Order taken by ${order.source}`,
      lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, note: l.note ?? null })),
      input: order.input,
      content: await contentHash(order),
      channel: { channel: 'rep_entered', ref: `${order.source}:${actor.principal.id}` },
      requestId: actor.requestId,
      now: actor.now,
    }),
  );
  await repOrderAudit(scope.db, actor, {
    companyId: scope.companyId,
    orderId: outcome.orderId,
    buyer,
    what: `entered a ${order.source} order ${outcome.orderId} (${outcome.status})${order.note ? `: ${order.note}` : ''}`,
  });
  return outcome;
}

import type { Database } from '../../db/client';
import { insertAudit } from '../../db/queries/audit';
import { outbox } from '../../db/schema';
import type { CompanyScope } from '../../db/scope';
import { conflict, notFound } from '../../domain/errors';
import { type CompanyObject, unwrap } from '../../durable/client';
import type { Env } from '../../env';
import { newId } from '../../lib/ids';
import { log } from '../../lib/log';
import { type Actor, auditInsert } from '../audit';
import type { PricedCart } from '../cart-pricing';
import { markDispatched } from '../order-writes';
import { type Buyer, buyerFor } from './buyer';

export interface PreparedCartInput {
  forUserId: string;
  name: string;
  lines: { sku: string; quantity: number; note?: string | null }[];
}

/**
 * A cart the rep prepares for a buyer: the buyer's own cart in the company's object (they see it in their
 * carts, with `preparedBy`), audited as the rep acting for the buyer.
 */
export async function prepareCart(
  scope: CompanyScope,
  object: CompanyObject,
  actor: Actor,
  input: PreparedCartInput,
): Promise<PricedCart> {
  const buyer = await buyerFor(scope, input.forUserId);
  const cart = unwrap(
    await object.prepareCart(
      { ownerId: buyer.id, preparedBy: actor.principal.id, name: input.name, lines: input.lines },
      actor.now,
    ),
  );
  await auditInsert(
    scope.db,
    { ...actor, actingForId: buyer.id },
    {
      companyId: scope.companyId,
      action: 'rep.cart_prepare',
      targetType: 'cart',
      targetId: cart.id,
      summary: `Rep for buyer ${buyer.email}: prepared cart “${input.name}” with ${cart.lines.length} line(s)`,
    },
  );
  return cart;
}

/** A cart a rep prepared, whoever prepared it; any other cart is not the rep's to send or check out. */
export async function preparedCart(object: CompanyObject, cartId: string, now: number): Promise<PricedCart> {
  const found = await object.anyCart(cartId, now);
  if (!found.ok && found.code === 'not_found') throw notFound('Cart');
  const cart = unwrap(found);
  if (!cart.preparedBy) throw conflict('Only a cart a sales rep prepared for a buyer can be used here');
  return cart;
}

/**
 * Tells the buyer the cart waits for them: `cart.prepared_by_rep` through the notifications outbox, shaped
 * like an email (recipient, subject, text) as the recurring notices are. Each send is its own event.
 */
export async function sendPreparedCart(
  env: Pick<Env, 'NOTIFICATIONS_QUEUE'>,
  scope: CompanyScope,
  object: CompanyObject,
  actor: Actor,
  cartId: string,
): Promise<{ cartId: string; eventId: string; sentTo: Buyer }> {
  const cart = await preparedCart(object, cartId, actor.now);
  const buyer = await buyerFor(scope, cart.ownerId, 'cartId');
  const eventId = `obx_${newId('evt').slice(4)}_cart_prepared_by_rep`;
  const body = {
    eventId,
    companyId: scope.companyId,
    event: 'cart.prepared_by_rep',
    payload: {
      to: { userId: buyer.id, name: buyer.name, email: buyer.email },
      subject: `Your sales rep prepared the cart “${cart.name ?? 'Cart'}” for you`,
      text: `Hello ${buyer.name},\n\nYour sales rep prepared the cart “${cart.name ?? 'Cart'}” (${cart.lines.length} line(s)). Review it in your carts and order it when it suits you.`,
      cartId: cart.id,
      cartName: cart.name,
      preparedBy: cart.preparedBy,
      sentBy: actor.principal.id,
      lineCount: cart.lines.length,
      currency: cart.currency,
    },
  };
  const { db } = scope;
  await db.batch([
    db.insert(outbox).values({
      id: eventId,
      topic: 'notification',
      companyId: scope.companyId,
      aggregateId: cart.id,
      payload: body,
      createdAt: actor.now,
    }),
    auditInsert(
      db,
      { ...actor, actingForId: buyer.id },
      {
        companyId: scope.companyId,
        action: 'rep.cart_send',
        targetType: 'cart',
        targetId: cart.id,
        summary: `Rep for buyer ${buyer.email}: sent the prepared cart “${cart.name ?? ''}” for review`,
      },
    ),
  ]);
  await sendNow(env, db, eventId, body, actor.now);
  return { cartId: cart.id, eventId, sentTo: buyer };
}

/** Straight to the queue; should it fail, the five-minute outbox relay sends the row. */
async function sendNow(
  env: Pick<Env, 'NOTIFICATIONS_QUEUE'>,
  db: Database,
  id: string,
  body: Record<string, unknown>,
  now: number,
) {
  try {
    await env.NOTIFICATIONS_QUEUE.send(body, { contentType: 'json' });
    await markDispatched(db, [id], now);
  } catch (err) {
    log('warn', 'prepared cart notice left to the outbox relay', { id, message: String(err) });
  }
}

/** The audit row of an order a rep placed for a buyer: one per order, however often the key is repeated. */
export const repOrderAudit = (
  db: Database,
  actor: Actor,
  e: { companyId: string; orderId: string; buyer: Buyer; what: string },
) =>
  insertAudit(db, {
    id: `aud_${e.orderId.slice(4)}_rep`,
    at: actor.now,
    actorId: actor.principal.id,
    actorKind: actor.principal.kind,
    actingForId: e.buyer.id,
    requestId: actor.requestId,
    companyId: e.companyId,
    action: 'rep.order_place_for_buyer',
    targetType: 'order',
    targetId: e.orderId,
    summary: `Rep for buyer ${e.buyer.email}: ${e.what}`,
  }).onConflictDoNothing();

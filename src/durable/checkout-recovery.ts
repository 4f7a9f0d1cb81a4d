import { createDatabase } from '../db/client';
import { getOrder, type OrderRow } from '../db/queries/orders';
import type { Env } from '../env';
import type { CheckoutDecision, CheckoutOutcome, CheckoutRecords, CheckoutRow } from './checkout-record';
import type { OrderHolds } from './user-spend';

/**
 * Interrupted checkouts: a record `in_progress` whose key is not running in this instance. Its order may
 * or may not have reached SQL (the crash came before or after the batch). If it did, the checkout is
 * finished (cart consumed, approval opened); if not, the record and what it held (budget, spending cap) are dropped.
 */
export interface RecoveryContext {
  env: Env;
  companyId: string;
  storage: DurableObjectStorage;
  records: CheckoutRecords;
  holds: OrderHolds;
  finish: (row: CheckoutRow, outcome: CheckoutOutcome, at: number) => CheckoutOutcome;
}

/** True when the interrupted checkout had written its order (the cart is now consumed). */
export async function recoverInterrupted(
  ctx: RecoveryContext,
  other: CheckoutRow,
  now: number,
): Promise<boolean> {
  const found = await getOrder(createDatabase(ctx.env), ctx.companyId, other.order_id);
  if (found) {
    ctx.finish(other, outcomeFromOrder(found.order, ctx.records.decisionOf(other)), now);
    return true;
  }
  ctx.storage.transactionSync(() => {
    ctx.holds.release(other.order_id);
    ctx.records.drop(other.idempotency_key);
  });
  return false;
}

/** The answer of a checkout whose order is already in SQL, as the first attempt would have given it. */
export function outcomeFromOrder(
  order: Pick<OrderRow, 'id' | 'status' | 'currency' | 'totalMinor' | 'lineCount' | 'priceGeneration'>,
  decision: CheckoutDecision | null,
): CheckoutOutcome {
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

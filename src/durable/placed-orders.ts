import type { Database } from '../db/client';
import { runBatch } from '../db/queries/bulk';
import { getOrder } from '../db/queries/orders';
import type { Env } from '../env';
import { log } from '../lib/log';
import { CANCELLABLE_FULFILMENT, cancelPlacedStatements } from '../services/order-cancellation';
import { relayOrderExports } from '../services/outbox-relay';
import { fail, type ObjectResult, ok } from './result';
import type { OrderHolds } from './user-spend';

/**
 * Cancelling a placed order (one awaiting approval is withdrawn by `Approvals.cancel`): by its requester or
 * a company admin, until the ERP reports it shipped. The order's budget and cap share are given back, and
 * the ERP is sent a cancellation after the order itself (services/order-cancellation.ts).
 */
export class PlacedOrders {
  /** orders whose cancellation is being written right now */
  private readonly cancelling = new Set<string>();

  constructor(
    private readonly env: Env,
    private readonly db: Database,
    private readonly storage: DurableObjectStorage,
    private readonly companyId: string,
    private readonly holds: OrderHolds,
  ) {}

  async cancel(
    actor: { userId: string; isAdmin: boolean },
    orderId: string,
    reason: string | null,
    requestId: string,
    at: number,
  ): Promise<ObjectResult<null>> {
    const found = await getOrder(this.db, this.companyId, orderId);
    if (!found) return fail('not_found', 'Order not found');
    const { order } = found;
    if (order.placedBy !== actor.userId && !actor.isAdmin)
      return fail('forbidden', 'Only the requester or a company admin cancels an order');
    if (order.status !== 'placed') return fail('conflict', `The order was already ${order.status}`);
    if (!(CANCELLABLE_FULFILMENT as readonly string[]).includes(order.fulfilmentStatus))
      return fail('conflict', `The order was already ${order.fulfilmentStatus}; report a problem instead`);
    if (this.cancelling.has(orderId)) return fail('conflict', 'The order is being cancelled');
    this.cancelling.add(orderId);
    try {
      const [changed] = await runBatch<unknown[]>(
        this.db,
        cancelPlacedStatements(this.db, {
          companyId: this.companyId,
          orderId,
          actorId: actor.userId,
          reason,
          requestId,
          at,
        }),
      );
      // the ERP reported it shipped (or cancelled it) between the read and the write: nothing was written
      if (!changed || changed.length === 0)
        return fail('conflict', 'The order changed meanwhile; read it again');
      this.storage.transactionSync(() => this.holds.release(orderId));
    } finally {
      this.cancelling.delete(orderId);
    }
    await relayOrderExports(this.env, this.companyId, orderId, this.db, true).catch((err: unknown) =>
      log('warn', 'cancellation export left to the outbox relay', { orderId, message: String(err) }),
    );
    return ok(null);
  }
}

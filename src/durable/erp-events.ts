import type { Database } from '../db/client';
import { AppError } from '../domain/errors';
import type { Env } from '../env';
import { log } from '../lib/log';
import { type ErpEventAnswer, type ErpEventRequest, recordErpEvent } from '../services/erp-order-events';
import { enqueueOutbox } from '../services/outbox-relay';
import type { CompanyFacts } from './company-facts';
import { faultPoint } from './faults';
import { fail, type ObjectResult, ok } from './result';
import type { OrderHolds } from './user-spend';

/**
 * The ERP's events about the company's orders, one at a time per order: each is judged against, and
 * projected from, every event the order already has, so two events of one order must not read and write
 * across each other (two partial shipments at once would each miss the other). A cancellation gives back
 * what the order holds in the object's ledgers, as the buyer's own withdrawal does; the same cancellation
 * again gives back nothing more (the ledgers release once), and heals a release lost with a crash.
 */
export class ErpEvents {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly env: Env,
    private readonly db: Database,
    private readonly storage: DurableObjectStorage,
    private readonly holds: OrderHolds,
    private readonly facts: CompanyFacts,
  ) {}

  async record(request: ErpEventRequest): Promise<ObjectResult<ErpEventAnswer>> {
    const before = this.running.get(request.orderId);
    const run = (before ?? Promise.resolve()).catch(() => undefined).then(() => this.apply(request));
    this.running.set(request.orderId, run);
    try {
      if (before) await faultPoint(this.env, 'erp-event.queued', this.siteOf(request));
      return await run;
    } finally {
      if (this.running.get(request.orderId) === run) this.running.delete(request.orderId);
    }
  }

  private siteOf(request: ErpEventRequest) {
    return { orderId: request.orderId, eventId: request.event.eventId };
  }

  private async apply(request: ErpEventRequest): Promise<ObjectResult<ErpEventAnswer>> {
    try {
      const outcome = await recordErpEvent(this.db, request, () =>
        faultPoint(this.env, 'erp-event.judged', this.siteOf(request)),
      );
      if (outcome.cancelled) {
        this.storage.transactionSync(() => this.holds.release(request.orderId));
        this.facts.ordersChanged();
      }
      if (outcome.recorded)
        await enqueueOutbox(this.env, request.companyId, request.orderId).catch((err: unknown) =>
          log('warn', 'notifications left to the outbox relay', {
            orderId: request.orderId,
            message: String(err),
          }),
        );
      return ok(outcome.answer);
    } catch (err) {
      if (err instanceof AppError) return fail(err.code, err.message, err.issues);
      throw err;
    }
  }
}

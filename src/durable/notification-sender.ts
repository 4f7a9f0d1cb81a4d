import type { Database } from '../db/client';
import type { Env } from '../env';
import { log } from '../lib/log';
import { EXPORT_TOPICS } from '../services/erp-export-records';
import { markDispatched } from '../services/order-writes';
import { erpConfigured } from '../services/outbox-relay';
import { armAlarm } from './alarm';

/**
 * How long an order's sent notification may wait for its outbox row to be marked sent. The mark rides on
 * the company's next order write; failing one within this time, the object's alarm writes it.
 */
export const MARK_SENT_WITHIN_MS = 10_000;

/** An outbox row of a new order: its id (the event id, or the export id) and what the queue carries. */
interface OutboxRow {
  id: string;
  topic: string;
  payload: unknown;
}

/**
 * Sends the notifications and the ERP export of the orders the object writes, after the answer, and marks
 * their outbox rows sent without a D1 write of their own per order (one round trip less per checkout, and
 * locally one write less holding up the next request). The export's tracking row was written with the
 * order, so the message is all it needs; without an ERP configured the export row waits (`pending`). A
 * send that fails, or a mark lost with the object, is the five-minute relay's: the consumers record each
 * event and export once, so a second send is harmless.
 */
export class NotificationSender {
  /** outbox ids sent to the queue whose row SQL does not mark as sent yet */
  private readonly unmarked = new Set<string>();
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly env: Env,
    private readonly db: Database,
    private readonly storage: DurableObjectStorage,
    /** keeps work going after the answer (the object's `waitUntil`) */
    private readonly background: (work: Promise<unknown>) => void,
  ) {}

  /** Sends an order's notification and export rows to their queues, after the answer. */
  send(orderId: string, outboxRows: readonly OutboxRow[]): void {
    const rows = outboxRows.filter(
      (r) => r.topic === 'notification' || (r.topic === EXPORT_TOPICS.order && erpConfigured(this.env)),
    );
    if (rows.length === 0) return;
    const work = this.sendNow(rows).catch((err: unknown) =>
      log('warn', 'notifications left to the outbox relay', { orderId, message: String(err) }),
    );
    this.sending.add(work);
    void work.finally(() => this.sending.delete(work));
    this.background(work);
  }

  /** The mark of everything sent so far, for the next order write's batch; `done` once it committed. */
  marks(at: number) {
    const ids = [...this.unmarked];
    return {
      statements: ids.length > 0 ? [markDispatched(this.db, ids, at)] : [],
      done: () => {
        for (const id of ids) this.unmarked.delete(id);
      },
    };
  }

  /** The alarm: once the sends under way are over, marks whatever is still unmarked. */
  async flush(at: number): Promise<void> {
    await Promise.allSettled([...this.sending]);
    const marks = this.marks(at);
    const [statement] = marks.statements;
    if (!statement) return;
    await statement;
    marks.done();
  }

  private async sendNow(rows: readonly OutboxRow[]): Promise<void> {
    const notifications = rows.filter((r) => r.topic === 'notification');
    const exports = rows.filter((r) => r.topic !== 'notification');
    await Promise.all([
      notifications.length > 0
        ? this.env.NOTIFICATIONS_QUEUE.sendBatch(notifications.map((r) => ({ body: r.payload })))
        : undefined,
      exports.length > 0
        ? this.env.ERP_EXPORT_QUEUE.sendBatch(exports.map((r) => ({ body: { exportId: r.id } })))
        : undefined,
    ]);
    for (const r of rows) this.unmarked.add(r.id);
    await armAlarm(this.storage, Date.now() + MARK_SENT_WITHIN_MS);
  }
}

import type { Database } from '../db/client';
import { batchRead, chunks } from '../db/queries/bulk';
import {
  deliveriesOf,
  insertDeliveriesOnce,
  markSkipped,
  settingsOfCompanies,
} from '../db/queries/notifications';
import type { UrlPolicy } from '../domain/public-url';
import {
  callWebhook,
  type DeliveryResult,
  deliveryRowOf,
  type FetchLike,
  type Notification,
} from './notifications';

/** (company, event) pairs per delivery read: two IN lists, well under D1's 100 parameters. */
const PAIRS_PER_READ = 40;

const keyOf = (n: { companyId: string; eventId: string }) => `${n.companyId}\n${n.eventId}`;
const done = (value: DeliveryResult): PromiseSettledResult<DeliveryResult> => ({
  status: 'fulfilled',
  value,
});
const failed = (reason: unknown): PromiseSettledResult<DeliveryResult> => ({ status: 'rejected', reason });

/**
 * A queue batch of notifications, as `deliverNotification` would deliver each, with two round trips to the
 * database instead of four per message: every delivery row recorded (one statement) and read back and
 * every company's settings in one batch, every skipped one (the company has no webhook) in one statement. Webhook calls and
 * their outcomes stay one per message. One result per notification, in order: its outcome, or the error to
 * retry it for. (A batch of 25 delivered one by one made 100 sequential D1 calls, and in local development
 * held up every request while it ran: docs/performance.md.)
 */
export async function deliverNotifications(
  db: Database,
  notifications: readonly Notification[],
  now: number,
  policy: UrlPolicy,
  fetcher: FetchLike = fetch,
): Promise<PromiseSettledResult<DeliveryResult>[]> {
  if (notifications.length === 0) return [];
  let read: Awaited<ReturnType<typeof readAll>>;
  try {
    read = await readAll(db, notifications, now);
  } catch (err) {
    return notifications.map(() => failed(err));
  }
  const results: PromiseSettledResult<DeliveryResult>[] = [];
  const skipped: { at: number; id: string }[] = [];
  const calls: number[] = [];
  notifications.forEach((n, i) => {
    const delivery = read.deliveries.get(keyOf(n));
    if (!delivery)
      results[i] = failed(new Error(`delivery ${n.companyId}/${n.eventId} vanished after its insert`));
    else if (delivery.status === 'delivered') results[i] = done('already_delivered');
    else if (!read.settings.get(n.companyId)?.webhookUrl) {
      skipped.push({ at: i, id: delivery.id });
      results[i] = done('skipped');
    } else calls.push(i);
  });
  try {
    // what recordAttempt(skippedAt(now)) does to each, in one statement
    if (skipped.length > 0)
      await markSkipped(
        db,
        skipped.map((s) => s.id),
      );
  } catch (err) {
    for (const s of skipped) results[s.at] = failed(err);
  }
  const deliveredNow = new Set<string>();
  for (const i of calls) {
    const n = notifications[i];
    const delivery = n && read.deliveries.get(keyOf(n));
    const url = n && read.settings.get(n.companyId)?.webhookUrl;
    if (!n || !delivery || !url) {
      results[i] = failed(new Error('notification lost within its batch'));
      continue;
    }
    // the same event twice in one batch is sent once, as a second delivery one by one would find it delivered
    if (deliveredNow.has(keyOf(n))) {
      results[i] = done('already_delivered');
      continue;
    }
    const secret = read.settings.get(n.companyId)?.webhookSecret ?? null;
    try {
      results[i] = done(
        await callWebhook(db, n, delivery, { webhookUrl: url, webhookSecret: secret }, now, fetcher, policy),
      );
      deliveredNow.add(keyOf(n));
    } catch (err) {
      results[i] = failed(err);
    }
  }
  return results;
}

/** Records every delivery (once per company and event) and reads the rows and settings back: one batch. */
async function readAll(db: Database, notifications: readonly Notification[], now: number) {
  const companies = [...new Set(notifications.map((n) => n.companyId))];
  const rows = await batchRead(db, {
    recorded: insertDeliveriesOnce(
      db,
      notifications.map((n) => deliveryRowOf(n, now)),
    ),
    deliveries: chunks(notifications, PAIRS_PER_READ).map((part) => deliveriesOf(db, part)),
    settings: chunks(companies).map((part) => settingsOfCompanies(db, part)),
  });
  const wanted = new Set(notifications.map(keyOf));
  return {
    deliveries: new Map(rows.deliveries.flat().flatMap((d) => (wanted.has(keyOf(d)) ? [[keyOf(d), d]] : []))),
    settings: new Map(rows.settings.flat().map((s) => [s.companyId, s])),
  };
}

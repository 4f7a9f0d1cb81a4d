import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { createDatabase, type Database } from '../db/client';
import { insertAudit } from '../db/queries/audit';
import { runBatch } from '../db/queries/bulk';
import {
  insertOccurrence,
  type OccurrenceRow,
  placementFacts,
  type ScheduleRow,
  updateOccurrence,
  updateScheduleIfDue,
} from '../db/queries/recurring';
import { outbox, recurringOccurrences, recurringOrders } from '../db/schema';
import { AppError } from '../domain/errors';
import { formatId } from '../domain/ids';
import {
  expandPoPattern,
  type OccurrenceLine,
  type OrderLine,
  occurrenceKey,
} from '../domain/recurring-terms';
import { localDateAt } from '../domain/zoned-time';
import { companyObject } from '../durable/client';
import type { Env } from '../env';
import { log } from '../lib/log';
import { markDispatched } from './order-writes';
import { linesSource } from './recurring-list-source';
import { occurrenceNotice } from './recurring-notice';
import { dueSlots, nextDueAfter } from './recurring-timing';

/**
 * The `recurring-orders` consumer: places one occurrence (schedule id + scheduled instant). Every step is
 * safe to repeat: the occurrence row is claimed once (unique per slot) with the lines it orders, the order
 * is placed by the company's object under the occurrence key (its idempotency record answers a repeat with
 * the same order), and the schedule moves on only from the slot it was at.
 */
export type PlacementOutcome = 'placed' | 'failed' | 'paused' | 'already_done' | 'stale' | 'gone';
export interface PlacementResult {
  outcome: PlacementOutcome;
  /** the owner's notice, to send once the occurrence is recorded */
  notice?: Notice;
}

/** An occurrence this much past its time was missed (the platform was down) and is caught up: said so. */
export const LATE_AFTER_MS = 3_600_000;

const occurrenceId = async (scheduleId: string, at: number) =>
  formatId(
    'rocc',
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${scheduleId}@${at}`))),
  );

type Owner = NonNullable<Awaited<ReturnType<typeof placementFacts>>['owner']>;

/** Why the schedule cannot go on as it is (it pauses itself), or null. */
function pauseReason(f: Awaited<ReturnType<typeof placementFacts>>): string | null {
  const o = f.owner;
  if (o?.status !== 'active') return 'its owner is disabled';
  if (o.companyStatus !== 'active') return 'the company is suspended';
  if (!o.permissions.has('order.place')) return 'its owner may no longer place orders';
  if (!f.shipToActive) return 'its ship-to address was removed';
  if (f.schedule?.costCenterId && !f.costCenterActive) return 'its cost center was removed';
  return null;
}

export async function placeOccurrence(
  env: Env,
  msg: { scheduleId: string; occurrence: string },
  now: number,
  requestId: string,
): Promise<PlacementResult> {
  const db = createDatabase(env);
  const at = Date.parse(msg.occurrence);
  const f = await placementFacts(db, msg.scheduleId, at);
  const s = f.schedule;
  if (!s) return { outcome: 'gone' };
  if (f.occurrence && f.occurrence.status !== 'placing') return { outcome: 'already_done' };
  if (!f.occurrence && (s.status !== 'active' || s.nextDueAt !== at)) return { outcome: 'stale' };
  const id = await occurrenceId(s.id, at);
  const reason = pauseReason(f);
  if (reason || !f.owner) {
    const notice = await pauseItself(
      db,
      s,
      f.owner,
      { id, at, now, requestId },
      reason ?? 'its owner is gone',
    );
    return { outcome: 'paused', notice };
  }
  const owner = f.owner;
  const missed = Math.max(0, dueSlots(s, owner.country, at, now).length - 1);
  const object = companyObject(env, { companyId: s.companyId, db });
  let row = f.occurrence;
  if (!row) {
    const change = s.nextChange?.occurrence === at ? s.nextChange.lines : [];
    const source = await linesSource(db, s.companyId, s.ownerId, s.source);
    if (!source) {
      const reason = 'the list it orders from no longer exists or is no longer shared';
      const notice = await pauseItself(db, s, owner, { id, at, now, requestId }, reason);
      return { outcome: 'paused', notice };
    }
    const planned = await object.recurringPlan({
      scheduleId: s.id,
      ownerId: s.ownerId,
      source,
      quantities: change,
      autoReplace: s.autoReplace,
      now,
    });
    if (!planned.ok) {
      const notice = await pauseItself(db, s, owner, { id, at, now, requestId }, planned.message);
      return { outcome: 'paused', notice };
    }
    row = await claim(db, s, { id, at, now, missed }, planned.value.report);
  }
  if (row.status !== 'placing') return { outcome: 'already_done' };
  const order = orderedLines(row.lines);
  let status: OccurrenceRow['status'] = 'failed';
  let orderId: string | null = null;
  const problems: string[] = [];
  if (order.length === 0) problems.push('nothing could be ordered: every line was left out');
  else {
    const localDate = localDateAt(at, s.timeZone);
    const placed = await object.placeRecurring({
      key: occurrenceKey(s.id, at),
      ownerId: s.ownerId,
      scheduleId: s.id,
      name: `Recurring order “${s.name}” ${localDate}`,
      lines: order,
      input: {
        shipToSiteId: s.shipToSiteId,
        costCenterId: s.costCenterId,
        ...(s.poPattern ? { poNumber: expandPoPattern(s.poPattern, localDate, row.number) } : {}),
        deliveryMode: s.deliveryMode,
        ...(s.notes ? { instructions: s.notes } : {}),
      },
      requestId,
      now,
    });
    if (!placed.ok && (placed.code === 'conflict' || placed.code === 'cart_locked'))
      throw new AppError(
        'conflict',
        `occurrence ${row.id} is being placed by another run: ${placed.message}`,
      );
    if (placed.ok) {
      status = placed.value.status;
      orderId = placed.value.orderId;
    } else problems.push(placed.message, ...(placed.issues ?? []).map((i) => i.message));
  }
  const notice = await finish(db, s, owner, { ...row, status, orderId, problems, updatedAt: now }, requestId);
  return { outcome: status === 'failed' ? 'failed' : 'placed', notice };
}

/** The lines an occurrence orders, from its report: ordered as they are, or their replacements. */
const orderedLines = (report: readonly OccurrenceLine[]): OrderLine[] => {
  const lines = new Map<string, number>();
  for (const l of report) {
    const sku = l.outcome === 'replaced' ? l.replacement : l.outcome === 'ordered' ? l.sku : null;
    if (sku) lines.set(sku, (lines.get(sku) ?? 0) + l.quantity);
  }
  return [...lines].map(([sku, quantity]) => ({ sku, quantity }));
};

/** The occurrence row, claimed with its plan; the first claim wins (another run's plan is used as is). */
async function claim(
  db: Database,
  s: ScheduleRow,
  o: { id: string; at: number; now: number; missed: number },
  report: OccurrenceLine[],
): Promise<OccurrenceRow> {
  const [, rows] = await db.batch([
    insertOccurrence(db, {
      id: o.id,
      scheduleId: s.id,
      companyId: s.companyId,
      scheduledAt: o.at,
      number: s.occurrenceCount + 1,
      status: 'placing',
      orderId: null,
      lines: report,
      problems: [],
      missedSlots: o.missed,
      createdAt: o.now,
      updatedAt: o.now,
    }),
    db.select().from(recurringOccurrences).where(sql`${recurringOccurrences.id} = ${o.id}`),
  ]);
  const row = rows[0];
  if (!row) throw new Error(`occurrence ${o.id} was not claimed`);
  return row;
}

/**
 * One batch: the occurrence's outcome (only over a `placing` row, so a racing finisher counts once), the
 * schedule's count and next occurrence (moved on only from this slot: the first slot after now, so missed
 * slots are placed once), the notification for the owner and the audit row. Answers the notice to send.
 */
async function finish(db: Database, s: ScheduleRow, owner: Owner, o: OccurrenceRow, requestId: string) {
  const next = nextDueAfter(s, owner.country, Math.max(o.scheduledAt, o.updatedAt), 1);
  const notice = occurrenceNotice(s, owner, o);
  const statements: BatchItem<'sqlite'>[] = [
    db
      .update(recurringOrders)
      .set({ occurrenceCount: sql`${recurringOrders.occurrenceCount} + 1` })
      .where(
        sql`${recurringOrders.id} = ${s.id} AND EXISTS (SELECT 1 FROM ${recurringOccurrences} WHERE ${recurringOccurrences.id} = ${o.id} AND ${recurringOccurrences.status} = 'placing')`,
      ),
    updateOccurrence(db, o.id, {
      status: o.status,
      orderId: o.orderId,
      problems: o.problems,
      updatedAt: o.updatedAt,
    }),
    updateScheduleIfDue(db, s.id, o.scheduledAt, {
      nextDueAt: next,
      status: next === null ? 'ended' : 'active',
      nextChange: null,
      updatedAt: o.updatedAt,
    }),
    ...noticeStatements(db, s, o, notice, requestId),
  ];
  await runBatch(db, statements);
  return noticeMessage(s, o, notice);
}

function noticeStatements(
  db: Database,
  s: ScheduleRow,
  o: OccurrenceRow,
  notice: ReturnType<typeof occurrenceNotice>,
  requestId: string,
  action = `recurring_order.${o.status === 'failed' ? 'occurrence_failed' : 'occurrence_placed'}`,
): BatchItem<'sqlite'>[] {
  const eventId = noticeId(o, notice);
  return [
    db
      .insert(outbox)
      .values({
        id: eventId,
        topic: 'notification',
        companyId: s.companyId,
        aggregateId: o.id,
        payload: { eventId, companyId: s.companyId, event: notice.event, payload: notice.payload },
        createdAt: o.updatedAt,
      })
      .onConflictDoNothing(),
    insertAudit(db, {
      id: `aud_${o.id.slice(5)}_${o.status}`,
      at: o.updatedAt,
      actorId: 'system:recurring-orders',
      actorKind: 'system',
      actingForId: s.ownerId,
      companyId: s.companyId,
      action,
      targetType: 'recurring_order',
      targetId: s.id,
      summary: notice.payload.subject,
      requestId,
    }).onConflictDoNothing(),
  ];
}

const noticeId = (o: OccurrenceRow, notice: ReturnType<typeof occurrenceNotice>) =>
  `obx_${o.id.slice(5)}_${notice.event.replace('.', '_')}`;

/** The outbox row's id and the message it stands for, sent by `placeOccurrences` once the batch is done. */
const noticeMessage = (
  s: ScheduleRow,
  o: OccurrenceRow,
  notice: ReturnType<typeof occurrenceNotice>,
): Notice => {
  const eventId = noticeId(o, notice);
  return {
    id: eventId,
    body: { eventId, companyId: s.companyId, event: notice.event, payload: notice.payload },
  };
};

export interface Notice {
  id: string;
  body: { eventId: string; companyId: string; event: string; payload: Record<string, unknown> };
}

/**
 * The notices of a batch's occurrences go to the queue together and their outbox rows are marked sent in
 * one statement; should either fail, the five-minute outbox relay sends them (the consumer records each
 * event once).
 */
async function sendNotices(env: Env, notices: readonly Notice[], now: number) {
  if (notices.length === 0) return;
  try {
    await env.NOTIFICATIONS_QUEUE.sendBatch(
      notices.map((n) => ({ body: n.body, contentType: 'json' as const })),
    );
    await markDispatched(
      createDatabase(env),
      notices.map((n) => n.id),
      now,
    );
  } catch (err) {
    log('warn', 'recurring order notices left to the outbox relay', {
      count: notices.length,
      message: String(err),
    });
  }
}

/** The schedule cannot go on: paused with the reason, the occurrence recorded as failed, the owner told. */
async function pauseItself(
  db: Database,
  s: ScheduleRow,
  owner: Owner | undefined,
  o: { id: string; at: number; now: number; requestId: string },
  reason: string,
) {
  const row: OccurrenceRow = {
    id: o.id,
    scheduleId: s.id,
    companyId: s.companyId,
    scheduledAt: o.at,
    number: s.occurrenceCount + 1,
    status: 'failed',
    orderId: null,
    lines: [],
    problems: [`paused: ${reason}`],
    missedSlots: 0,
    createdAt: o.now,
    updatedAt: o.now,
  };
  const notice = occurrenceNotice(s, owner, row);
  await runBatch(db, [
    updateScheduleIfDue(db, s.id, o.at, {
      status: 'paused',
      pausedReason: reason,
      nextDueAt: null,
      updatedAt: o.now,
    }),
    insertOccurrence(db, row),
    ...noticeStatements(db, s, row, notice, o.requestId, 'recurring_order.paused_itself'),
  ]);
  return noticeMessage(s, row, notice);
}

/**
 * A queue batch of occurrences, placed side by side (they are other schedules, mostly other companies:
 * each company's object serialises its own), each outcome kept for its message.
 */
export async function placeOccurrences(
  env: Env,
  messages: readonly { id: string; body: { scheduleId: string; occurrence: string } }[],
): Promise<PromiseSettledResult<PlacementResult>[]> {
  const now = env.TEST_CLOCK ?? (() => Date.now());
  const settled = await Promise.allSettled(
    messages.map((m) => placeOccurrence(env, m.body, now(), `queue:${m.id}`)),
  );
  await sendNotices(
    env,
    settled.flatMap((r) => (r.status === 'fulfilled' && r.value.notice ? [r.value.notice] : [])),
    now(),
  );
  return settled;
}

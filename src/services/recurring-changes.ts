import { getSchedule, insertOccurrence, type ScheduleRow, updateSchedule } from '../db/queries/recurring';
import type { CompanyScope } from '../db/scope';
import { AppError, conflict } from '../domain/errors';
import type { OrderLine } from '../domain/recurring-terms';
import { newId } from '../lib/ids';
import { type Actor, auditInsert } from './audit';
import { countryOf, presentSchedule, readableSchedule } from './recurring-orders';
import { nextDueAfter } from './recurring-timing';

/**
 * What a buyer does to a running schedule: pause and resume it, skip its next occurrence, change
 * quantities for the next occurrence only or for every following one. Each change is one audited batch.
 */
async function write(
  scope: CompanyScope,
  actor: Actor,
  row: ScheduleRow,
  set: Partial<ScheduleRow>,
  action: string,
  summary: string,
  extra: Parameters<typeof scope.db.batch>[0][number][] = [],
) {
  await scope.db.batch([
    updateSchedule(scope, row.id, { ...set, updatedAt: actor.now }),
    auditInsert(scope.db, actor, {
      companyId: scope.companyId,
      action,
      targetType: 'recurring_order',
      targetId: row.id,
      summary,
    }),
    ...extra,
  ]);
  return presentSchedule((await getSchedule(scope, row.id)) ?? row, await countryOf(scope));
}

export async function pauseSchedule(
  scope: CompanyScope,
  actor: Actor,
  id: string,
  reason: string | undefined,
) {
  const row = await readableSchedule(scope, actor.principal, id);
  if (row.status !== 'active') throw conflict(`The recurring order is ${row.status}, not active`);
  const why = reason ?? 'paused by hand';
  return write(
    scope,
    actor,
    row,
    { status: 'paused', pausedReason: why, nextDueAt: null },
    'recurring_order.pause',
    `Paused: ${why}`,
  );
}

/** Resumes from now: what fell due while paused is not caught up (the answer's next occurrence says when). */
export async function resumeSchedule(scope: CompanyScope, actor: Actor, id: string) {
  const row = await readableSchedule(scope, actor.principal, id);
  if (row.status !== 'paused') throw conflict(`The recurring order is ${row.status}, not paused`);
  const next = nextDueAfter(row, await countryOf(scope), actor.now);
  return write(
    scope,
    actor,
    row,
    { status: next === null ? 'ended' : 'active', pausedReason: null, nextDueAt: next },
    'recurring_order.resume',
    next === null ? 'Resumed: no occurrence left, ended' : `Resumed; next ${new Date(next).toISOString()}`,
  );
}

/** The next occurrence is recorded as skipped (it counts toward a number of occurrences) and the one after is next. */
export async function skipNext(scope: CompanyScope, actor: Actor, id: string) {
  const row = await readableSchedule(scope, actor.principal, id);
  const due = row.nextDueAt;
  if (row.status !== 'active' || due === null)
    throw conflict(`The recurring order is ${row.status}: nothing to skip`);
  if (due <= actor.now)
    throw conflict('The next occurrence is being placed right now; skip the one after it later');
  const next = nextDueAfter(row, await countryOf(scope), due, 1);
  return write(
    scope,
    actor,
    row,
    {
      nextDueAt: next,
      status: next === null ? 'ended' : 'active',
      occurrenceCount: row.occurrenceCount + 1,
      nextChange: null,
    },
    'recurring_order.skip',
    `Skipped the occurrence of ${new Date(due).toISOString()}`,
    [
      insertOccurrence(scope.db, {
        id: newId('rocc'),
        scheduleId: row.id,
        companyId: scope.companyId,
        scheduledAt: due,
        number: row.occurrenceCount + 1,
        status: 'skipped',
        orderId: null,
        lines: [],
        problems: [],
        createdAt: actor.now,
        updatedAt: actor.now,
      }),
    ],
  );
}

/**
 * New quantities by SKU: for the next occurrence only (kept with its instant, dropped once it passed) or
 * for every following one (the schedule's own lines; a saved cart is changed in the cart). 0 leaves a line
 * out; for every following occurrence at least one line must remain.
 */
export async function changeQuantities(
  scope: CompanyScope,
  actor: Actor,
  id: string,
  body: { scope: 'next' | 'following'; lines: OrderLine[] },
) {
  const row = await readableSchedule(scope, actor.principal, id);
  const own = row.source.kind === 'lines' ? row.source.lines : null;
  const unknown = own
    ? body.lines.flatMap((l, i) =>
        own.some((x) => x.sku === l.sku)
          ? []
          : [{ in: 'body', path: `lines.${i}.sku`, message: 'not a line of this recurring order' }],
      )
    : [];
  if (unknown.length > 0)
    throw new AppError('unprocessable', 'Only lines of the recurring order can change', unknown);
  const summary = body.lines.map((l) => `${l.sku}=${l.quantity}`).join(', ');
  if (body.scope === 'next') {
    if (row.status !== 'active' || row.nextDueAt === null)
      throw conflict(`The recurring order is ${row.status}: no next occurrence`);
    return write(
      scope,
      actor,
      row,
      { nextChange: { occurrence: row.nextDueAt, lines: body.lines } },
      'recurring_order.change_next',
      `Quantities for the occurrence of ${new Date(row.nextDueAt).toISOString()}: ${summary}`,
    );
  }
  if (!own)
    throw new AppError('unprocessable', 'This recurring order orders a saved cart: change the cart itself', [
      { in: 'body', path: 'scope', message: 'only "next" for a recurring order that orders a saved cart' },
    ]);
  const changed = new Map(body.lines.map((l) => [l.sku, l.quantity]));
  const lines = own
    .map((l) => ({ sku: l.sku, quantity: changed.get(l.sku) ?? l.quantity }))
    .filter((l) => l.quantity > 0);
  if (lines.length === 0)
    throw new AppError('unprocessable', 'A recurring order keeps at least one line', [
      {
        in: 'body',
        path: 'lines',
        message: 'every line would be left out; pause or delete the recurring order instead',
      },
    ]);
  return write(
    scope,
    actor,
    row,
    { source: { kind: 'lines', lines } },
    'recurring_order.change_following',
    `Quantities from now on: ${summary}`,
  );
}

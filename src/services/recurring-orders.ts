import type { BatchItem } from 'drizzle-orm/batch';
import { runBatch } from '../db/queries/bulk';
import {
  deleteScheduleStatements,
  getSchedule,
  insertSchedule,
  type ScheduleRow,
  scheduleDefaults,
  updateSchedule,
} from '../db/queries/recurring';
import type { CompanyScope } from '../db/scope';
import { holidayCalendarFor } from '../domain/calendar';
import { AppError, type FieldIssue, forbidden, notFound } from '../domain/errors';
import type { Principal } from '../domain/principal';
import type { Frequency } from '../domain/recurrence';
import { poPatternProblem, type RecurringSource } from '../domain/recurring-terms';
import { localDateAt, zoneOfCountry } from '../domain/zoned-time';
import { companyObject } from '../durable/client';
import type { Env } from '../env';
import { newId } from '../lib/ids';
import { type Actor, auditInsert, describeChanges } from './audit';
import { linesSource } from './recurring-list-source';
import { nextDueAfter } from './recurring-timing';

/**
 * Recurring order schedules: who sees them (the owner; company admins see all), their shape, the records
 * they name (checked against the company: addresses and cost centers in SQL, SKUs and saved carts in the
 * company's object), their next occurrence, and every change audited in the batch that makes it.
 */
type SourceInput = {
  kind: RecurringSource['kind'];
  lines?: { sku: string; quantity: number }[];
  cartId?: string;
  listId?: string;
};
type FrequencyInput = {
  kind: Frequency['kind'];
  weekdays?: string[];
  everyWeeks?: number;
  day?: number;
  which?: 'first' | 'last';
  expression?: string;
};

export interface ScheduleInput {
  name: string;
  source: SourceInput;
  frequency: FrequencyInput;
  shipToSiteId: string | null;
  costCenterId: string | null;
  poPattern: string | null;
  deliveryMode: ScheduleRow['deliveryMode'];
  notes: string | null;
  autoReplace: boolean;
  startDate: string | null;
  endDate: string | null;
  maxOccurrences: number | null;
  timeZone: string | null;
  timeOfDay: string | null;
}

const issue = (path: string, message: string): FieldIssue & { in: 'body' } => ({ in: 'body', path, message });
const DEFAULT_TIME = '08:00';

/** A company admin (users.manage) sees and changes every schedule of the company; others their own. */
export const seesAllSchedules = (p: Principal) => p.permissions.has('users.manage');

export async function readableSchedule(scope: CompanyScope, principal: Principal, id: string) {
  const row = await getSchedule(scope, id);
  if (!row || (row.ownerId !== principal.id && !seesAllSchedules(principal)))
    throw notFound('Recurring order');
  return row;
}

const FIELDS_OF: Record<Frequency['kind'], readonly (keyof FrequencyInput)[]> = {
  weekly: ['weekdays', 'everyWeeks'],
  monthly_day: ['day'],
  business_day: ['which'],
  cron: ['expression'],
};
const REQUIRED_OF: Record<Frequency['kind'], readonly (keyof FrequencyInput)[]> = {
  weekly: ['weekdays'],
  monthly_day: ['day'],
  business_day: ['which'],
  cron: ['expression'],
};
const SOURCE_FIELD = { lines: 'lines', cart: 'cartId', list: 'listId' } as const;

/** Fields that depend on a kind or on each other: 400 with the path of each. */
function shapeIssues(s: ScheduleInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const f = s.frequency;
  for (const field of ['weekdays', 'everyWeeks', 'day', 'which', 'expression'] as const) {
    const set = f[field] !== undefined;
    if (set && !FIELDS_OF[f.kind].includes(field))
      issues.push(issue(`frequency.${field}`, `not used by ${f.kind}`));
    if (!set && REQUIRED_OF[f.kind].includes(field))
      issues.push(issue(`frequency.${field}`, `required for ${f.kind}`));
  }
  for (const [kind, field] of Object.entries(SOURCE_FIELD)) {
    const set = s.source[field] !== undefined;
    if (kind === s.source.kind && !set) issues.push(issue(`source.${field}`, `required for ${kind}`));
    if (kind !== s.source.kind && set) issues.push(issue(`source.${field}`, `not used by ${s.source.kind}`));
  }
  if (f.kind === 'cron' && s.timeOfDay !== null)
    issues.push(issue('timeOfDay', 'a cron expression carries its own time; leave timeOfDay out'));
  if (s.startDate && s.endDate && s.endDate < s.startDate)
    issues.push(issue('endDate', 'must be on or after startDate'));
  if (s.poPattern) {
    const problem = poPatternProblem(s.poPattern);
    if (problem) issues.push(issue('poPattern', problem));
  }
  return issues;
}

function rejectInvalid(issues: FieldIssue[]): void {
  if (issues.length > 0)
    throw new AppError('validation_failed', `${issues.length} invalid field(s) in the request body`, issues);
}

const toSource = (s: SourceInput): RecurringSource =>
  s.kind === 'lines'
    ? { kind: 'lines', lines: s.lines ?? [] }
    : s.kind === 'cart'
      ? { kind: 'cart', cartId: s.cartId ?? '' }
      : { kind: 'list', listId: s.listId ?? '' };

const toFrequency = (f: FrequencyInput): Frequency =>
  f.kind === 'weekly'
    ? {
        kind: 'weekly',
        weekdays: (f.weekdays ?? []) as Extract<Frequency, { kind: 'weekly' }>['weekdays'],
        everyWeeks: f.everyWeeks ?? 1,
      }
    : f.kind === 'monthly_day'
      ? { kind: 'monthly_day', day: f.day ?? 1 }
      : f.kind === 'business_day'
        ? { kind: 'business_day', which: f.which ?? 'first' }
        : { kind: 'cron', expression: (f.expression ?? '').trim() };

/**
 * The schedule as it will be stored, every reference checked: 400 for its shape, 404 for a saved cart or
 * list it cannot see, 422 for an address, cost center or SKU the company does not have; nothing stored.
 */
async function resolve(env: Env, scope: CompanyScope, ownerId: string, s: ScheduleInput, now: number) {
  rejectInvalid(shapeIssues(s));
  const defaults = await scheduleDefaults(scope);
  const timeZone = s.timeZone ?? zoneOfCountry(defaults.country);
  if (!timeZone)
    rejectInvalid([
      issue('timeZone', `required: your company's country (${defaults.country}) has several time zones`),
    ]);
  const zone = timeZone ?? 'UTC';
  const startDate = s.startDate ?? localDateAt(now, zone);
  if (s.endDate && s.endDate < startDate)
    rejectInvalid([issue('endDate', `must be on or after the start date ${startDate}`)]);
  const object = companyObject(env, scope);
  const source = toSource(s.source);
  if (source.kind === 'cart' && !(await object.recurringSavedCart(ownerId, source.cartId)))
    throw new AppError('not_found', 'Saved cart not found', [
      issue('source.cartId', 'no saved cart of yours or shared with you'),
    ]);
  const issues: FieldIssue[] = [];
  if (source.kind === 'list' && !(await linesSource(scope.db, scope.companyId, ownerId, source)))
    throw new AppError('not_found', 'List not found', [
      issue('source.listId', 'no list of yours or shared in your company'),
    ]);
  const shipTo = s.shipToSiteId ?? defaults.defaultShipTo;
  if (!shipTo) issues.push(issue('shipToSiteId', 'the company has no default ship-to address; name one'));
  else if (!defaults.siteIds.has(shipTo))
    issues.push(issue('shipToSiteId', 'not an active address of your company'));
  if (s.costCenterId && !defaults.costCenterIds.has(s.costCenterId))
    issues.push(issue('costCenterId', 'not an active cost center of your company'));
  if (source.kind === 'lines') {
    const seen = new Set(
      await object.recurringVisible(
        source.lines.map((l) => l.sku),
        now,
      ),
    );
    source.lines.forEach((l, i) => {
      if (!seen.has(l.sku))
        issues.push(issue(`source.lines.${i}.sku`, `no product "${l.sku}" in your catalog`));
    });
  }
  if (issues.length > 0)
    throw new AppError('unprocessable', 'Some referenced records cannot be used', issues);
  const frequency = toFrequency(s.frequency);
  const timing = {
    frequency,
    startDate,
    endDate: s.endDate,
    maxOccurrences: s.maxOccurrences,
    timeZone: zone,
    timeOfDay: frequency.kind === 'cron' ? '00:00' : (s.timeOfDay ?? DEFAULT_TIME),
  };
  return { source, shipToSiteId: shipTo ?? '', timing, country: defaults.country };
}

export function presentSchedule(row: ScheduleRow, country: string) {
  const { companyId: _c, enqueuedFor: _f, enqueuedAt: _a, nextChange, timeOfDay, ...rest } = row;
  return {
    ...rest,
    timeOfDay: row.frequency.kind === 'cron' ? null : timeOfDay,
    nextChange: nextChange ? { occurrenceAt: nextChange.occurrence, lines: nextChange.lines } : null,
    holidayCalendar: holidayCalendarFor(country),
  };
}

const countryOf = async (scope: CompanyScope) => (await scheduleDefaults(scope)).country;

export async function createSchedule(env: Env, scope: CompanyScope, actor: Actor, input: ScheduleInput) {
  const p = actor.principal;
  if (p.kind !== 'user' || p.companyId !== scope.companyId)
    throw forbidden('A recurring order belongs to a person of the company: its orders are placed as them');
  if (!p.permissions.has('order.place'))
    throw forbidden('A recurring order places orders: this needs "order.place"');
  const r = await resolve(env, scope, p.id, input, actor.now);
  const next = nextDueAfter({ ...r.timing, occurrenceCount: 0 }, r.country, actor.now);
  if (next === null) rejectInvalid([issue('endDate', 'no occurrence falls between now and the end date')]);
  const id = newId('rec');
  await scope.db.batch([
    insertSchedule(scope.db, {
      id,
      companyId: scope.companyId,
      ownerId: p.id,
      name: input.name,
      status: 'active',
      source: r.source,
      shipToSiteId: r.shipToSiteId,
      costCenterId: input.costCenterId,
      poPattern: input.poPattern,
      deliveryMode: input.deliveryMode,
      notes: input.notes,
      autoReplace: input.autoReplace,
      ...r.timing,
      nextDueAt: next,
      createdAt: actor.now,
      updatedAt: actor.now,
    }),
    auditInsert(scope.db, actor, {
      companyId: scope.companyId,
      action: 'recurring_order.create',
      targetType: 'recurring_order',
      targetId: id,
      summary: `Created recurring order ${input.name} (${input.frequency.kind}, next ${next === null ? '—' : new Date(next).toISOString()})`,
    }),
  ]);
  const row = await getSchedule(scope, id);
  if (!row) throw notFound('Recurring order');
  return presentSchedule(row, r.country);
}

/** A stored schedule as an input, so a PATCH is checked as the whole merged schedule. */
const asInput = (row: ScheduleRow): ScheduleInput => ({
  ...row,
  source: row.source,
  frequency: row.frequency,
  timeOfDay: row.frequency.kind === 'cron' ? null : row.timeOfDay,
});

export async function updateScheduleFields(
  env: Env,
  scope: CompanyScope,
  actor: Actor,
  id: string,
  changes: Partial<ScheduleInput>,
) {
  const row = await readableSchedule(scope, actor.principal, id);
  const merged = { ...asInput(row), ...changes };
  // switching a frequency to cron drops the time of day it had
  if (changes.frequency?.kind === 'cron' && changes.timeOfDay === undefined) merged.timeOfDay = null;
  const r = await resolve(env, scope, row.ownerId, merged, actor.now);
  const retimed =
    row.status === 'active' &&
    (changes.frequency ||
      changes.startDate ||
      changes.endDate !== undefined ||
      changes.maxOccurrences !== undefined ||
      changes.timeZone ||
      changes.timeOfDay !== undefined);
  const next = retimed
    ? nextDueAfter({ ...r.timing, occurrenceCount: row.occurrenceCount }, r.country, actor.now)
    : row.nextDueAt;
  const statements: BatchItem<'sqlite'>[] = [
    updateSchedule(scope, id, {
      ...changes,
      source: r.source,
      shipToSiteId: r.shipToSiteId,
      ...r.timing,
      nextDueAt: next,
      status: row.status === 'active' && next === null ? 'ended' : row.status,
      updatedAt: actor.now,
    }),
    auditInsert(scope.db, actor, {
      companyId: scope.companyId,
      action: 'recurring_order.update',
      targetType: 'recurring_order',
      targetId: id,
      summary: `Changed ${describeChanges(changes)}`.slice(0, 1000),
    }),
  ];
  await runBatch(scope.db, statements);
  return presentSchedule((await getSchedule(scope, id)) ?? row, r.country);
}

export async function deleteSchedule(scope: CompanyScope, actor: Actor, id: string): Promise<void> {
  const row = await readableSchedule(scope, actor.principal, id);
  await runBatch(scope.db, [
    ...deleteScheduleStatements(scope, id),
    auditInsert(scope.db, actor, {
      companyId: scope.companyId,
      action: 'recurring_order.delete',
      targetType: 'recurring_order',
      targetId: id,
      summary: `Deleted recurring order ${row.name} after ${row.occurrenceCount} occurrence(s)`,
    }),
  ]);
}

export async function readSchedule(scope: CompanyScope, principal: Principal, id: string) {
  return presentSchedule(await readableSchedule(scope, principal, id), await countryOf(scope));
}

export { countryOf };

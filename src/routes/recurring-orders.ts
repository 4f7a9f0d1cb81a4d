import { Hono } from 'hono';
import * as v from 'valibot';
import { listSchedules } from '../db/queries/recurring';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { companyScoped, requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, pageOf } from '../http/paging';
import { asSeenBy } from '../http/prices-visibility';
import { validBody, validParams, validQuery } from '../http/validate';
import { changeQuantities, pauseSchedule, resumeSchedule, skipNext } from '../services/recurring-changes';
import {
  countryOf,
  createSchedule,
  deleteSchedule,
  presentSchedule,
  readSchedule,
  seesAllSchedules,
  updateScheduleFields,
} from '../services/recurring-orders';
import { occurrenceHistory, previewSchedule } from '../services/recurring-view';
import {
  HistoryQuery,
  ListQuery,
  NewSchedule,
  Occurrence,
  PauseBody,
  PreviewAnswer,
  PreviewQuery,
  QuantitiesBody,
  Schedule,
  SchedulePatch,
} from './recurring-schemas';
import { IdParam } from './schemas';

const tags = ['Recurring orders'];
const RULES =
  'Frequencies: `weekly` (`weekdays`, `everyWeeks`), `monthly_day` (`day` 1–31; past the month’s end: its last day), ' +
  '`business_day` (`which`: first or last; weekends and the company country’s public holidays skipped), `cron` ' +
  '(`expression`, five fields, at most hourly). Times are local to `timeZone` (default: the company country’s); ' +
  'a time that does not exist on a spring-forward day happens that much later (02:30 → 03:30), one that happens ' +
  'twice on a fall-back day happens the first time. Orders are placed as the owner, channel `recurring`.';
const Cursor = v.object({ at: v.number(), id: v.string() });
const HistoryCursor = v.object({ at: v.number() });

/** /v1/recurring-orders: `recurring.manage`; the owner sees their schedules, company admins all of the company's. */
export const recurringOrderRoutes = new Hono<AppEnv>()
  .use(companyScoped)
  .use(requirePermission('recurring.manage'))
  .get(
    '/',
    doc({
      tags,
      summary: 'Recurring orders: mine, or (company admins) all of the company',
      ok: pageOf(Schedule),
    }),
    validQuery(ListQuery),
    async (c) => {
      const q = c.req.valid('query');
      const scope = scopeOf(c);
      const p = c.var.principal;
      const rows = await listSchedules(scope, {
        ownerId: q.mine === 'true' || !seesAllSchedules(p) ? p.id : undefined,
        before: decodeCursor(Cursor, q.cursor),
        limit: q.limit + 1,
      });
      const country = await countryOf(scope);
      const page = keysetPage(rows, q.limit, (last) => ({ at: last.createdAt, id: last.id }));
      return c.json({ ...page, items: page.items.map((r) => presentSchedule(r, country)) });
    },
  )
  .post(
    '/',
    doc({
      tags,
      summary: 'Set up a recurring order',
      description: RULES,
      ok: Schedule,
      status: 201,
      errors: { 422: 'An address, cost center or SKU the company does not have; lists (not available yet)' },
    }),
    validBody(NewSchedule),
    async (c) => {
      const b = c.req.valid('json');
      const created = await createSchedule(c.env, scopeOf(c), actorOf(c), {
        ...b,
        shipToSiteId: b.shipToSiteId ?? null,
        costCenterId: b.costCenterId ?? null,
        poPattern: b.poPattern ?? null,
        deliveryMode: b.deliveryMode ?? 'standard',
        notes: b.notes ?? null,
        autoReplace: b.autoReplace ?? false,
        startDate: b.startDate ?? null,
        endDate: b.endDate ?? null,
        maxOccurrences: b.maxOccurrences ?? null,
        timeZone: b.timeZone ?? null,
        timeOfDay: b.timeOfDay ?? null,
      });
      c.header('location', `/v1/recurring-orders/${created.id}`);
      return c.json(created, 201);
    },
  )
  .get('/:id', doc({ tags, summary: 'One recurring order', ok: Schedule }), validParams(IdParam), async (c) =>
    c.json(await readSchedule(scopeOf(c), c.var.principal, c.req.valid('param').id)),
  )
  .patch(
    '/:id',
    doc({
      tags,
      summary: 'Change a recurring order (checked as a whole; its next occurrence is worked out again)',
      description: RULES,
      ok: Schedule,
      errors: { 422: 'An address, cost center or SKU the company does not have' },
    }),
    validParams(IdParam),
    validBody(SchedulePatch),
    async (c) =>
      c.json(
        await updateScheduleFields(
          c.env,
          scopeOf(c),
          actorOf(c),
          c.req.valid('param').id,
          c.req.valid('json'),
        ),
      ),
  )
  .delete(
    '/:id',
    doc({ tags, summary: 'Delete a recurring order (its orders stay)', status: 204 }),
    validParams(IdParam),
    async (c) => {
      await deleteSchedule(scopeOf(c), actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .get(
    '/:id/preview',
    doc({
      tags,
      summary:
        'The next occurrences, and the next one priced now with every problem and what checkout would say',
      ok: PreviewAnswer,
    }),
    validParams(IdParam),
    validQuery(PreviewQuery),
    async (c) => {
      const { services, principal } = c.var;
      const answer = await previewSchedule(
        c.env,
        scopeOf(c),
        principal,
        c.req.valid('param').id,
        c.req.valid('query').count,
        services.now(),
      );
      return c.json(asSeenBy(principal, answer));
    },
  )
  .get(
    '/:id/occurrences',
    doc({
      tags,
      summary: 'Every occurrence so far, newest first: outcome, order, what happened to each line',
      ok: pageOf(Occurrence),
    }),
    validParams(IdParam),
    validQuery(HistoryQuery),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await occurrenceHistory(scopeOf(c), c.var.principal, c.req.valid('param').id, {
        before: decodeCursor(HistoryCursor, q.cursor)?.at,
        limit: q.limit,
      });
      return c.json(keysetPage(rows, q.limit, (last) => ({ at: last.scheduledAt })));
    },
  )
  .post(
    '/:id/pause',
    doc({ tags, summary: 'Pause a recurring order', ok: Schedule, errors: { 409: 'Not active' } }),
    validParams(IdParam),
    validBody(PauseBody),
    async (c) =>
      c.json(
        await pauseSchedule(scopeOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json').reason),
      ),
  )
  .post(
    '/:id/resume',
    doc({
      tags,
      summary: 'Resume a paused recurring order from now (what fell due while paused is not placed)',
      ok: Schedule,
      errors: { 409: 'Not paused' },
    }),
    validParams(IdParam),
    async (c) => c.json(await resumeSchedule(scopeOf(c), actorOf(c), c.req.valid('param').id)),
  )
  .post(
    '/:id/skip-next',
    doc({
      tags,
      summary: 'Skip the next occurrence (recorded as skipped)',
      ok: Schedule,
      errors: { 409: 'Not active, or the next occurrence is being placed' },
    }),
    validParams(IdParam),
    async (c) => c.json(await skipNext(scopeOf(c), actorOf(c), c.req.valid('param').id)),
  )
  .post(
    '/:id/quantities',
    doc({
      tags,
      summary: 'Change quantities for the next occurrence only (`scope: next`) or every following one',
      description: 'Quantity 0 leaves the line out. `following` changes the recurring order’s own lines.',
      ok: Schedule,
      errors: {
        409: 'No next occurrence',
        422: 'A SKU not in the recurring order; `following` on a saved cart',
      },
    }),
    validParams(IdParam),
    validBody(QuantitiesBody),
    async (c) =>
      c.json(await changeQuantities(scopeOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'))),
  );

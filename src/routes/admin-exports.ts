import { Hono } from 'hono';
import * as v from 'valibot';
import { listExports } from '../db/queries/erp-exports';
import { EXPORT_KINDS, EXPORT_STATES } from '../domain/erp-terms';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { validParams, validQuery } from '../http/validate';
import { erpLinkStatus, redriveOrderExports } from '../services/erp-export-admin';
import { IdParam, IdSchema } from './schemas';

const tags = ['Supplier administration'];

const Export = v.object({
  id: v.string(),
  orderId: v.string(),
  companyId: v.string(),
  kind: v.picklist(EXPORT_KINDS),
  state: v.picklist(EXPORT_STATES),
  attempts: v.number(),
  lastStatusCode: v.nullable(v.number()),
  // the ERP's answer (status and the first 1,000 characters of its body), or why there was none
  lastError: v.nullable(v.string()),
  lastAttemptAt: v.nullable(v.number()),
  sentAt: v.nullable(v.number()),
  acknowledgedAt: v.nullable(v.number()),
  createdAt: v.number(),
  updatedAt: v.number(),
});
const LinkStatus = {
  erpConfigured: v.boolean(),
  waitingInOutbox: v.number(),
  note: v.nullable(v.string()),
};
const ListQuery = v.strictObject({
  state: v.optional(v.picklist(EXPORT_STATES)),
  companyId: v.optional(IdSchema),
  kind: v.optional(v.picklist(EXPORT_KINDS)),
  orderId: v.optional(IdSchema),
  ...PageParams,
});
const Cursor = v.object({ at: v.number(), id: v.string() });
const RedriveQuery = v.strictObject({ force: v.optional(v.picklist(['true', 'false'])) });

const STATES =
  'pending: waiting to be sent or retried; sent: the ERP took it; acknowledged: the ERP confirmed the order; ' +
  'failed: the ERP refused it (4xx) or every retry failed. docs/erp.md, "Platform → ERP".';

/** The ERP export of orders, for platform admins: what went, what failed and why, and sending it again. */
export const adminExportRoutes = new Hono<AppEnv>()
  .get(
    '/exports',
    doc({
      tags,
      summary: 'ERP exports (orders, cancellations, receipts, problem reports), most recently changed first',
      description: `${STATES} erpConfigured false: no ERP_BASE_URL, nothing is sent and exports stay pending.`,
      ok: v.object({ ...pageOf(Export).entries, ...LinkStatus }),
    }),
    requirePermission('platform.admin'),
    validQuery(ListQuery),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const { db } = c.var.services;
      const [rows, link] = await Promise.all([
        listExports(db, { ...filter, before: decodeCursor(Cursor, cursor), limit: limit + 1 }),
        erpLinkStatus(c.env, db),
      ]);
      return c.json({ ...keysetPage(rows, limit, (last) => ({ at: last.updatedAt, id: last.id })), ...link });
    },
  )
  .post(
    '/orders/:id/export',
    doc({
      tags,
      summary: "Send an order's failed or pending ERP exports again (re-drive)",
      description:
        'Each failed or pending export of the order goes back to pending and onto the queue (an event in the ' +
        "order's history, an audit row). An export already sent is a 409 unless force=true, which sends it " +
        'again with the same Idempotency-Key (for an ERP that lost it); one the ERP acknowledged is never sent again.',
      status: 202,
      ok: v.object({ orderId: v.string(), exports: v.array(Export) }),
      errors: { 409: 'Already sent (use force=true) or acknowledged; not placed; or no ERP configured' },
    }),
    requirePermission('platform.admin'),
    validParams(IdParam),
    validQuery(RedriveQuery),
    async (c) => {
      const { db } = c.var.services;
      const result = await redriveOrderExports(
        c.env,
        db,
        actorOf(c),
        c.req.valid('param').id,
        c.req.valid('query').force === 'true',
      );
      return c.json(result, 202);
    },
  );

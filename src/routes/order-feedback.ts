import { Hono } from 'hono';
import * as v from 'valibot';
import { PROBLEM_KINDS } from '../domain/erp-terms';
import type { AppContext, AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { validBody, validParams } from '../http/validate';
import { confirmReceipt, reportProblem } from '../services/order-feedback';
import { enqueueOutbox } from '../services/outbox-relay';
import { orderReader, placedByFilter } from './order-access';
import { ProblemReportSchema, ShipmentSchema, shipmentView } from './order-life-schemas';
import { IdSchema, QuantitySchema, text } from './schemas';

/**
 * What the buyer answers to the order's life (docs/orders.md): a shipment received, a problem on a line.
 * Both need `order.place` (whoever orders receives) and an order the caller reads (a buyer: their own).
 */
const tags = ['Checkout and orders'];

const ReceiptParams = v.strictObject({ id: IdSchema, shipmentId: IdSchema });
const LineParams = v.strictObject({
  id: IdSchema,
  lineNo: v.pipe(v.string(), v.regex(/^[1-9][0-9]{0,4}$/, 'a line number (1, 2, …)'), v.transform(Number)),
});
const ProblemBody = v.pipe(
  v.strictObject({
    kind: v.picklist(PROBLEM_KINDS, 'damaged, missing, wrong_item or other'),
    quantity: QuantitySchema,
    note: v.optional(text({ max: 2000, multiline: true })),
    shipmentId: v.optional(IdSchema),
  }),
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed && dataset.value.kind === 'other' && dataset.value.note === undefined)
      addIssue({
        message: 'say what is wrong when the kind is other',
        path: [{ type: 'object', origin: 'value', input: dataset.value, key: 'note', value: undefined }],
      });
  }),
);

const actorOf = (c: AppContext) => ({
  principal: c.var.principal,
  requestId: c.var.requestId,
  now: c.var.services.now(),
});

/** The outbox rows just written go out now; the five-minute relay sends whatever this misses. */
const relaySoon = (c: AppContext, orderId: string) =>
  c.executionCtx.waitUntil(enqueueOutbox(c.env, scopeOf(c).companyId, orderId).catch(() => 0));

export const orderFeedbackRoutes = new Hono<AppEnv>()
  .post(
    '/:id/shipments/:shipmentId/receipt',
    doc({
      tags,
      summary: 'Confirm receipt of a shipment (once: a repeat answers the first receipt); the ERP is told',
      ok: ShipmentSchema,
    }),
    requirePermission('order.place'),
    orderReader,
    validParams(ReceiptParams),
    validBody(v.strictObject({})),
    async (c) => {
      const { id, shipmentId } = c.req.valid('param');
      const shipment = await confirmReceipt(scopeOf(c), actorOf(c), id, shipmentId, placedByFilter(c, false));
      relaySoon(c, id);
      return c.json(shipmentView(shipment));
    },
  )
  .post(
    '/:id/lines/:lineNo/problems',
    doc({
      tags,
      summary:
        'Report a problem on a line (damaged, missing, wrong item, other); the ERP and the sales rep are told',
      description:
        'With an `Idempotency-Key` header a retry answers the report it made instead of making a second one; the ' +
        'same key with another report is a 422 `idempotency_key_reused`.',
      status: 201,
      ok: ProblemReportSchema,
      errors: {
        409: 'The order is not placed',
        422: 'More units than the line has; not a shipment of this order',
      },
    }),
    requirePermission('order.place'),
    orderReader,
    validParams(LineParams),
    validBody(ProblemBody),
    async (c) => {
      const { id, lineNo } = c.req.valid('param');
      const key = c.req.header('idempotency-key');
      const { report, sku, created } = await reportProblem(
        scopeOf(c),
        actorOf(c),
        {
          orderId: id,
          lineNo,
          idempotencyKey: key === undefined || key === '' ? undefined : key.slice(0, 200),
        },
        c.req.valid('json'),
        placedByFilter(c, false),
      );
      if (created) relaySoon(c, id);
      const { companyId: _c, ...view } = report;
      // a replay answers as the first call did (as checkout does)
      return c.json({ ...view, sku }, 201);
    },
  );

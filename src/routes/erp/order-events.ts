import { Hono } from 'hono';
import * as v from 'valibot';
import { companyOfOrder } from '../../db/queries/order-life';
import { ERP_EVENT_TYPES, FULFILMENT_STATUSES } from '../../domain/erp-terms';
import { AppError, type FieldIssue, notFound } from '../../domain/errors';
import { ORDER_STATUSES } from '../../domain/order-terms';
import { checkPublicUrl, type UrlPolicy } from '../../domain/public-url';
import { companyObject, unwrap } from '../../durable/client';
import type { AppEnv } from '../../http/context';
import { doc } from '../../http/openapi';
import { validBody, validParams } from '../../http/validate';
import { urlPolicyFor } from '../../services/public-fetch';
import { IdParam } from '../schemas';
import { type ErpEventInput, ErpEventSchema, toErpEvent } from './order-event-schema';

const Answer = v.object({
  eventId: v.string(),
  orderId: v.string(),
  type: v.picklist(ERP_EVENT_TYPES),
  occurredAt: v.number(),
  receivedAt: v.number(),
  waiting: v.boolean(),
  order: v.object({
    status: v.picklist(ORDER_STATUSES),
    fulfilmentStatus: v.picklist(FULFILMENT_STATUSES),
    erpOrderNumber: v.nullable(v.string()),
  }),
});

/**
 * Tracking and document URLs are shown to buyers as links: a partner sets them, so the one public-URL rule
 * decides (https to a public host; in development the loopback host too).
 */
function urlIssues(input: ErpEventInput, policy: UrlPolicy): FieldIssue[] {
  const urls: [string, string | undefined][] = [
    ['shipment.trackingUrl', input.shipment?.trackingUrl],
    ['invoice.documentUrl', input.invoice?.documentUrl],
    ['creditNote.documentUrl', input.creditNote?.documentUrl],
  ];
  return urls.flatMap(([path, url]) => {
    const verdict = url === undefined ? undefined : checkPublicUrl(url, policy);
    return verdict && !verdict.ok ? [{ in: 'body', path, message: `not allowed: ${verdict.reason}` }] : [];
  });
}

/** POST /erp/v1/orders/{id}/events. */
export const erpOrderEventRoutes = new Hono<AppEnv>().post(
  '/:id/events',
  doc({
    tags: ['ERP'],
    summary:
      'An event of the order in the ERP: acknowledged, shipped, delivered, invoiced, credited, cancelled',
    description:
      'Idempotent per `eventId` (the same event again answers the same, a different body under the same id is a 409) ' +
      'and applied in the order of `occurredAt`, whatever order events arrive in. A delivery naming a shipment not ' +
      'reported yet is kept and applied when it arrives (`waiting: true`). See docs/erp.md.',
    ok: Answer,
    errors: {
      403: 'Needs erp.write (a platform key with scope erp:write, or a platform admin)',
      409: 'The order was never placed; the event id was used with another body or order; the document number belongs to another order',
      422: 'A line the order does not have, or more shipped than ordered or confirmed (`errors[].path` names the quantity)',
    },
  }),
  validParams(IdParam),
  validBody(ErpEventSchema),
  async (c) => {
    const { principal, services, requestId } = c.var;
    const input = c.req.valid('json');
    const issues = urlIssues(input, urlPolicyFor(services.config.ENVIRONMENT));
    if (issues.length > 0)
      throw new AppError('validation_failed', 'A URL in the event is not allowed', issues);
    const orderId = c.req.valid('param').id;
    const companyId = await companyOfOrder(services.db, orderId);
    if (!companyId) throw notFound('Order');
    const answer = unwrap(
      await companyObject(c.env, { companyId, db: services.db }).recordErpEvent({
        orderId,
        event: toErpEvent(input),
        actor: { id: principal.id, kind: principal.kind },
        requestId,
        now: services.now(),
      }),
    );
    return c.json(answer);
  },
);

import { Hono } from 'hono';
import * as v from 'valibot';
import { type DeliveryRow, listDeliveries } from '../db/queries/notifications';
import { DELIVERY_STATUSES } from '../domain/order-terms';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { validBody, validQuery } from '../http/validate';
import { readWebhookSettings, sendTestNotification, updateWebhookSettings } from '../services/notifications';
import { urlPolicyFor } from '../services/public-fetch';
import { text } from './schemas';

const tags = ['Company notifications'];
// the shape here; whether the destination is allowed depends on the environment (the service decides)
const WebhookUrl = text({ max: 2000 });
const SettingsInput = v.strictObject({
  webhookUrl: v.nullable(WebhookUrl),
  rotateSecret: v.optional(v.boolean()),
});
const Settings = v.object({
  webhookUrl: v.nullable(v.string()),
  hasSecret: v.boolean(),
  secret: v.optional(v.string()),
});
const Status = v.picklist(DELIVERY_STATUSES);
const DeliveriesQuery = v.strictObject({
  status: v.optional(Status),
  ...PageParams,
});
const Cursor = v.object({ at: v.number(), id: v.string() });
const Delivery = v.object({
  id: v.string(),
  eventId: v.string(),
  event: v.string(),
  status: Status,
  attempts: v.number(),
  lastStatusCode: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
  createdAt: v.string(),
  lastAttemptAt: v.nullable(v.string()),
  deliveredAt: v.nullable(v.string()),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
// No payload (it can be large) and no tenant column: the caller knows its company.
const present = (d: DeliveryRow) => ({
  id: d.id,
  eventId: d.eventId,
  event: d.event,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  createdAt: new Date(d.createdAt).toISOString(),
  lastAttemptAt: iso(d.lastAttemptAt),
  deliveredAt: iso(d.deliveredAt),
});

const manage = requirePermission('users.manage');

/** The company's webhook: where notifications go, how they are signed, and what became of each. */
export const companyNotificationRoutes = new Hono<AppEnv>()
  .get(
    '/notifications/settings',
    doc({ tags, summary: 'Webhook settings (the secret is never shown again)', ok: Settings }),
    manage,
    async (c) => c.json(await readWebhookSettings(scopeOf(c))),
  )
  .put(
    '/notifications/settings',
    doc({
      tags,
      summary: 'Set or clear the webhook URL; a new signing secret is returned once',
      description:
        'Setting a URL when no secret exists, or with `rotateSecret: true`, generates a signing secret. ' +
        'It is in this response only: store it now. The URL must be https to a public host (no IP ' +
        'address of a private, loopback or link-local range, no local names, no credentials).',
      ok: Settings,
    }),
    manage,
    validBody(SettingsInput),
    async (c) => {
      const policy = urlPolicyFor(c.var.services.config.ENVIRONMENT);
      return c.json(await updateWebhookSettings(scopeOf(c), actorOf(c), c.req.valid('json'), policy));
    },
  )
  .get(
    '/notifications/deliveries',
    doc({
      tags,
      summary: 'Webhook deliveries, newest first',
      ok: pageOf(Delivery),
    }),
    manage,
    validQuery(DeliveriesQuery),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await listDeliveries(scopeOf(c), {
        status: q.status,
        before: decodeCursor(Cursor, q.cursor),
        limit: q.limit + 1,
      });
      const page = keysetPage(rows, q.limit, (last) => ({ at: last.createdAt, id: last.id }));
      return c.json({ ...page, items: page.items.map(present) });
    },
  )
  .post(
    '/notifications/test',
    doc({
      tags,
      summary: 'Send a test event (order.placed with payload { test: true }) to the webhook',
      ok: v.object({ eventId: v.string() }),
      status: 202,
    }),
    manage,
    async (c) => c.json(await sendTestNotification(scopeOf(c), c.env.NOTIFICATIONS_QUEUE), 202),
  );

import * as v from 'valibot';
import type { Database } from '../db/client';
import {
  type AttemptOutcome,
  type DeliveryRow,
  getCompanySettings,
  markDeliveryFailed,
  recordAttempt,
  recordDeliveryOnce,
  upsertCompanySettings,
} from '../db/queries/notifications';
import type { CompanyScope } from '../db/scope';
import { AppError } from '../domain/errors';
import { checkPublicUrl, type UrlPolicy } from '../domain/public-url';
import { newId } from '../lib/ids';
import { MessageSchemas } from '../queues/messages';
import { type Actor, auditInsert } from './audit';
import { type FetchLike, fetchPublic } from './public-fetch';

export type Notification = v.InferOutput<typeof MessageSchemas.notifications>;
export type NotificationEvent = Notification['event'];
export type { FetchLike };

export const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_ERROR_LENGTH = 500;

/**
 * Emits a notification; the `notifications` queue consumer delivers it. `eventId` must be stable for the
 * event (e.g. derived from the order id and transition) so a repeated emit is delivered once.
 *
 * @example await enqueueNotification(env.NOTIFICATIONS_QUEUE, { eventId, companyId, event: 'order.placed', payload: { orderId } })
 */
export async function enqueueNotification(queue: Queue, n: Notification): Promise<void> {
  await queue.send(v.parse(MessageSchemas.notifications, n), { contentType: 'json' });
}

/**
 * A webhook URL is a URL a customer makes us call: the shared public-URL rule decides (https to a public
 * host; in development also http and the loopback host). The reason names what is wrong, for the 400.
 */
export function webhookUrlProblem(value: string, policy: UrlPolicy): string | undefined {
  const verdict = checkPublicUrl(value, policy);
  return verdict.ok ? undefined : verdict.reason;
}

const hex = (bytes: ArrayBuffer | Uint8Array) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** 32 random bytes. Receivers use the whole string, prefix included, as the HMAC key. */
export const generateWebhookSecret = (): string => `whsec_${hex(crypto.getRandomValues(new Uint8Array(32)))}`;

/**
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, the `x-b2b-signature` header. A receiver
 * recomputes it over the raw body and the `x-b2b-timestamp` header, compares in constant time, and rejects
 * timestamps more than a few minutes old (replays).
 */
export async function signWebhook(secret: string, timestamp: number, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`));
  return `sha256=${hex(mac)}`;
}

const short = (text: string) =>
  text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;

function describeFailure(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return `timed out after ${WEBHOOK_TIMEOUT_MS / 1000} s`;
  return short(`network error: ${err instanceof Error ? err.message : String(err)}`);
}

export type DeliveryResult = 'delivered' | 'already_delivered' | 'skipped' | 'refused';

/**
 * Delivers one notification to the company's webhook, recording the outcome on its delivery row.
 * A failed attempt is recorded and then thrown as `upstream_failed`, so the queue retries it with backoff;
 * retries exhausted, the dead-letter consumer marks it `failed` (`markNotificationFailed`). A destination
 * the public-URL rule refuses (the stored URL, or a redirect to a private address) fails the delivery at
 * once: retrying cannot make it allowed.
 */
export async function deliverNotification(
  db: Database,
  n: Notification,
  now: number,
  fetcher: FetchLike = fetch,
  policy: UrlPolicy = { allowLocal: false },
): Promise<DeliveryResult> {
  const delivery = await recordDeliveryOnce(db, deliveryRowOf(n, now));
  if (delivery.status === 'delivered') return 'already_delivered';

  const settings = await getCompanySettings(db, n.companyId);
  if (!settings?.webhookUrl) {
    await recordAttempt(db, delivery.id, skippedAt(now));
    return 'skipped';
  }
  return callWebhook(db, n, delivery, { ...settings, webhookUrl: settings.webhookUrl }, now, fetcher, policy);
}

/** The delivery row a notification starts with (kept as it is when the event was recorded before). */
export const deliveryRowOf = (n: Notification, now: number) => ({
  id: newId('ntf'),
  companyId: n.companyId,
  eventId: n.eventId,
  event: n.event,
  payload: n.payload,
  status: 'pending' as const,
  createdAt: now,
});

/** The outcome of a notification whose company has no webhook. */
const skippedAt = (now: number): AttemptOutcome => ({ status: 'skipped', attempted: false, at: now });

/** Calls the company's webhook for a recorded delivery and records the outcome; a failure is thrown. */
export async function callWebhook(
  db: Database,
  n: Notification,
  delivery: Pick<DeliveryRow, 'id' | 'createdAt'>,
  settings: { webhookUrl: string; webhookSecret: string | null },
  now: number,
  fetcher: FetchLike,
  policy: UrlPolicy,
): Promise<DeliveryResult> {
  const fail = async (lastError: string, lastStatusCode: number | null): Promise<never> => {
    await recordAttempt(db, delivery.id, {
      status: 'pending',
      attempted: true,
      lastStatusCode,
      lastError,
      at: now,
    });
    throw new AppError('upstream_failed', `Webhook delivery failed: ${lastError}`, [], {
      companyId: n.companyId,
      eventId: n.eventId,
    });
  };
  if (!settings.webhookSecret) return fail('no signing secret: rotate the webhook secret', null);

  // occurredAt is when the event was first recorded, so every retry sends the same body
  const body = JSON.stringify({
    id: n.eventId,
    event: n.event,
    companyId: n.companyId,
    occurredAt: new Date(delivery.createdAt).toISOString(),
    payload: n.payload,
  });
  const timestamp = Math.floor(now / 1000);
  let res: Response;
  try {
    const outcome = await fetchPublic(
      settings.webhookUrl,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-b2b-event': n.event,
          'x-b2b-delivery': n.eventId,
          'x-b2b-timestamp': String(timestamp),
          'x-b2b-signature': await signWebhook(settings.webhookSecret, timestamp, body),
        },
        body,
        // one deadline for the whole delivery, redirects included
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      },
      policy,
      fetcher,
    );
    if (!outcome.ok) {
      await recordAttempt(db, delivery.id, {
        status: 'failed',
        attempted: true,
        lastStatusCode: null,
        lastError: short(`refused: ${outcome.refused}`),
        at: now,
      });
      return 'refused';
    }
    res = outcome.response;
  } catch (err) {
    return fail(describeFailure(err), null);
  }
  // the receiver's answer is not used; release the connection
  await res.body?.cancel();
  if (res.status < 200 || res.status > 299) {
    return fail(short(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`), res.status);
  }
  await recordAttempt(db, delivery.id, {
    status: 'delivered',
    attempted: true,
    lastStatusCode: res.status,
    lastError: null,
    at: now,
  });
  return 'delivered';
}

/** Called by the `notifications-dlq` consumer: retries are exhausted. A body that never parsed has no row. */
export async function markNotificationFailed(db: Database, body: unknown): Promise<void> {
  const parsed = v.safeParse(MessageSchemas.notifications, body);
  if (!parsed.success) return;
  await markDeliveryFailed(db, parsed.output.companyId, parsed.output.eventId);
}

export interface WebhookSettings {
  webhookUrl: string | null;
  hasSecret: boolean;
  /** only in the answer that generated it; never readable again */
  secret?: string;
}

export async function readWebhookSettings(scope: CompanyScope): Promise<WebhookSettings> {
  const row = await getCompanySettings(scope.db, scope.companyId);
  return { webhookUrl: row?.webhookUrl ?? null, hasSecret: Boolean(row?.webhookSecret) };
}

/**
 * Sets or clears the webhook URL. Setting a URL when there is no secret yet, or with `rotateSecret`,
 * generates a secret, returned in this answer only. Clearing the URL keeps the secret for a later re-enable.
 */
export async function updateWebhookSettings(
  scope: CompanyScope,
  actor: Actor,
  input: { webhookUrl: string | null; rotateSecret?: boolean },
  policy: UrlPolicy,
): Promise<WebhookSettings> {
  const { db, companyId } = scope;
  const problem = input.webhookUrl === null ? undefined : webhookUrlProblem(input.webhookUrl, policy);
  if (problem) {
    throw new AppError('validation_failed', 'The webhook URL is not allowed', [
      { in: 'body', path: 'webhookUrl', message: problem },
    ]);
  }
  const existing = await getCompanySettings(db, companyId);
  const current = existing?.webhookSecret ?? null;
  const secret =
    input.webhookUrl !== null && (current === null || input.rotateSecret)
      ? generateWebhookSecret()
      : undefined;
  const changes = [
    // the URL may carry a token in its path or query: the audit trail keeps only its origin
    input.webhookUrl === null ? 'webhook removed' : `webhook set to ${new URL(input.webhookUrl).origin}`,
    ...(secret ? [current === null ? 'signing secret generated' : 'signing secret rotated'] : []),
  ];
  await db.batch([
    upsertCompanySettings(db, {
      companyId,
      webhookUrl: input.webhookUrl,
      webhookSecret: secret ?? current,
      updatedAt: actor.now,
    }),
    auditInsert(db, actor, {
      companyId,
      action: 'notifications.settings.update',
      targetType: 'company_settings',
      targetId: companyId,
      summary: `Notification settings: ${changes.join(', ')}`,
    }),
  ]);
  return {
    webhookUrl: input.webhookUrl,
    hasSecret: (secret ?? current) !== null,
    ...(secret ? { secret } : {}),
  };
}

/** Emits an `order.placed` event with payload `{ test: true }` through the real queue and delivery path. */
export async function sendTestNotification(scope: CompanyScope, queue: Queue): Promise<{ eventId: string }> {
  const eventId = newId('evt');
  await enqueueNotification(queue, {
    eventId,
    companyId: scope.companyId,
    event: 'order.placed',
    payload: { test: true },
  });
  return { eventId };
}

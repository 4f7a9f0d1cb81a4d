import * as v from 'valibot';
import { createDatabase } from '../db/client';
import { AppError, notImplemented } from '../domain/errors';
import type { Env } from '../env';
import { describeError, log } from '../lib/log';
import { deliverNotification, markNotificationFailed } from '../services/notifications';
import { buildIndex, dropGeneration } from '../services/pricing/build';
import { pricingDepsOf } from '../services/pricing/deps';
import { urlPolicyFor } from '../services/public-fetch';
import { recordDeadLetter } from './dead-letters';
import {
  DEAD_LETTER_SUFFIX,
  isWorkQueue,
  MessageSchemas,
  retryDelaySeconds,
  type WorkQueue,
} from './messages';

/**
 * Work per queue. Work that is not built yet (ERP import and export, recurring orders) fails visibly with
 * "not implemented": retried with backoff, then dead-lettered and alerted, never silently dropped.
 */
type Handlers = {
  [Q in WorkQueue]: (body: v.InferOutput<(typeof MessageSchemas)[Q]>, env: Env) => Promise<void>;
};

const handlers: Handlers = {
  'erp-import': async () => {
    throw notImplemented('ERP import processing');
  },
  'price-index': async (body, env) => {
    const deps = pricingDepsOf(env);
    if (body.dropGeneration) {
      await dropGeneration(deps.kv, body.fingerprint, body.dropGeneration);
      return;
    }
    await buildIndex(deps, body.fingerprint, () => Date.now());
  },
  'erp-export': async () => {
    throw notImplemented('Order export to the ERP');
  },
  'recurring-orders': async () => {
    throw notImplemented('Recurring order placement');
  },
  notifications: async (body, env) => {
    await deliverNotification(createDatabase(env), body, Date.now(), fetch, urlPolicyFor(env.ENVIRONMENT));
  },
};

export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDatabase(env);
  if (batch.queue.endsWith(DEAD_LETTER_SUFFIX)) {
    for (const msg of batch.messages) {
      await recordDeadLetter(
        db,
        {
          queue: batch.queue,
          messageId: msg.id,
          body: msg.body,
          attempts: msg.attempts,
          reason: 'retries exhausted',
        },
        Date.now(),
      );
      if (batch.queue === `notifications${DEAD_LETTER_SUFFIX}`) await markNotificationFailed(db, msg.body);
      msg.ack();
    }
    return;
  }
  if (!isWorkQueue(batch.queue)) {
    // A binding without a consumer here is a deployment error: keep the messages, shout.
    log('error', 'alert: no consumer for queue', { alert: true, queue: batch.queue });
    batch.retryAll({ delaySeconds: 300 });
    return;
  }
  const queue = batch.queue;
  for (const msg of batch.messages) {
    const parsed = v.safeParse(MessageSchemas[queue], msg.body);
    if (!parsed.success) {
      // A malformed body never becomes valid by retrying: dead-letter it now, with the reason.
      const reason = parsed.issues.map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`).join('; ');
      await recordDeadLetter(
        db,
        {
          queue,
          messageId: msg.id,
          body: msg.body,
          attempts: msg.attempts,
          reason: `invalid body: ${reason}`,
        },
        Date.now(),
      );
      msg.ack();
      continue;
    }
    try {
      await (handlers[queue] as (body: unknown, env: Env) => Promise<void>)(parsed.output, env);
      msg.ack();
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'unexpected';
      log('error', 'queue message failed', {
        queue,
        messageId: msg.id,
        attempts: msg.attempts,
        code,
        ...describeError(err),
      });
      msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
    }
  }
}

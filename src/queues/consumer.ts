import * as v from 'valibot';
import { createDatabase } from '../db/client';
import { AppError, notImplemented } from '../domain/errors';
import type { Env } from '../env';
import { describeError, log } from '../lib/log';
import { deliverNotifications } from '../services/notification-batch';
import { markNotificationFailed, type Notification } from '../services/notifications';
import { buildIndex, dropGeneration } from '../services/pricing/build';
import { pricingDepsOf } from '../services/pricing/deps';
import { urlPolicyFor } from '../services/public-fetch';
import { placeOccurrences } from '../services/recurring-placement';
import { recordDeadLetter } from './dead-letters';
import {
  DEAD_LETTER_SUFFIX,
  isWorkQueue,
  MessageSchemas,
  retryDelaySeconds,
  type WorkQueue,
} from './messages';

/**
 * Work per queue. Work that is not built yet (ERP import and export) fails visibly with
 * "not implemented": retried with backoff, then dead-lettered and alerted, never silently dropped.
 * Notifications are delivered a whole batch at a time (`deliverNotifications`); recurring orders are
 * placed a batch at a time, side by side (`placeOccurrences`).
 */
type Handlers = {
  [Q in Exclude<WorkQueue, 'notifications' | 'recurring-orders'>]: (
    body: v.InferOutput<(typeof MessageSchemas)[Q]>,
    env: Env,
  ) => Promise<void>;
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
};

type RecurringMessage = v.InferOutput<(typeof MessageSchemas)['recurring-orders']>;

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
  const valid: { msg: Message<unknown>; body: unknown }[] = [];
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
    valid.push({ msg, body: parsed.output });
  }
  const outcomes =
    queue === 'notifications'
      ? await deliverNotifications(
          db,
          valid.map((m) => m.body as Notification),
          Date.now(),
          urlPolicyFor(env.ENVIRONMENT),
        )
      : queue === 'recurring-orders'
        ? await placeOccurrences(
            env,
            valid.map((m) => ({ id: m.msg.id, body: m.body as RecurringMessage })),
          )
        : await oneByOne(valid, (body) =>
            (handlers[queue] as (b: unknown, e: Env) => Promise<void>)(body, env),
          );
  valid.forEach(({ msg }, i) => {
    const outcome = outcomes[i];
    if (outcome?.status === 'fulfilled') {
      msg.ack();
    } else {
      const err: unknown = outcome?.reason;
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
  });
}

/** Runs each message's work in turn (builds must not overlap), each outcome kept for its message. */
async function oneByOne(
  messages: readonly { body: unknown }[],
  work: (body: unknown) => Promise<unknown>,
): Promise<PromiseSettledResult<unknown>[]> {
  const outcomes: PromiseSettledResult<unknown>[] = [];
  for (const { body } of messages) {
    try {
      outcomes.push({ status: 'fulfilled', value: await work(body) });
    } catch (reason) {
      outcomes.push({ status: 'rejected', reason });
    }
  }
  return outcomes;
}

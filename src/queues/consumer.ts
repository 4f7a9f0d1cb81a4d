import * as v from 'valibot';
import { createDatabase, type Database } from '../db/client';
import { AppError } from '../domain/errors';
import type { Env } from '../env';
import { describeError, log } from '../lib/log';
import { exportDeadLettered, runExport } from '../services/erp-export';
import { pipelineDepsOf } from '../services/erp-import/pipeline/deps';
import { failImportOnDeadLetter, runImportMessage } from '../services/erp-import/pipeline/work';
import { deliverNotifications } from '../services/notification-batch';
import { markNotificationFailed, type Notification } from '../services/notifications';
import { buildIndex, dropGeneration } from '../services/pricing/build';
import { pricingDepsOf } from '../services/pricing/deps';
import { urlPolicyFor } from '../services/public-fetch';
import { placeOccurrences } from '../services/recurring-placement';
import { buildSearchIndex, dropSearchGeneration } from '../services/search/build';
import { searchDepsOf } from '../services/search/deps';
import { recordDeadLetter } from './dead-letters';
import {
  DEAD_LETTER_SUFFIX,
  isWorkQueue,
  MessageSchemas,
  retryDelaySeconds,
  type WorkQueue,
} from './messages';

/**
 * Work per queue. Notifications are delivered a whole batch at a time (`deliverNotifications`); ERP
 * exports decide per message whether and when to retry (`exportBatch`); recurring orders are placed a batch
 * at a time, side by side (`placeOccurrences`).
 */
type Handlers = {
  [Q in Exclude<WorkQueue, 'notifications' | 'erp-export' | 'recurring-orders'>]: (
    body: v.InferOutput<(typeof MessageSchemas)[Q]>,
    env: Env,
  ) => Promise<void>;
};

const handlers: Handlers = {
  'erp-import': (body, env) => runImportMessage(pipelineDepsOf(env), body),
  'price-index': async (body, env) => {
    const deps = pricingDepsOf(env);
    if (body.dropGeneration) {
      await dropGeneration(deps.kv, body.fingerprint, body.dropGeneration);
      return;
    }
    await buildIndex(deps, body.fingerprint, () => Date.now());
  },
  // duplicates are harmless: a build finds the index current, or one running, and does nothing
  'search-index': async (body, env) => {
    const deps = searchDepsOf(env);
    if (body.dropGeneration) {
      await dropSearchGeneration(deps.kv, body.dropGeneration);
      return;
    }
    await buildSearchIndex(deps, () => Date.now());
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
      if (batch.queue === `erp-import${DEAD_LETTER_SUFFIX}`)
        await failImportOnDeadLetter(pipelineDepsOf(env), env, msg.body, msg.attempts);
      if (batch.queue === `erp-export${DEAD_LETTER_SUFFIX}`) {
        const parsed = v.safeParse(MessageSchemas['erp-export'], msg.body);
        if (parsed.success) await exportDeadLettered(env, db, parsed.output.exportId);
      }
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
  if (queue === 'erp-export') {
    await exportBatch(env, db, valid as { msg: Message<unknown>; body: { exportId: string } }[]);
    return;
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

/**
 * ERP exports, side by side (one slow ERP answer does not hold up the others): each message is acked, retried
 * with the delay its export chose (backoff with jitter, or the ERP's Retry-After), or dead-lettered at once
 * when retrying cannot help. Anything thrown (the database, say) is retried with the standard backoff.
 */
async function exportBatch(
  env: Env,
  db: Database,
  messages: readonly { msg: Message<unknown>; body: { exportId: string } }[],
): Promise<void> {
  const outcomes = await Promise.allSettled(
    messages.map(({ msg, body }) => runExport(env, db, body.exportId, Date.now(), msg.attempts)),
  );
  for (const [i, { msg }] of messages.entries()) {
    const outcome = outcomes[i];
    if (outcome?.status === 'rejected') {
      log('error', 'queue message failed', {
        queue: 'erp-export',
        messageId: msg.id,
        attempts: msg.attempts,
        ...describeError(outcome.reason),
      });
      msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
      continue;
    }
    const result = outcome?.value;
    if (!result || 'done' in result) {
      msg.ack();
    } else if ('deadLetter' in result) {
      await recordDeadLetter(
        db,
        {
          queue: 'erp-export',
          messageId: msg.id,
          body: msg.body,
          attempts: msg.attempts,
          reason: result.deadLetter,
        },
        Date.now(),
      );
      msg.ack();
    } else {
      log('warn', 'erp export retried', {
        messageId: msg.id,
        attempts: msg.attempts,
        delaySeconds: result.retryInSeconds,
        reason: result.reason,
      });
      msg.retry({ delaySeconds: result.retryInSeconds });
    }
  }
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

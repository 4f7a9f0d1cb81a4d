import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  runInDurableObject,
} from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { OrganizationDO } from '../../src/durable/organization';
import { organizationStub } from '../../src/durable/organization-stub';
import worker from '../../src/index';
import { CRONS } from '../../src/queues/cron';

const deadLetters = async (queue: string) =>
  (
    await env.DB.prepare(
      'SELECT message_id, attempts, body FROM dead_letters WHERE queue = ? ORDER BY message_id',
    )
      .bind(queue)
      .all<{ message_id: string; body: string }>()
  ).results;

describe('bindings', () => {
  it('wrangler.toml provides every binding the Env type names', () => {
    const required = [
      'DB',
      'PRICE_INDEX',
      'ORGANIZATION',
      'RATE_LIMITER',
      'ERP_IMPORT_QUEUE',
      'PRICE_INDEX_QUEUE',
      'ERP_EXPORT_QUEUE',
      'RECURRING_ORDERS_QUEUE',
      'NOTIFICATIONS_QUEUE',
    ];
    const record = env as unknown as Record<string, unknown>;
    expect(required.filter((name) => record[name] === undefined)).toEqual([]);
  });
});

describe('queue consumers', () => {
  it('a well-formed message for work not built yet is retried with backoff, never acked silently', async () => {
    const batch = createMessageBatch('erp-export', [
      { id: 'm1', timestamp: new Date(), attempts: 3, body: { orderId: 'ord_1' } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['m1']);
  });

  it('a malformed body is dead-lettered at once with the reason, and acked', async () => {
    const batch = createMessageBatch('erp-export', [
      { id: 'bad-1', timestamp: new Date(), attempts: 1, body: { order: 42 } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['bad-1']);
    const [row] = await deadLetters('erp-export');
    expect(row?.message_id).toBe('bad-1');
    expect(row?.body).toContain('orderId');
  });

  it('a dead-letter queue records each message once, even when redelivered', async () => {
    const message = {
      id: 'dl-1',
      timestamp: new Date(),
      attempts: 6,
      body: { companyId: 'co_acme', event: 'x', payload: {} },
    };
    for (let i = 0; i < 2; i++) {
      const batch = createMessageBatch('notifications-dlq', [message]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['dl-1']);
    }
    expect(await deadLetters('notifications-dlq')).toHaveLength(1);
  });
});

describe('cron triggers', () => {
  it('each declared cron has jobs; those not built yet reject, the five-minute sweeps run', async () => {
    await worker.scheduled(
      createScheduledController({ cron: CRONS.outboxRelaySweep }),
      env,
      createExecutionContext(),
    );
    for (const cron of [CRONS.hourlyDueWork, CRONS.nightlyErpPull]) {
      await expect(
        worker.scheduled(createScheduledController({ cron }), env, createExecutionContext()),
      ).rejects.toThrow(/not implemented/);
    }
    await expect(
      worker.scheduled(createScheduledController({ cron: '1 1 1 1 1' }), env, createExecutionContext()),
    ).rejects.toThrow(/No job/);
  });
});

describe('OrganizationDO', () => {
  it('is one SQLite-backed object per company, bound to its company on first use', async () => {
    const stub = organizationStub(env, 'co_acme');
    expect(await stub.describe('co_acme')).toEqual({ companyId: 'co_acme', schemaVersion: 4 });
    const tables = await runInDurableObject(stub, (_instance: OrganizationDO, state) =>
      state.storage.sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
        .toArray(),
    );
    expect(tables).toEqual([{ name: 'meta' }]);
    // Called on the instance rather than over RPC: a rejected RPC also surfaces as an unhandled rejection in the pool.
    await runInDurableObject(stub, async (instance: OrganizationDO) => {
      await expect(instance.describe('co_globex')).rejects.toThrow(/bound to co_acme/);
    });
  });
});

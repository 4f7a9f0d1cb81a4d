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
import { companyOf, migrate, SCHEMA_VERSION } from '../../src/durable/schema';
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
  it('is one SQLite-backed object per company, which knows its company from its name', async () => {
    const stub = env.ORGANIZATION.getByName('co_acme');
    expect(await stub.describe()).toEqual({ companyId: 'co_acme', schemaVersion: SCHEMA_VERSION });
    const tables = await runInDurableObject(stub, (_instance: OrganizationDO, state) =>
      state.storage.sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
        .toArray(),
    );
    expect(tables).toEqual([{ name: 'meta' }]);
  });

  it('refuses to act for a company other than the one it recorded, or for none', async () => {
    // the check the constructor runs, called directly: a failed start over RPC surfaces as an unhandled rejection
    await runInDurableObject(env.ORGANIZATION.getByName('co_acme'), (_instance, state) => {
      expect(companyOf(state.storage, 'co_acme')).toBe('co_acme');
      expect(() => companyOf(state.storage, 'co_globex')).toThrow(/bound to co_acme/);
      // an object reached without a name (newUniqueId, idFromString) and nothing recorded serves nobody
      state.storage.sql.exec("DELETE FROM meta WHERE key = 'company_id'");
      expect(() => companyOf(state.storage, undefined)).toThrow(/has no company/);
      expect(companyOf(state.storage, 'co_acme')).toBe('co_acme');
    });
  });

  it('brings an object created by an older version up to the current schema', async () => {
    const stub = env.ORGANIZATION.getByName('co_initech');
    const tables = await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      // the storage as version 2 left it: meta and carts only
      for (const table of ['checkouts', 'budget_consumption', 'order_budget', 'approvals', 'delegations'])
        sql.exec(`DROP TABLE ${table}`);
      sql.exec("UPDATE meta SET value = '2' WHERE key = 'schema_version'");
      expect(migrate(state.storage)).toBe(SCHEMA_VERSION);
      // columns added by later versions are there too
      sql.exec('SELECT cart_version, fingerprint FROM checkouts LIMIT 0');
      return sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .toArray()
        .map((t) => t.name);
    });
    expect(tables).toEqual(
      expect.arrayContaining(['approvals', 'checkouts', 'delegations', 'order_budget', 'user_spend']),
    );
    expect(await stub.describe()).toEqual({ companyId: 'co_initech', schemaVersion: SCHEMA_VERSION });
  });
});

import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  runInDurableObject,
} from 'cloudflare:test';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { OrganizationDO } from '../../src/durable/organization';
import { companyOf, migrate, SCHEMA_VERSION } from '../../src/durable/schema';
import worker from '../../src/index';
import { cronsWithJobs } from '../../src/queues/cron';
import type { BindingKind } from '../declared-config';
import { installErpSimulator } from './erp-sim';

const deadLetters = async (queue: string) =>
  (
    await env.DB.prepare(
      'SELECT message_id, attempts, body FROM dead_letters WHERE queue = ? ORDER BY message_id',
    )
      .bind(queue)
      .all<{ message_id: string; body: string }>()
  ).results;

// Derived from wrangler.toml (TEST_DECLARED, read in vitest.config.ts), not a list kept by hand.
const declared = env.TEST_DECLARED;
const bindings = env as unknown as Record<string, unknown>;

const hasMethods = (binding: unknown, ...methods: string[]): boolean =>
  typeof binding === 'object' &&
  binding !== null &&
  methods.every((m) => typeof (binding as Record<string, unknown>)[m] === 'function');

const isKind: Record<BindingKind, (binding: unknown) => boolean> = {
  d1: (b) => hasMethods(b, 'prepare', 'batch'),
  kv: (b) => hasMethods(b, 'get', 'put', 'list'),
  r2: (b) => hasMethods(b, 'get', 'put', 'createMultipartUpload'),
  durable_object: (b) => hasMethods(b, 'idFromName', 'get'),
  queue: (b) => hasMethods(b, 'send', 'sendBatch'),
  var: (b) => typeof b === 'string',
};

describe('bindings', () => {
  it('the Worker sees every binding wrangler.toml declares, each of its declared kind', () => {
    expect(declared.bindings.filter((b) => b.kind !== 'var')).not.toEqual([]);
    const missingOrWrong = declared.bindings.filter((b) => !isKind[b.kind](bindings[b.name]));
    expect(missingOrWrong).toEqual([]);
  });

  it('[vars] reach the Worker unchanged (but for the ones the test config sets on purpose)', () => {
    const seen = Object.fromEntries(Object.keys(declared.vars).map((name) => [name, bindings[name]]));
    expect(Object.keys(env.TEST_VAR_OVERRIDES).every((name) => name in declared.vars)).toBe(true);
    expect(seen).toEqual({ ...declared.vars, ...env.TEST_VAR_OVERRIDES });
  });
});

describe('queue consumers', () => {
  it('a malformed body is dead-lettered at once with the reason, and acked', async () => {
    const batch = createMessageBatch('recurring-orders', [
      { id: 'bad-1', timestamp: new Date(), attempts: 1, body: { schedule: 42 } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['bad-1']);
    const [row] = await deadLetters('recurring-orders');
    expect(row?.message_id).toBe('bad-1');
    expect(row?.body).toContain('scheduleId');
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
  const run = (cron: string) =>
    worker.scheduled(createScheduledController({ cron }), env, createExecutionContext());

  it('wrangler.toml schedules exactly the crons that have jobs: none without a job, no job without one', () => {
    expect(declared.crons).not.toEqual([]);
    expect([...cronsWithJobs()].sort()).toEqual([...declared.crons].sort());
  });

  it('every declared schedule reaches its jobs: every job runs', async () => {
    // the nightly pull asks the ERP (the reference simulator here) for deltas
    const erp = await installErpSimulator();
    onTestFinished(() => erp.restore());
    for (const cron of declared.crons) {
      const outcome = await run(cron).then(
        () => 'ran',
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      expect(outcome, cron).toBe('ran');
    }
  });

  it('a schedule without jobs is an error, not a silent no-op', async () => {
    await expect(run('1 1 1 1 1')).rejects.toThrow(/No job/);
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
      sql.exec('ALTER TABLE cart_lines DROP COLUMN note');
      sql.exec('ALTER TABLE carts DROP COLUMN prepared_by');
      sql.exec("UPDATE meta SET value = '2' WHERE key = 'schema_version'");
      expect(migrate(state.storage)).toBe(SCHEMA_VERSION);
      // columns added by later versions are there too
      sql.exec('SELECT cart_version, fingerprint FROM checkouts LIMIT 0');
      sql.exec('SELECT note FROM cart_lines LIMIT 0');
      sql.exec('SELECT prepared_by FROM carts LIMIT 0');
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

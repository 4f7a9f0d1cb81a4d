import { env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHUNK_ROWS } from '../../src/services/erp-import/pipeline/limits';
import type { ImportMessage } from '../../src/services/erp-import/pipeline/work';
import { deliver, drain, jobOf, sent, skus, stockOf, upload } from './erp-import-helpers';
import { json } from './harness';

let sku: string[] = [];
beforeAll(async () => {
  sku = await skus(600);
});
beforeEach(() => {
  sent.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
});

const HEADER = 'sku,warehouse,onHand,version';
const csvOf = (rows: string[]) => `${HEADER}\n${rows.join('\n')}\n`;

async function uploaded(csv: string): Promise<string> {
  const res = await upload('stock', csv, 'text/csv');
  if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return (await json<{ id: string }>(res)).id;
}

/** Runs the split of every uploaded job and keeps the chunk messages it sent, without applying them. */
async function split(): Promise<{ jobId: string; step: string; batch?: number }[]> {
  const splits = sent.splice(0);
  for (const m of splits) await deliver(m);
  return sent.splice(0);
}

const batchOf = (m: ImportMessage) => (m.step === 'apply' ? m.batch : null);

const updatedAt = (s: string, warehouse: string) =>
  env.DB.prepare('SELECT updated_at AS at FROM stock WHERE sku = ? AND warehouse = ?')
    .bind(s, warehouse)
    .first<{ at: number }>();

describe('chunks are idempotent and ordered by version', () => {
  it('the same chunk message delivered twice counts once and changes the data once', async () => {
    const id = await uploaded(csvOf([`${sku[0]},TWICE,5,1`, `${sku[1]},TWICE,6,1`]));
    const [chunk] = await split();
    expect(chunk).toEqual({ jobId: id, step: 'apply', batch: 1 });
    expect(await deliver(chunk)).toEqual({ acked: true, retried: false });
    const first = await updatedAt(sku[0] ?? '', 'TWICE');
    expect(await deliver(chunk)).toEqual({ acked: true, retried: false });
    expect(await updatedAt(sku[0] ?? '', 'TWICE')).toEqual(first);
    expect((await jobOf(id)).counts).toEqual({
      received: 2,
      applied: 2,
      unchanged: 0,
      skippedOlder: 0,
      rejected: 0,
    });

    // the same rows again in a new import: nothing changes, and the job says so
    const replay = await uploaded(csvOf([`${sku[0]},TWICE,5,1`, `${sku[1]},TWICE,6,1`]));
    await drain();
    expect((await jobOf(replay)).counts).toMatchObject({ applied: 0, unchanged: 2 });
    expect(await updatedAt(sku[0] ?? '', 'TWICE')).toEqual(first);
  });

  it('an older row after a newer one never wins, whatever order the chunks arrive in', async () => {
    const newer = await uploaded(csvOf([`${sku[2]},ORDER,20,2`, `${sku[3]},ORDER,21,2`]));
    const older = await uploaded(
      csvOf([`${sku[2]},ORDER,10,1`, `${sku[3]},ORDER,11,1`, `${sku[3]},ORDER,12,3`]),
    );
    const chunks = await split();
    const chunkOf = (jobId: string) => chunks.find((c) => c.jobId === jobId);
    // the older job's chunk is applied first, the newer's second: the newer versions still win
    await deliver(chunkOf(older));
    await deliver(chunkOf(newer));
    expect(await stockOf(sku[2] ?? '', 'ORDER')).toMatchObject({ onHand: 20, version: 2 });
    expect(await stockOf(sku[3] ?? '', 'ORDER')).toMatchObject({ onHand: 12, version: 3 });
    expect((await jobOf(older)).counts).toMatchObject({ applied: 2, skippedOlder: 1 });
    expect((await jobOf(newer)).counts).toMatchObject({ applied: 1, skippedOlder: 1 });
  });

  it('a split delivered again, or run again after a crash, doubles nothing', async () => {
    const rows = Array.from({ length: 2 * CHUNK_ROWS + 500 }, (_, i) =>
      i % CHUNK_ROWS === 7 ? `${sku[i % 600]},SPLIT-${i},-1,1` : `${sku[i % 600]},SPLIT-${i},${i},1`,
    );
    const id = await uploaded(csvOf(rows));
    const [splitMessage] = sent;
    expect((await split()).map((c) => c.batch)).toEqual([1, 2, 3]);
    // delivered again after it finished: the chunks not yet applied are sent again, nothing else
    await deliver(splitMessage);
    expect(sent.splice(0).map(batchOf)).toEqual([1, 2, 3]);
    // as if it had crashed before its last write: it reads the file again
    await env.DB.prepare("UPDATE import_jobs SET status = 'validating' WHERE id = ?").bind(id).run();
    await deliver(splitMessage);
    expect(sent.map(batchOf)).toEqual([1, 2, 3]);
    await drain();
    const job = await jobOf(id);
    expect(job).toMatchObject({ status: 'done', chunks: { total: 3, applied: 3 } });
    expect(job.counts).toEqual({
      received: 2 * CHUNK_ROWS + 500,
      applied: 2 * CHUNK_ROWS + 497,
      unchanged: 0,
      skippedOlder: 0,
      rejected: 3,
    });
  });
});

describe('a poison chunk', () => {
  it('is retried, then dead-lettered: the job fails with the error, an alert goes out, the other chunks apply', async () => {
    const rows = Array.from({ length: 3 * CHUNK_ROWS }, (_, i) => `${sku[i % 600]},POISON-${i},1,1`);
    const id = await uploaded(csvOf(rows));
    const chunks = await split();
    expect(chunks.map((c) => c.batch)).toEqual([1, 2, 3]);
    const [key] = (await env.ERP_UPLOADS.list({ prefix: 'imports/' })).objects
      .map((o) => o.key)
      .filter((k) => k.includes(id) && k.endsWith('/batch-2.json'));
    await env.ERP_UPLOADS.delete(key ?? '');

    const webhook = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('ok'));
    const logged = vi.spyOn(console, 'error');
    const alerting = { ALERT_WEBHOOK_URL: 'https://alerts.supplier.example/hook' };
    for (const attempts of [1, 2, 3, 4, 5])
      expect(await deliver(chunks[1], { attempts, extra: alerting })).toEqual({
        acked: false,
        retried: true,
      });
    expect((await jobOf(id)).error).toMatch(/^chunk 2: .*missing/);
    await deliver(chunks[0], { extra: alerting });
    await deliver(chunks[2], { extra: alerting });
    expect(webhook).not.toHaveBeenCalled();

    // Queues hands it to the dead-letter queue after max_retries
    await deliver(chunks[1], { queue: 'erp-import-dlq', attempts: 6, extra: alerting });
    await deliver(chunks[1], { queue: 'erp-import-dlq', attempts: 6, extra: alerting });
    const job = await jobOf(id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(
      /^chunk 2 failed 6 times and was dead-lettered; last error: chunk 2: .*missing/,
    );
    expect(job.counts).toMatchObject({ received: 3 * CHUNK_ROWS, applied: 2 * CHUNK_ROWS });
    expect(job.chunks).toEqual({ total: 3, applied: 2 });
    expect(webhook).toHaveBeenCalledTimes(1);
    const [url, init] = webhook.mock.calls[0] ?? [];
    expect(url).toBe('https://alerts.supplier.example/hook');
    expect(JSON.parse(String(init?.body))).toMatchObject({ kind: 'erp_import.failed', subject: id });
    const alerts = logged.mock.calls.map(([line]) => String(line)).filter((l) => l.includes('"alert":true'));
    expect(alerts.some((l) => l.includes(id))).toBe(true);
  });

  it('a chunk whose content makes apply throw is a poison message too', async () => {
    const id = await uploaded(csvOf([`${sku[0]},CORRUPT,1,1`]));
    const [chunk] = await split();
    const [key] = (await env.ERP_UPLOADS.list({ prefix: 'imports/' })).objects
      .map((o) => o.key)
      .filter((k) => k.includes(id) && k.endsWith('/batch-1.json'));
    await env.ERP_UPLOADS.put(key ?? '', '{"rows": 5}');
    expect(await deliver(chunk)).toEqual({ acked: false, retried: true });
    await deliver(chunk, { queue: 'erp-import-dlq', attempts: 6 });
    expect(await jobOf(id)).toMatchObject({ status: 'failed', counts: { applied: 0 } });
  });
});

// a few seconds on an idle machine; minutes when the CI box is shared, so these two get room
describe('size', () => {
  it('100,000 stock rows with 1 % bad ones: every good row applied, every bad row reported by its number', async () => {
    const bad = new Set<number>();
    const rows = Array.from({ length: 100_000 }, (_, i) => {
      const rowNo = i + 1;
      const s = sku[i % 600];
      const warehouse = `BULK-${Math.floor(i / 600)}`;
      if (rowNo % 100 !== 0) return `${s},${warehouse},${rowNo % 50},7`;
      bad.add(rowNo);
      return (
        [`${s},${warehouse},-3,7`, `${s},${warehouse},2.5,7`, `NOPE-${rowNo},${warehouse},1,7`][rowNo % 3] ??
        ''
      );
    });
    const started = Date.now();
    const id = await uploaded(csvOf(rows));
    await drain();
    const ms = Date.now() - started;
    const job = await jobOf(id);
    expect(job.status).toBe('done');
    expect(job.counts).toEqual({
      received: 100_000,
      applied: 99_000,
      unchanged: 0,
      skippedOlder: 0,
      rejected: 1_000,
    });
    const rejected = await env.DB.prepare(
      'SELECT row_no AS n FROM import_rejects WHERE job_id = ? ORDER BY row_no',
    )
      .bind(id)
      .all<{ n: number }>();
    expect(rejected.results.map((r) => r.n)).toEqual([...bad]);
    const applied = await env.DB.prepare(
      "SELECT count(*) AS n FROM stock WHERE warehouse LIKE 'BULK-%' AND erp_version = 7",
    ).first<{ n: number }>();
    expect(applied?.n).toBe(99_000);
    console.log(`100,000 stock rows end to end in ${ms} ms: ${Math.round(100_000 / (ms / 1000))} rows/s`);
  }, 180_000);

  it('more than 200,000 rows fails the job before anything is applied', async () => {
    const rows = Array.from({ length: 200_001 }, (_, i) => `${sku[i % 600]},MANY-${i},1,1`);
    const id = await uploaded(csvOf(rows));
    await drain();
    const job = await jobOf(id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/more than 200000 rows/);
    expect(job.counts.applied).toBe(0);
    expect(await stockOf(sku[0] ?? '', 'MANY-0')).toBeNull();
  }, 180_000);
});

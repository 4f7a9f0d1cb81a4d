import { env } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { pipelineDepsOf } from '../../src/services/erp-import/pipeline/deps';
import { pullErpDeltas } from '../../src/services/erp-import/pipeline/pull';
import { deleteOldImports } from '../../src/services/erp-import/pipeline/retention';
import { drain, jobOf, sent, skus, stockOf, testEnv } from './erp-import-helpers';
import { call, expectProblem, json, loginAs } from './harness';

let sku: string[] = [];
beforeAll(async () => {
  sku = await skus(5);
});
beforeEach(() => {
  sent.length = 0;
});

const ERP = {
  ERP_BASE_URL: 'https://erp.supplier.example/api',
  ERP_API_TOKEN: 'erp-token',
  ENVIRONMENT: 'production',
};
const cursorOf = async (kind: string) =>
  (
    await env.DB.prepare('SELECT value FROM erp_state WHERE key = ?')
      .bind(`pull.cursor.${kind}`)
      .first<{ value: string }>()
  )?.value ?? null;

/** A fake ERP: stock deltas in two pages after cursor c0, nothing for the other kinds. */
function fakeErp(answer: (url: URL) => Response | undefined = () => undefined) {
  const calls: { url: URL; authorization: string | null }[] = [];
  const fetcher = async (url: string, init: RequestInit) => {
    const u = new URL(url);
    calls.push({ url: u, authorization: new Headers(init.headers).get('authorization') });
    const special = answer(u);
    if (special) return special;
    const kind = u.pathname.split('/').at(-1);
    const cursor = u.searchParams.get('cursor');
    if (kind !== 'stock' || cursor === 'c2')
      return Response.json({ rows: [], nextCursor: cursor, hasMore: false });
    if (cursor === 'c1')
      return Response.json({
        rows: [{ sku: sku[2], warehouse: 'PULL', onHand: 9, version: '2026-11-20T02:00:00Z' }],
        nextCursor: 'c2',
        hasMore: false,
      });
    return Response.json({
      rows: [
        { sku: sku[0], warehouse: 'PULL', onHand: 7, version: 3 },
        { sku: sku[1], warehouse: 'PULL', onHand: 8, nextAvailabilityDate: '2027-02-01', version: 3 },
      ],
      nextCursor: 'c1',
      hasMore: true,
    });
  };
  return { fetcher, calls };
}

describe('nightly pull from ERP_BASE_URL', () => {
  it('pulls each kind page by page into one NDJSON upload and a pull job, then stores the cursor', async () => {
    const erp = fakeErp();
    await pullErpDeltas(pipelineDepsOf(testEnv()), ERP, erp.fetcher);
    const stockCalls = erp.calls.filter((c) => c.url.pathname.endsWith('/deltas/stock'));
    expect(stockCalls.map((c) => c.url.search)).toEqual(['?limit=1000', '?limit=1000&cursor=c1']);
    expect(erp.calls.every((c) => c.authorization === 'Bearer erp-token')).toBe(true);
    expect(erp.calls.map((c) => c.url.pathname.split('/').at(-1))).toEqual(
      expect.arrayContaining(['products', 'list-prices', 'stock', 'customers', 'contract-prices']),
    );
    expect(await cursorOf('stock')).toBe('c2');
    expect(sent).toHaveLength(1);
    const jobId = sent[0]?.jobId ?? '';
    await drain();
    const job = await jobOf(jobId);
    expect(job).toMatchObject({ kind: 'stock', status: 'done', counts: { received: 3, applied: 3 } });
    const row = await env.DB.prepare(
      'SELECT source, created_by AS createdBy, format FROM import_jobs WHERE id = ?',
    )
      .bind(jobId)
      .first();
    expect(row).toEqual({ source: 'pull', createdBy: 'system:erp-pull', format: 'ndjson' });
    expect(await stockOf(sku[1] ?? '', 'PULL')).toEqual({ onHand: 8, next: '2027-02-01', version: 3 });

    // the next night starts from the stored cursor and finds nothing new: no job
    const again = fakeErp();
    await pullErpDeltas(pipelineDepsOf(testEnv()), ERP, again.fetcher);
    expect(again.calls.find((c) => c.url.pathname.endsWith('/stock'))?.url.searchParams.get('cursor')).toBe(
      'c2',
    );
    expect(sent).toEqual([]);
  });

  it('an ERP that fails leaves the cursor where it was and creates no job; the other kinds are still pulled', async () => {
    await env.DB.prepare("DELETE FROM erp_state WHERE key = 'pull.cursor.stock'").run();
    const erp = fakeErp((u) =>
      u.pathname.endsWith('/stock') ? new Response('down', { status: 503 }) : undefined,
    );
    await expect(pullErpDeltas(pipelineDepsOf(testEnv()), ERP, erp.fetcher)).rejects.toThrow(/answered 503/);
    expect(await cursorOf('stock')).toBeNull();
    expect(sent).toEqual([]);
    expect(erp.calls.some((c) => c.url.pathname.endsWith('/contract-prices'))).toBe(true);
  });

  it('the cursor moves only once the job exists: a job that cannot be queued is pulled again next night', async () => {
    const failing = {
      send: async () => {
        throw new Error('queue down');
      },
    } as unknown as Queue;
    const deps = { ...pipelineDepsOf(testEnv()), queue: failing };
    await expect(pullErpDeltas(deps, ERP, fakeErp().fetcher)).rejects.toThrow(/could not be queued/);
    expect(await cursorOf('stock')).toBeNull();
  });

  it('without ERP_BASE_URL it logs "no ERP configured" and calls nothing', async () => {
    const logged = vi.spyOn(console, 'log');
    const erp = fakeErp();
    await pullErpDeltas(pipelineDepsOf(testEnv()), { ...ERP, ERP_BASE_URL: '' }, erp.fetcher);
    expect(erp.calls).toEqual([]);
    expect(logged.mock.calls.some(([line]) => String(line).includes('no ERP configured'))).toBe(true);
    logged.mockRestore();
  });
});

describe('retention', () => {
  it('deletes uploads and chunks of days older than 30 days, and their rejects; keeps the rest and the job', async () => {
    const now = Date.parse('2026-11-29T02:30:00Z');
    for (const key of ['imports/2026-10-29/imp_old/raw', 'imports/2026-10-29/imp_old/batch-1.json'])
      await env.ERP_UPLOADS.put(key, 'x');
    await env.ERP_UPLOADS.put('imports/2026-10-30/imp_kept/raw', 'x');
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO import_jobs (id, kind, source, status, format, object_key, created_by, created_at, updated_at) VALUES ('imp_old', 'stock', 'push', 'done', 'csv', 'imports/2026-10-29/imp_old/raw', 'x', ?, ?)",
      ).bind(Date.parse('2026-10-29T10:00:00Z'), Date.parse('2026-10-29T10:00:00Z')),
      env.DB.prepare("INSERT INTO import_rejects (job_id, row_no, reason) VALUES ('imp_old', 1, 'x')"),
    ]);
    await deleteOldImports(pipelineDepsOf(env), now);
    const keys = (await env.ERP_UPLOADS.list({ prefix: 'imports/2026-10' })).objects.map((o) => o.key);
    expect(keys).toEqual(['imports/2026-10-30/imp_kept/raw']);
    const rejects = await env.DB.prepare(
      "SELECT count(*) AS n FROM import_rejects WHERE job_id = 'imp_old'",
    ).first();
    expect(rejects).toEqual({ n: 0 });
    expect(await env.DB.prepare("SELECT id FROM import_jobs WHERE id = 'imp_old'").first()).toEqual({
      id: 'imp_old',
    });
  });
});

describe('/v1/admin/imports', () => {
  it('lists imports newest first with filters and cursor paging, and shows one; platform admins only', async () => {
    const ops = await loginAs('ops@supplier.example');
    const page = await json<{
      items: { id: string; kind: string; createdAt: number }[];
      nextCursor: string | null;
    }>(await call('/v1/admin/imports?kind=stock&limit=1', { token: ops }));
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    const next = await json<{ items: { id: string; createdAt: number }[] }>(
      await call(`/v1/admin/imports?kind=stock&limit=1&cursor=${page.nextCursor}`, { token: ops }),
    );
    expect(next.items[0]?.id).not.toBe(page.items[0]?.id);
    expect(next.items[0]?.createdAt).toBeLessThanOrEqual(page.items[0]?.createdAt ?? 0);
    const done = await json<{ items: { status: string }[] }>(
      await call('/v1/admin/imports?status=done', { token: ops }),
    );
    expect(done.items.every((j) => j.status === 'done')).toBe(true);
    const one = await json<{ id: string; rejects: { href: string } }>(
      await call(`/v1/admin/imports/${page.items[0]?.id}`, { token: ops }),
    );
    expect(one.id).toBe(page.items[0]?.id);
    expect((await call(one.rejects.href, { token: ops })).status).toBe(200);
    await expectProblem(await call('/v1/admin/imports?status=finished', { token: ops }), 400);
    await expectProblem(await call('/v1/admin/imports/imp_nope', { token: ops }), 404);
    await expectProblem(
      await call('/v1/admin/imports', { token: await loginAs('rep@supplier.example') }),
      403,
    );
  });
});

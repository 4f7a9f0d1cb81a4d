import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { kvKeys } from '../../src/lib/kv-keys';
import { buildSearchIndex, MAX_PART_CHARS } from '../../src/services/search/build';
import { catalogChangedForSearch } from '../../src/services/search/queue';
import { BUILDING_RETRY_AFTER_SECONDS, localCompile } from '../../src/services/search/reader';
import { sweepSearchIndex } from '../../src/services/search/sweep';
import { drain, request, upload } from './erp-import-helpers';
import { call, expectProblem, json, loginAs } from './harness';
import { first } from './pricing-helpers';
import {
  forgetSearchCaches,
  type SearchAnswer,
  searchDeps,
  searchRecorder,
  searchSent,
} from './search-helpers';

const recorded = () => ({ ...searchDeps(), queue: searchRecorder });
const row = () =>
  first<{
    requested_generation: number;
    current_generation: number | null;
    building_generation: number | null;
  }>(
    "SELECT requested_generation, current_generation, building_generation FROM search_indexes WHERE id = 'catalog'",
  );

/** a request to the Worker with the search queue recorded */
async function searchAs(token: string, query: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://api.test/v1/search?${query}`, { headers: { authorization: `Bearer ${token}` } }),
    { ...env, SEARCH_INDEX_QUEUE: searchRecorder },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

async function deliverSearchMessage(body: unknown) {
  const batch = createMessageBatch('search-index', [
    { id: `si-${Math.random()}`, timestamp: new Date(), attempts: 1, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, SEARCH_INDEX_QUEUE: searchRecorder }, ctx);
  return getQueueResult(batch, ctx);
}

describe('before the first build', () => {
  it('answers from SQL in the request (never empty, never a 500) and asks for a build', async () => {
    forgetSearchCaches();
    searchSent.length = 0;
    const ops = await loginAs('ops@supplier.example');
    const res = await searchAs(ops, 'q=screw&limit=3');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-search-source')).toBe('sql');
    expect((await json<SearchAnswer>(res)).total).toBeGreaterThan(0);
    expect(searchSent).toEqual([expect.objectContaining({ reason: 'read miss: no index' })]);
    expect(await sweepSearchIndex(recorded(), Date.now())).toBe('missing');
  });

  it('a catalog too large to compile in a request answers 503 with Retry-After until the build lands', async () => {
    forgetSearchCaches();
    searchSent.length = 0;
    const limit = localCompile.maxProducts;
    localCompile.maxProducts = 10;
    try {
      const res = await searchAs(await loginAs('buyer@acme.example'), 'q=screw');
      const problem = await expectProblem(res, 503);
      expect(problem.code).toBe('temporarily_unavailable');
      expect(res.headers.get('retry-after')).toBe(String(BUILDING_RETRY_AFTER_SECONDS));
      expect(searchSent).toEqual([expect.objectContaining({ reason: 'read miss: no index' })]);
    } finally {
      localCompile.maxProducts = limit;
    }
  });
});

describe('builds', () => {
  beforeAll(async () => {
    const built = await buildSearchIndex(recorded(), () => Date.now());
    expect(built).toMatchObject({ built: true });
    forgetSearchCaches();
  });

  it('writes parts under KV’s value limit and the pointer last; the SQL row keeps the bookkeeping', async () => {
    const pointer = await env.PRICE_INDEX.get<{ generation: number; parts: number; docCount: number }>(
      kvKeys.searchIndexPointer(),
      'json',
    );
    const { n } = await first<{ n: number }>('SELECT count(*) AS n FROM products');
    expect(pointer?.docCount).toBe(n);
    const stored = await row();
    expect(stored.current_generation).toBe(pointer?.generation);
    for (let i = 0; i < (pointer?.parts ?? 0); i++) {
      const part = await env.PRICE_INDEX.get(kvKeys.searchIndexPart(pointer?.generation ?? 0, i));
      expect(part?.length).toBeLessThanOrEqual(MAX_PART_CHARS);
    }
    expect(await buildSearchIndex(recorded(), () => Date.now())).toEqual({ built: false, why: 'up_to_date' });
  });

  it('a request during a build is left to it, which asks for exactly one more build', async () => {
    const before = await row();
    await env.DB.prepare(
      "UPDATE search_indexes SET building_generation = requested_generation + 1, build_started_at = ? WHERE id = 'catalog'",
    )
      .bind(Date.now())
      .run();
    await catalogChangedForSearch(recorded(), 'test change', Date.now());
    await catalogChangedForSearch(recorded(), 'test change', Date.now());
    expect(await buildSearchIndex(recorded(), () => Date.now())).toEqual({
      built: false,
      why: 'in_progress',
    });
    // the running build was lost: the next one takes the latest request
    await env.DB.prepare("UPDATE search_indexes SET build_started_at = 0 WHERE id = 'catalog'").run();
    searchSent.length = 0;
    const built = await buildSearchIndex(recorded(), () => Date.now());
    expect(built).toMatchObject({ built: true, generation: before.requested_generation + 2 });
    // the previous generation's parts are dropped later, not now
    expect(searchSent).toEqual([expect.objectContaining({ dropGeneration: expect.anything() })]);
  });

  it('follows an ERP products import: the new product is found once the queued build has run', async () => {
    const ops = await loginAs('ops@supplier.example');
    const extra = { SEARCH_INDEX_QUEUE: searchRecorder };
    searchSent.length = 0;
    const csv =
      'sku,name,family,category,brand,unitOfMeasure,version\nERP-SRCH-1,Quasarflux gasket 40 mm,ERP widgets,Fasteners/ERP widgets/Small,Nordfix,PCE,1\n';
    const res = await upload('products', csv, 'text/csv', extra);
    expect(res.status).toBe(202);
    await drain(extra);
    expect(searchSent).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('products import') }),
    ]);
    forgetSearchCaches();
    expect((await json<SearchAnswer>(await searchAs(ops, 'q=quasarflux'))).total).toBe(0);
    const outcome = await deliverSearchMessage(searchSent[0]);
    expect(outcome.explicitAcks).toHaveLength(1);
    forgetSearchCaches();
    const found = await json<SearchAnswer>(await searchAs(ops, 'q=quasarflux'));
    expect(found.items.map((i) => i.sku)).toEqual(['ERP-SRCH-1']);
  });
});

describe('stock fast path', () => {
  it('a stock level that changes asks the search index for a build (in stock is a facet); the same again does not', async () => {
    const extra = { SEARCH_INDEX_QUEUE: searchRecorder };
    const { sku } = await first<{ sku: string }>('SELECT sku FROM products ORDER BY sku LIMIT 1');
    const put = (version: number) =>
      request(
        `/erp/v1/stock/${sku}`,
        {
          method: 'PUT',
          body: JSON.stringify({ warehouse: 'SEARCH-WH', onHand: 3, version }),
          headers: { 'content-type': 'application/json' },
        },
        extra,
      );
    const before = await row();
    searchSent.length = 0;
    expect((await put(1)).status).toBe(200);
    expect(searchSent).toEqual([expect.objectContaining({ reason: `stock of ${sku}` })]);
    expect((await row()).requested_generation).toBe(before.requested_generation + 1);
    expect((await put(1)).status).toBe(200);
    expect(searchSent).toHaveLength(1);
  });
});

describe('admin', () => {
  it('shows the state to supplier staff and lets a platform admin rebuild (audited)', async () => {
    const ops = await loginAs('ops@supplier.example');
    const status = await json<{ state: string; docCount: number; stalenessBoundSeconds: number }>(
      await call('/v1/admin/search/index', { token: ops }),
    );
    expect(status.docCount).toBeGreaterThan(0);
    expect(status.stalenessBoundSeconds).toBeGreaterThan(0);
    await expectProblem(
      await call('/v1/admin/search/index', { token: await loginAs('buyer@acme.example') }),
      403,
    );
    await expectProblem(
      await call('/v1/admin/search/index/rebuild', {
        method: 'POST',
        token: await loginAs('rep@supplier.example'),
      }),
      403,
    );
    const before = await row();
    const res = await call('/v1/admin/search/index/rebuild', { method: 'POST', token: ops });
    expect(res.status).toBe(202);
    expect((await json<{ requestedGeneration: number }>(res)).requestedGeneration).toBe(
      before.requested_generation + 1,
    );
    const audit = await first<{ n: number }>(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'search_index.rebuild'",
    );
    expect(audit.n).toBe(1);
    const after = await json<{ state: string }>(await call('/v1/admin/search/index', { token: ops }));
    expect(after.state).toBe('stale');
  });
});

import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_SOURCE_PAGE } from '../../src/db/queries/search-index';
import worker from '../../src/index';
import { kvKeys } from '../../src/lib/kv-keys';
import { compileFromSql } from '../../src/services/search/build';
import { json, loginAs } from './harness';
import { first } from './pricing-helpers';
import {
  forgetSearchCaches,
  type SearchAnswer,
  searchDeps,
  searchRecorder,
  searchSent,
} from './search-helpers';

/**
 * The index build through the real queue consumer over a catalog many SQL pages long: the test slice's
 * products plus 8,000 synthetic ones with French and German names, so the build streams five pages of
 * documents into the builder. Every product must be in the index, findable by its SKU, its maker's part
 * number, and its translated name.
 */
const EXTRA = 8_000;

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

async function deliverBuild() {
  const batch = createMessageBatch('search-index', [
    { id: 'si-large', timestamp: new Date(), attempts: 1, body: { reason: 'large catalog test' } },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, SEARCH_INDEX_QUEUE: searchRecorder }, ctx);
  return getQueueResult(batch, ctx);
}

const skus = async (token: string, q: string) =>
  (await json<SearchAnswer>(await searchAs(token, `q=${encodeURIComponent(q)}&limit=3`))).items.map(
    (i) => i.sku,
  );

let products = 0;

beforeAll(async () => {
  const { path } = await first<{ path: string }>('SELECT path FROM categories ORDER BY path DESC LIMIT 1');
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO products (sku, name, description, family, category_path, brand, attributes, unit_of_measure,
         manufacturer_part_number, updated_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       SELECT printf('BULK-%05d', i), printf('Bulk coupling %d, size %d', i, i % 40),
         'A synthetic coupling of the larger catalog, ' || i, 'Couplings', ?2, printf('Brand %d', i % 9),
         json_object('size', i % 40, 'finish', CASE i % 3 WHEN 0 THEN 'zinc' WHEN 1 THEN 'brass' ELSE 'steel' END),
         'EA', printf('MK%dQ', i * 7), 0
       FROM n`,
    ).bind(EXTRA, path),
    env.DB.prepare(
      `INSERT INTO product_names (sku, locale, name, description, updated_at)
       SELECT sku, 'fr', 'Raccord vrac ' || substr(sku, 6), 'Raccord de synthèse', 0 FROM products WHERE sku LIKE 'BULK-%'`,
    ),
    env.DB.prepare(
      `INSERT INTO product_names (sku, locale, name, description, updated_at)
       SELECT sku, 'de', 'Massenkupplung ' || substr(sku, 6), 'Synthetische Kupplung', 0 FROM products WHERE sku LIKE 'BULK-%'`,
    ),
  ]);
  products = (await first<{ n: number }>('SELECT count(*) AS n FROM products')).n;
});

describe('the index build over a catalog of several SQL pages', () => {
  it('indexes every product through the queue consumer, and searches find them', async () => {
    expect(products).toBeGreaterThan(4 * SEARCH_SOURCE_PAGE);
    searchSent.length = 0;
    const outcome = await deliverBuild();
    expect(outcome.explicitAcks).toHaveLength(1);
    const indexRow = await first<{ doc_count: number; current_generation: number }>(
      "SELECT doc_count, current_generation FROM search_indexes WHERE id = 'catalog'",
    );
    expect(indexRow.doc_count).toBe(products);
    const pointer = await env.PRICE_INDEX.get<{ docCount: number; parts: number }>(
      kvKeys.searchIndexPointer(),
      'json',
    );
    expect(pointer?.docCount).toBe(products);

    forgetSearchCaches();
    const ops = await loginAs('ops@supplier.example');
    const res = await searchAs(ops, 'q=BULK-07321&limit=3');
    expect(res.headers.get('x-search-source')).toBe(`index;g=${indexRow.current_generation}`);
    expect((await json<SearchAnswer>(res)).items[0]?.sku).toBe('BULK-07321');
    // first, middle and last pages of the build; the maker's part number; the names in French and German
    expect((await skus(ops, 'bulk-00001'))[0]).toBe('BULK-00001');
    expect((await skus(ops, '8000'))[0]).toBe('BULK-08000');
    expect((await skus(ops, `MK${4321 * 7}Q`))[0]).toBe('BULK-04321');
    expect((await skus(ops, 'raccord vrac 05555'))[0]).toBe('BULK-05555');
    expect((await skus(ops, 'massenkupplung 02468'))[0]).toBe('BULK-02468');
  });

  it('lets timers run while it builds, so the requests that arrive meanwhile are answered', async () => {
    // the runtime reads its sockets when nothing else is ready, as it runs timers: a build whose awaits all
    // resolve at once would run no timer, and answer no request, until it ends
    let building = true;
    let ticks = 0;
    const ticking = (async () => {
      while (building) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        ticks++;
      }
    })();
    const index = await compileFromSql(searchDeps());
    building = false;
    await ticking;
    expect(index.docCount).toBe(products);
    // a page of 2,000 documents is added in slices with a yield between them
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(products / SEARCH_SOURCE_PAGE));
  });
});

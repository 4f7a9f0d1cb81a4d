import { env } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  drain,
  importAll,
  jobOf,
  request,
  sent,
  skus,
  stockOf,
  upload,
  windows1252,
} from './erp-import-helpers';
import { expectProblem, json, loginAs } from './harness';

let sku: string[] = [];
beforeAll(async () => {
  sku = await skus(10);
});
beforeEach(() => {
  sent.length = 0;
});

const rawObjects = async () => (await env.ERP_UPLOADS.list({ prefix: 'imports/' })).objects.length;
const jobCount = async () =>
  (await env.DB.prepare('SELECT count(*) AS n FROM import_jobs').first<{ n: number }>())?.n ?? 0;

describe('POST /erp/v1/imports/stock: formats', () => {
  it('CSV with commas: 202 with the job and its Location, then every row applied by the queue', async () => {
    const csv = `sku,warehouse,onHand,nextAvailabilityDate,version\n${sku[0]},CSV-A,12,2026-12-01,5\n${sku[1]},CSV-A,0,,5\n`;
    const res = await upload('stock', csv, 'text/csv');
    expect(res.status).toBe(202);
    const body = await json<{ id: string; status: string }>(res);
    expect(body.status).toBe('received');
    expect(res.headers.get('location')).toBe(`/erp/v1/imports/${body.id}`);
    const stored = await env.ERP_UPLOADS.get(
      `imports/${new Date().toISOString().slice(0, 10)}/${body.id}/raw`,
    );
    expect(await stored?.text()).toBe(csv);
    expect(sent).toEqual([{ jobId: body.id, step: 'split' }]);
    await drain();
    const job = await jobOf(body.id);
    expect(job).toMatchObject({
      status: 'done',
      encoding: 'utf-8',
      progressPercent: 100,
      counts: { received: 2, applied: 2, unchanged: 0, skippedOlder: 0, rejected: 0 },
      chunks: { total: 1, applied: 1 },
    });
    expect(await stockOf(sku[0] ?? '', 'CSV-A')).toEqual({ onHand: 12, next: '2026-12-01', version: 5 });
    expect(await stockOf(sku[1] ?? '', 'CSV-A')).toEqual({ onHand: 0, next: null, version: 5 });
  });

  it('CSV with semicolons, quoted fields holding ; and line breaks and doubled quotes, CRLF, a BOM', async () => {
    const csv =
      '\uFEFFSKU ; Warehouse;onhand;version\r\n' +
      `${sku[0]};"Lyon; Nord";7;1\r\n` +
      `"${sku[1]}";"Hall\r\n2";8;1\r\n` +
      `${sku[2]};"Dock ""B""";9;1\r\n`;
    const job = await importAll('stock', csv, 'text/csv; charset=utf-8');
    expect(job.counts).toMatchObject({ received: 3, applied: 3, rejected: 0 });
    expect((await stockOf(sku[0] ?? '', 'Lyon; Nord'))?.onHand).toBe(7);
    expect((await stockOf(sku[1] ?? '', 'Hall\r\n2'))?.onHand).toBe(8);
    expect((await stockOf(sku[2] ?? '', 'Dock "B"'))?.onHand).toBe(9);
  });

  it('Windows-1252 (é, ü, €), recognised by its bytes or declared with charset=', async () => {
    const text = `sku;warehouse;onHand;version\n${sku[3]};Entrepôt é-ü-€;4;1\n`;
    const guessed = await importAll('stock', windows1252(text), 'text/csv');
    expect(guessed).toMatchObject({ encoding: 'windows-1252', counts: { applied: 1 } });
    expect((await stockOf(sku[3] ?? '', 'Entrepôt é-ü-€'))?.onHand).toBe(4);
    const declared = await importAll(
      'stock',
      windows1252(text.replace(';4;1', ';6;2')),
      'text/csv; charset=windows-1252',
    );
    expect(declared.counts.applied).toBe(1);
    expect((await stockOf(sku[3] ?? '', 'Entrepôt é-ü-€'))?.onHand).toBe(6);
  });

  it('NDJSON and a JSON array; versions as sequence numbers or ISO 8601 instants', async () => {
    const ndjson = [
      { sku: sku[4], warehouse: 'ND', onHand: 3, version: '2026-11-22T10:00:00Z' },
      { sku: sku[5], warehouse: 'ND', onHand: 5, nextAvailabilityDate: '2027-01-15', version: 2 },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const nd = await importAll('stock', ndjson, 'application/x-ndjson');
    expect(nd.counts).toMatchObject({ received: 2, applied: 2 });
    expect(await stockOf(sku[4] ?? '', 'ND')).toEqual({
      onHand: 3,
      next: null,
      version: Date.parse('2026-11-22T10:00:00Z'),
    });
    const array = JSON.stringify([
      { sku: sku[6], warehouse: 'JA', onHand: 1, version: 1 },
      { sku: sku[7], warehouse: 'JA', onHand: 2, version: 1, nextAvailabilityDate: null },
    ]);
    const ja = await importAll('stock', array, 'application/json');
    expect(ja.counts).toMatchObject({ received: 2, applied: 2 });
    expect((await stockOf(sku[7] ?? '', 'JA'))?.onHand).toBe(2);
  });
});

describe('edges', () => {
  it('a header without rows is a job done at once, with nothing to do', async () => {
    const job = await importAll('stock', 'sku;warehouse;onHand;version\r\n', 'text/csv');
    expect(job).toMatchObject({
      status: 'done',
      progressPercent: 100,
      counts: { received: 0 },
      chunks: { total: 0 },
    });
    const empty = await importAll('stock', '[]', 'application/json');
    expect(empty).toMatchObject({ status: 'done', counts: { received: 0 } });
  });
});

describe('bad input: a clear 4xx and nothing stored, or a reject per row; never a 500', () => {
  const header = 'sku,warehouse,onHand,version';

  it.each([
    ['a missing column', 'sku,warehouse,version\nX,W,1\n', 'onHand', /required column missing/],
    ['an extra column', `${header},colour\nX,W,1,1,red\n`, 'colour', /unknown column/],
    ['a column named twice', `${header},SKU\n`, 'SKU', /twice/],
    ['a tab-separated file', 'sku\twarehouse\tonHand\tversion\nX\tW\t1\t1\n', 'header', /tab/],
    [
      'one quoted column holding the names',
      '"sku;warehouse;onHand;version"\n',
      'sku;warehouse;onHand;version',
      /delimiter/,
    ],
  ])('%s is a 400 naming the column, nothing stored', async (_what, csv, path, message) => {
    const [objects, jobs] = [await rawObjects(), await jobCount()];
    const problem = await expectProblem(await upload('stock', csv, 'text/csv'), 400);
    expect(problem.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]),
    );
    expect([await rawObjects(), await jobCount()]).toEqual([objects, jobs]);
    expect(sent).toEqual([]);
  });

  it('an empty body is a 400, a wrong content type a 415, binary garbage a 400, an unknown kind a 404', async () => {
    const jobs = await jobCount();
    await expectProblem(await upload('stock', '', 'text/csv'), 400);
    await expectProblem(await upload('stock', null, 'text/csv'), 400);
    await expectProblem(await upload('stock', 'sku,warehouse', 'application/xml'), 415);
    await expectProblem(await upload('stock', 'x', 'text/csv; charset=utf-16'), 415);
    await expectProblem(await upload('stock', '[]', 'application/json; charset=latin1'), 415);
    const garbage = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);
    const binary = await expectProblem(await upload('stock', garbage, 'text/csv'), 400);
    expect(binary.detail).toMatch(/binary/);
    const nulLate = new TextEncoder().encode(`${header}\nX,W,1,1\n`);
    const withNul = new Uint8Array([...nulLate, 0, 65]);
    await expectProblem(await upload('stock', withNul, 'text/csv'), 400);
    await expectProblem(await upload('stock', '{"sku":"X"}', 'application/json'), 400);
    await expectProblem(await upload('stock', 'not json\n', 'application/x-ndjson'), 400);
    await expectProblem(await upload('stock', new Uint8Array([0x5b, 0xff, 0x5d]), 'application/json'), 400);
    await expectProblem(await upload('stocks', `${header}\n`, 'text/csv'), 404);
    expect(await jobCount()).toBe(jobs);
  });

  it('a customer or a sales rep cannot import (403)', async () => {
    for (const who of ['admin@acme.example', 'rep@supplier.example']) {
      const res = await request('/erp/v1/imports/stock', {
        method: 'POST',
        body: `${header}\n`,
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${await loginAs(who)}` },
      });
      await expectProblem(res, 403);
    }
  });

  it('bad rows are rejected one by one with row number, column and reason; the good rows apply', async () => {
    const csv = [
      'sku;warehouse;onHand;version',
      `${sku[0]};BAD;1;1`, // 1 good
      `${sku[1]};B\uFEFFAD;1;1`, // 2 a BOM in the middle of a row
      `${sku[2]};BAD;12,5;1`, // 3 a decimal comma
      `${sku[3]};BAD;-4;1`, // 4 negative stock
      'NO-SUCH-SKU;BAD;1;1', // 5 unknown SKU (found when applying)
      `${sku[4]};BA"D;1;1`, // 6 a stray quote
      `${sku[5]};"BAD"x;1;1`, // 7 text after a closing quote
      `${sku[6]};BAD;1`, // 8 a field short
      `${sku[7]};BAD;1;yesterday`, // 9 not a version
      '', // 10 a blank line: counted, skipped
      `${sku[8]};BAD;2;1`, // 11 good
    ].join('\n');
    const job = await importAll('stock', csv, 'text/csv');
    expect(job.status).toBe('done');
    expect(job.counts).toEqual({ received: 10, applied: 2, unchanged: 0, skippedOlder: 0, rejected: 8 });
    expect(job.rejects.first.map((r) => [r.rowNo, r.column])).toEqual([
      [2, 'warehouse'],
      [3, 'onHand'],
      [4, 'onHand'],
      [5, 'sku'],
      [6, 'warehouse'],
      [7, 'warehouse'],
      [8, null],
      [9, 'version'],
    ]);
    expect(job.rejects.first[1]?.reason).toMatch(/decimal comma/);
    expect(job.rejects.first[2]?.reason).toMatch(/negative/);
    expect(job.rejects.first[3]?.reason).toBe('unknown SKU');
    expect((await stockOf(sku[8] ?? '', 'BAD'))?.onHand).toBe(2);

    const page = await json<{ items: { rowNo: number; raw: string | null }[]; nextCursor: string | null }>(
      await request(`${job.rejects.href}?limit=3`),
    );
    expect(page.items.map((r) => r.rowNo)).toEqual([2, 3, 4]);
    expect(page.items[1]?.raw).toBe(`${sku[2]};BAD;12,5;1`);
    const next = await json<{ items: { rowNo: number }[] }>(
      await request(`${job.rejects.href}?limit=10&cursor=${page.nextCursor}`),
    );
    expect(next.items.map((r) => r.rowNo)).toEqual([5, 6, 7, 8, 9]);
    const download = await request(job.rejects.csv);
    expect(download.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await download.text()).trim().split('\r\n');
    expect(lines[0]).toBe('rowNo,column,reason,raw');
    expect(lines).toHaveLength(9);
    expect(lines[4]).toMatch(/^5,sku,unknown SKU,NO-SUCH-SKU;BAD;1;1$/);
  });

  it('a quote never closed fails the job naming its row, and applies nothing', async () => {
    const csv = `sku,warehouse,onHand,version\n${sku[0]},OPEN,1,1\n${sku[1]},"OPEN,1,1\n${sku[2]},OPEN,1,1\n`;
    const job = await importAll('stock', csv, 'text/csv');
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^row 2: a quoted field .* never closed; nothing was applied$/);
    expect(job.rejects.first).toEqual([expect.objectContaining({ rowNo: 2 })]);
    expect(await stockOf(sku[0] ?? '', 'OPEN')).toBeNull();
  });

  it('JSON records: unknown keys, missing required ones, wrong types and broken lines are rejects', async () => {
    const lines = [
      JSON.stringify({ sku: sku[0], warehouse: 'NJ', onHand: 1, version: 1 }),
      JSON.stringify({ sku: sku[1], warehouse: 'NJ', onHand: 1, version: 1, colour: 'red' }),
      JSON.stringify({ sku: sku[2], warehouse: 'NJ', version: 1 }),
      JSON.stringify({ sku: sku[3], warehouse: 'NJ', onHand: 1.5, version: 1 }),
      '{"sku": broken',
      '[1, 2]',
    ].join('\n');
    const job = await importAll('stock', lines, 'application/x-ndjson');
    expect(job.counts).toMatchObject({ received: 6, applied: 1, rejected: 5 });
    expect(job.rejects.first.map((r) => [r.rowNo, r.column])).toEqual([
      [2, 'colour'],
      [3, 'onHand'],
      [4, 'onHand'],
      [5, null],
      [6, null],
    ]);
  });
});

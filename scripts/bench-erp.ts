import { execFileSync } from 'node:child_process';
import { type Measurement, median } from './bench-measure';
import type { RunningWorker } from './bench-worker';
import { queryLocalD1 } from './local-d1';

/**
 * The ERP link under load, on the seeded benchmark Worker (scripts/bench.ts):
 * 1. a 100,000-row list-price import (both demo price lists, every product) end to end: request → every row
 *    applied (rows/s) → the first priced catalog page showing the changed price → that page served from the
 *    rebuilt price index again;
 * 2. a single stock update (`PUT /erp/v1/stock/{sku}`) to its visibility on the product page, against the
 *    floor route's p50 of the same run;
 * 3. memory: the resident size of the workerd process while 5 MiB and 50 MiB uploads stream through the import
 *    route (the body goes to R2 in parts; the Worker must not grow with the file).
 */
export interface ErpFigures {
  importRows: number;
  importBytes: number;
  acceptMs: number;
  appliedMs: number;
  rowsPerSecond: number;
  firstChangedPageMs: number;
  firstChangedPageSource: string;
  indexedAgainMs: number;
  stockVisibleMs: { p50: number; max: number; samples: number };
  stockOverFloorP50: number;
  floorP50Ms: number;
  memory: { uploadMiB: number; peakRssDeltaMiB: number }[];
}

const LOGIN_PASSWORD = 'demo1234';

/**
 * A GET that survives a keep-alive socket the local server closed while idle (after the autocannon phases
 * undici may hand out such a socket first: "other side closed"); a GET is safe to send again.
 */
async function get(url: string, token: string): Promise<Response> {
  const init = { headers: { authorization: `Bearer ${token}` } };
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}
const POLL_MS = 50;

async function login(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: LOGIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${email} answered ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function erpKey(base: string): Promise<string> {
  const ops = await login(base, 'ops@supplier.example');
  const res = await fetch(`${base}/v1/admin/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ops}` },
    body: JSON.stringify({ name: 'bench ERP', companyId: null, scopes: ['erp:write'] }),
  });
  if (res.status !== 201) throw new Error(`ERP key answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { key: string }).key;
}

interface PagedProduct {
  sku: string;
  price?: { listMinor: number | null } | null;
}

async function firstPage(base: string, token: string) {
  const res = await get(`${base}/v1/catalog/products?limit=50`, token);
  if (res.status !== 200) throw new Error(`catalog page answered ${res.status}`);
  const body = (await res.json()) as { items: PagedProduct[] };
  return { items: body.items, source: res.headers.get('x-price-source') ?? '?' };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

const decimal = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

/** The list-price CSV: every product on both demo lists; the watched SKU gets a price it never had. */
function listPriceCsv(skus: readonly string[], watched: string, watchedMinor: number, version: number) {
  const lines = ['priceList,sku,amount,version'];
  for (const list of ['pl_eur', 'pl_gbp']) {
    skus.forEach((sku, i) => {
      const minor = list === 'pl_eur' && sku === watched ? watchedMinor : 500 + ((i * 37) % 20_000);
      lines.push(`${list},${sku},${decimal(minor)},${version}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

async function timeImport(base: string, key: string, token: string, skus: readonly string[]) {
  const page = await firstPage(base, token);
  const watched = page.items.find((p) => typeof p.price?.listMinor === 'number');
  if (!watched?.price || watched.price.listMinor === null) throw new Error('no priced product on page 1');
  const watchedMinor = watched.price.listMinor + 137;
  const csv = listPriceCsv(skus, watched.sku, watchedMinor, Date.now());
  const started = performance.now();
  const res = await fetch(`${base}/erp/v1/imports/list-prices`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${key}` },
    body: csv,
  });
  const acceptMs = performance.now() - started;
  if (res.status !== 202) throw new Error(`import answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  const seenChanged = (wanted: (source: string) => boolean) => async () => {
    const now = await firstPage(base, token);
    const item = now.items.find((p) => p.sku === watched.sku);
    return item?.price?.listMinor === watchedMinor && wanted(now.source) ? now.source : undefined;
  };
  let firstChangedPageMs = 0;
  let firstChangedPageSource = '';
  const visible = until(
    'the changed price',
    600_000,
    seenChanged(() => true),
  ).then((source) => {
    firstChangedPageMs = performance.now() - started;
    firstChangedPageSource = source;
  });
  const job = await until('the import to finish', 600_000, async () => {
    const status = await get(`${base}/erp/v1/imports/${id}`, key);
    const body = (await status.json()) as { status: string; counts: Record<string, number> };
    if (body.status === 'failed') throw new Error(`import failed: ${JSON.stringify(body)}`);
    return body.status === 'done' ? body : undefined;
  });
  const appliedMs = performance.now() - started;
  await visible;
  await until(
    'the page from the rebuilt index',
    600_000,
    seenChanged((s) => s.startsWith('index')),
  );
  const indexedAgainMs = performance.now() - started;
  const rows = skus.length * 2;
  if ((job.counts.rejected ?? 0) > 0) throw new Error(`import rejected rows: ${JSON.stringify(job.counts)}`);
  return {
    importRows: rows,
    importBytes: Buffer.byteLength(csv),
    acceptMs: Math.round(acceptMs),
    appliedMs: Math.round(appliedMs),
    rowsPerSecond: Math.round(rows / (appliedMs / 1000)),
    firstChangedPageMs: Math.round(firstChangedPageMs),
    firstChangedPageSource,
    indexedAgainMs: Math.round(indexedAgainMs),
    watchedSku: watched.sku,
  };
}

async function timeStockUpdates(base: string, key: string, token: string, sku: string, samples: number) {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const onHand = 10_000 + i;
    const started = performance.now();
    const put = await fetch(`${base}/erp/v1/stock/${encodeURIComponent(sku)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ warehouse: 'BENCH', onHand, version: Date.now() * 100 + i }),
    });
    if (put.status !== 200) throw new Error(`stock PUT answered ${put.status}: ${await put.text()}`);
    await until('the stock update', 30_000, async () => {
      const res = await get(`${base}/v1/catalog/products/${encodeURIComponent(sku)}`, token);
      const body = (await res.json()) as {
        availability: { warehouses: { warehouse: string; onHand: number }[] };
      };
      return body.availability.warehouses.some((w) => w.warehouse === 'BENCH' && w.onHand === onHand)
        ? true
        : undefined;
    });
    times.push(performance.now() - started);
  }
  return times;
}

/** Resident set of the workerd processes in the Worker's process group, in KiB. */
function workerdRssKiB(worker: RunningWorker): number {
  const out = execFileSync('ps', ['-o', 'rss=,comm=', '-g', String(worker.child.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('workerd'))
    .reduce((sum, line) => sum + Number.parseInt(line.trim(), 10), 0);
}

/** Streams `mib` MiB of stock CSV in 1 MiB pieces while sampling workerd's resident size. */
async function uploadPeak(base: string, key: string, worker: RunningWorker, mib: number) {
  const baseline = workerdRssKiB(worker);
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, workerdRssKiB(worker));
  }, 100);
  const row = 'NOSUCHSKU-000000,WH1,1,,1\n';
  const piece = new TextEncoder().encode(row.repeat(Math.floor((1024 * 1024) / row.length)));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('sku,warehouse,onHand,nextAvailabilityDate,version\n'));
    },
    pull(controller) {
      if (sent >= mib) return controller.close();
      sent++;
      controller.enqueue(piece);
    },
  });
  const res = await fetch(`${base}/erp/v1/imports/stock`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${key}` },
    body,
    duplex: 'half',
  } as RequestInit);
  await res.text();
  clearInterval(sampler);
  peak = Math.max(peak, workerdRssKiB(worker));
  if (res.status !== 202) throw new Error(`${mib} MiB upload answered ${res.status}`);
  return { uploadMiB: mib, peakRssDeltaMiB: Math.round(((peak - baseline) / 1024) * 10) / 10 };
}

export async function erpPhase(
  worker: RunningWorker,
  stateDir: string,
  floor: Measurement,
): Promise<ErpFigures> {
  const { base } = worker;
  const key = await erpKey(base);
  const token = await login(base, 'buyer@acme.example');
  const skus = queryLocalD1<{ sku: string }>('SELECT sku FROM products ORDER BY sku', {
    persistTo: stateDir,
  }).map((r) => r.sku);
  console.log(`ERP: importing ${(skus.length * 2).toLocaleString('en')} list prices…`);
  const imported = await timeImport(base, key, token, skus);
  console.log('ERP: single stock updates to visibility…');
  const stock = await timeStockUpdates(base, key, token, imported.watchedSku, 20);
  console.log('ERP: workerd memory while 5 MiB and 49 MiB uploads stream…');
  // 49 MiB: just under the 50 MiB limit with the header row
  const memory = [await uploadPeak(base, key, worker, 5), await uploadPeak(base, key, worker, 49)];
  const stockP50 = median(stock);
  const { watchedSku: _sku, ...figures } = imported;
  return {
    ...figures,
    stockVisibleMs: {
      p50: Math.round(stockP50 * 10) / 10,
      max: Math.round(Math.max(...stock) * 10) / 10,
      samples: stock.length,
    },
    floorP50Ms: floor.p50Ms,
    stockOverFloorP50: Math.round((stockP50 / floor.p50Ms) * 10) / 10,
    memory,
  };
}

export function printErp(f: ErpFigures): void {
  console.log('\nERP link');
  console.table({
    'list-price import': {
      rows: f.importRows,
      MiB: Math.round((f.importBytes / 1024 / 1024) * 10) / 10,
      'accepted ms': f.acceptMs,
      'applied ms': f.appliedMs,
      'rows/s': f.rowsPerSecond,
      'changed price on a page ms': f.firstChangedPageMs,
      'served from': f.firstChangedPageSource,
      'from the rebuilt index ms': f.indexedAgainMs,
    },
  });
  console.table({
    'stock update → product page': {
      'p50 ms': f.stockVisibleMs.p50,
      'max ms': f.stockVisibleMs.max,
      samples: f.stockVisibleMs.samples,
      'floor p50 ms': f.floorP50Ms,
      'p50 / floor p50': f.stockOverFloorP50,
    },
  });
  console.table(
    f.memory.map((m) => ({ 'upload MiB': m.uploadMiB, 'workerd peak RSS growth MiB': m.peakRssDeltaMiB })),
  );
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type CheckoutFigures, checkoutPhase, printCheckout } from './bench-checkout';
import { type ErpFigures, erpPhase, printErp } from './bench-erp';
import { type KpiFigures, kpiPhase, printKpi } from './bench-kpi';
import { type Measurement, measure, median, ratio, type Scenario, WARM_UP_SECONDS } from './bench-measure';
import { type PunchoutFigures, printPunchout, punchoutPhase } from './bench-punchout';
import { printQuickOrder, type QuickOrderFigures, quickOrderPhase } from './bench-quick-order';
import { type ReadPathFigures, readPathPhase } from './bench-read';
import { printReadPath } from './bench-read-report';
import { printRecurring, type RecurringFigures, recurringPhase } from './bench-recurring';
import { printSearch, type SearchFigures, searchPhase } from './bench-search';
import { freePort, type RunningWorker, startSeededWorker } from './bench-worker';

/**
 * `npm run bench`: the price path against its floor, measured in one run on one machine.
 * 1. Seeds 50,000 products (Acme's contract: ~8,000 rules) into a fresh local D1 under `wrangler dev`.
 * 2. Times full index rebuilds, then drives five HTTP scenarios from this process:
 *    noop (baseline), floor (one KV value the size of a priced page, unparsed), floor+auth (the same read
 *    behind the same authentication), priced page via the index, and the same pages priced from SQL.
 * 3. On the same worker (unless --no-checkouts): checkouts for one company and for 20 in parallel, and adding
 *    a line to a 200-line cart (scripts/bench-checkout.ts).
 * 3b. Then (unless --no-recurring): 1,000 recurring orders of 50 companies due at the same minute, placed
 *    by the cron and the queue (scripts/bench-recurring.ts), next to the checkout figures.
 * 3c. On the same worker (unless --no-quick-order): resolving a 1,000-line paste with 10 % problem lines
 *    against POST /v1/prices of the same 1,000 valid SKUs, and the close-match structure's memory
 *    (scripts/bench-quick-order.ts). `--only-quick-order` runs that phase alone (after one index build).
 * 3c'. Then (unless --no-search): catalog search, suggest on every keystroke and a faceted page of 24, each
 *    against the floor in the same run, the first query, the index's size (scripts/bench-search.ts).
 *    `--only search` runs that phase alone.
 * 3c''. Then (unless --no-kpi): 100,000 orders of 200 companies seeded in bulk, the cron's KPI recompute, and
 *    GET /v1/rep/kpis, /v1/admin/kpis (and /v1/rep/accounts when it answers) against the floor
 *    (scripts/bench-kpi.ts). `--only kpi` runs that phase alone.
 * 3d. On the same worker (unless --no-erp): a 100,000-row list-price import end to end, single stock updates
 *    to visibility, workerd memory while uploads stream (scripts/bench-erp.ts).
 * 4. Repeats the rebuild on 10,000 and 100,000 products to show how build time and size grow.
 * 0. First, in-process and without HTTP (scripts/bench-read.ts): the read path of the index, cold and warm,
 *    keys and bytes per page, against the previous encoding and other designs. `--only read-path` runs
 *    only that (seconds, not minutes).
 * Absolute numbers on a shared 2-core machine wander; the ratios are the figures to compare.
 */
const COMPANY = 'co_acme';
const LOGIN = { email: 'buyer@acme.example', password: 'demo1234' };
const PAGE_SIZE = 50;
const PAGES = 20;
const BUILDS_PER_SIZE = 3;
// a KPI answer over 200 companies takes hundreds of ms on a local D1: 20 connections would queue requests
// past autocannon's 10 s timeout; the floor is measured with the same 2 connections
const KPI_CONNECTIONS = 2;

interface BuildFigures {
  products: number;
  indexedProducts: number;
  rules: number;
  buildMs: number;
  bytes: number;
  parts: number;
  bytesPer1000: number;
  msPer1000: number;
  seedSeconds: number;
}

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(LOGIN),
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function timeBuilds(worker: RunningWorker, products: number, seedMs: number): Promise<BuildFigures> {
  const build = async () => {
    let res = await fetch(`${worker.base}/_bench/price-index/${COMPANY}/build`, { method: 'POST' });
    // wrangler dev restarts its runtime once shortly after start (the Request.cf fetch fails offline);
    // a POST caught in that restart answers 503 and is not retried by wrangler, so retry it here
    for (let attempt = 0; res.status === 503 && attempt < 3; attempt++) {
      await new Promise((r) => setTimeout(r, 2000));
      res = await fetch(`${worker.base}/_bench/price-index/${COMPANY}/build`, { method: 'POST' });
    }
    if (res.status !== 200) {
      throw new Error(
        `build answered ${res.status}: ${await res.text()}\n--- wrangler output ---\n${worker.output()}`,
      );
    }
    const body = (await res.json()) as {
      built: boolean;
      ms: number;
      bytes: number;
      productCount: number;
      parts: number;
      rules: number;
    };
    if (!body.built) throw new Error(`build did not run: ${JSON.stringify(body)}`);
    return body;
  };
  await build(); // first build: also settles the company's fingerprint and any queued first-use build
  await new Promise((r) => setTimeout(r, 2000));
  const runs = [];
  for (let i = 0; i < BUILDS_PER_SIZE; i++) runs.push(await build());
  const last = runs.at(-1);
  if (!last) throw new Error('no build measured');
  const buildMs = median(runs.map((r) => r.ms));
  return {
    products,
    indexedProducts: last.productCount,
    rules: last.rules,
    buildMs,
    bytes: last.bytes,
    parts: last.parts,
    bytesPer1000: Math.round((last.bytes / last.productCount) * 1000),
    msPer1000: Math.round((buildMs / products) * 1000 * 10) / 10,
    seedSeconds: Math.round(seedMs / 100) / 10,
  };
}

/** The paths of the first PAGES catalog pages, found by walking the cursors once. */
async function pagePaths(base: string, token: string): Promise<{ paths: string[]; bytes: number }> {
  const paths: string[] = [];
  let cursor: string | null = null;
  let bytes = 0;
  for (let i = 0; i < PAGES; i++) {
    const path: string = `/v1/catalog/products?limit=${PAGE_SIZE}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`catalog page answered ${res.status}: ${text}`);
    if (!res.headers.get('x-price-source')?.startsWith('index')) {
      throw new Error(`catalog page not served from the index: ${res.headers.get('x-price-source')}`);
    }
    bytes = Math.max(bytes, Buffer.byteLength(text));
    paths.push(path);
    cursor = (JSON.parse(text) as { nextCursor: string | null }).nextCursor;
    if (!cursor) break;
  }
  return { paths, bytes };
}

async function scenariosFor(base: string): Promise<{ scenarios: Scenario[]; pageBytes: number }> {
  const token = await login(base);
  const auth = { authorization: `Bearer ${token}` };
  const { paths, bytes } = await pagePaths(base, token);
  const put = await fetch(`${base}/_bench/kv/page`, {
    method: 'PUT',
    body: new Uint8Array(bytes).map((_, i) => 32 + (i % 90)),
  });
  if (put.status !== 204) throw new Error(`KV floor setup answered ${put.status}`);
  return {
    pageBytes: bytes,
    scenarios: [
      { name: 'noop', paths: ['/_bench/noop'] },
      { name: 'floor', paths: ['/_bench/kv/page'] },
      { name: 'floor+auth', paths: ['/_bench/auth/kv/page'], headers: auth },
      { name: 'priced-index', paths, headers: auth },
      { name: 'priced-sql', paths, headers: { ...auth, 'x-bench-price-source': 'sql' } },
    ],
  };
}

const USAGE = `npm run bench -- [options]
  --duration N        seconds measured per autocannon scenario (default 10, after a 3 s warm-up)
  --connections N     autocannon connections (default 20)
  --products N        catalog size of the main run (default 50000)
  --growth A,B        also time index builds on these catalog sizes (default 10000,100000; '' for none)
  --no-checkouts      skip the checkout phase
  --no-punchout       skip the punch-out phase (a 50-line cXML visit step by step, 200-line OrderRequests)
  --no-search         skip the catalog search phase (suggest and a faceted page of 24 against the floor)
  --no-kpi            skip the KPI phase (100,000 orders of 200 companies, KPI routes against the floor)
  --only kpi          the KPI phase alone (no index build; --products 1000 keeps the seed short)
  --no-erp            skip the ERP phase (100,000-row list-price import, stock update visibility, upload memory)
  --no-recurring      skip the recurring-order phase (1,000 schedules of 50 companies due at once)
  --only-checkouts    the checkout phase alone (with the noop baseline and one index build; no growth)
  --no-quick-order    skip the quick-order phase
  --only-quick-order  the quick-order phase alone (one index build; no growth, no other scenario)
  --only read-path    the in-process read path of the price index alone (seconds; also npm run bench:read)
  --only recurring    the recurring-order phase alone (its own Worker and seed)
  --only punchout     the punch-out phase alone
  --only search       the catalog search phase alone (one index build of prices; the search index as it builds)
  --only erp          the ERP phase alone (with the noop and floor baselines and one index build)
  --port N            first port to try (default 8799)`;

function byName(results: Measurement[], name: string): Measurement {
  const m = results.find((r) => r.name === name);
  if (!m) throw new Error(`scenario ${name} was not measured`);
  return m;
}

/** The price path's ratios; none when only the checkout phase ran (--only-checkouts). */
function priceRatios(results: Measurement[]) {
  if (!results.some((r) => r.name === 'priced-index')) return {};
  const index = byName(results, 'priced-index');
  const floor = byName(results, 'floor');
  const floorAuth = byName(results, 'floor+auth');
  const fromSql = byName(results, 'priced-sql');
  return {
    'index / floor (target ≤ 1.5)': {
      p50: ratio(index.p50Ms, floor.p50Ms),
      p99: ratio(index.p99Ms, floor.p99Ms),
      'req/s': ratio(floor.requestsPerSecond, index.requestsPerSecond),
    },
    'index / floor+auth': {
      p50: ratio(index.p50Ms, floorAuth.p50Ms),
      p99: ratio(index.p99Ms, floorAuth.p99Ms),
      'req/s': ratio(floorAuth.requestsPerSecond, index.requestsPerSecond),
    },
    'sql / index (target ≥ 10)': {
      p50: ratio(fromSql.p50Ms, index.p50Ms),
      p99: ratio(fromSql.p99Ms, index.p99Ms),
      'req/s': ratio(index.requestsPerSecond, fromSql.requestsPerSecond),
    },
  };
}

function report(
  results: Measurement[],
  builds: BuildFigures[],
  config: Record<string, number>,
  checkout: CheckoutFigures | null,
  readPath: ReadPathFigures | null,
  recurring: RecurringFigures | null,
  quickOrder: QuickOrderFigures | null,
) {
  if (readPath) {
    printReadPath(readPath);
    if (readPath.checked.mismatches.length > 0) process.exitCode = 1;
  }
  if (quickOrder) printQuickOrder(quickOrder);
  const base = results.find((r) => r.name === 'noop');
  if (base)
    console.table(
      results.map((r) => ({
        scenario: r.name,
        'req/s': Math.round(r.requestsPerSecond),
        'p50 ms': r.p50Ms,
        'p99 ms': r.p99Ms,
        errors: r.errors,
        'p50 /noop': ratio(r.p50Ms, base.p50Ms),
        'req/s /noop': ratio(r.requestsPerSecond, base.requestsPerSecond),
      })),
    );
  const ratios = priceRatios(results);
  console.log('Ratios (req/s column: how many times more requests the faster side serves)');
  console.table(ratios);
  console.log('Index rebuild (median of 3 builds; Acme: contract + promotion + assortment)');
  console.table(builds);
  const smallest = builds[0];
  const growth = smallest
    ? builds.map((b) => ({
        products: b.products,
        'products ×': ratio(b.products, smallest.products),
        'build ms ×': ratio(b.buildMs, smallest.buildMs),
        'bytes ×': ratio(b.bytes, smallest.bytes),
      }))
    : [];
  console.table(growth);
  if (checkout && base) printCheckout(checkout, base);
  if (recurring) {
    const perSecond = Object.fromEntries(
      (checkout?.results ?? [])
        .filter((r) => r.scenario.startsWith('checkout'))
        .map((r) => [r.scenario, r.perSecond]),
    );
    printRecurring(recurring, perSecond);
  }
  mkdirSync('.bench', { recursive: true });
  const json = {
    at: new Date().toISOString(),
    config,
    node: process.version,
    results,
    ratios,
    builds,
    growth,
    ...(checkout ? { checkout } : {}),
    ...(readPath ? { readPath } : {}),
    ...(recurring ? { recurring } : {}),
    ...(quickOrder ? { quickOrder } : {}),
  };
  writeFileSync('.bench/results.json', `${JSON.stringify(json, null, 2)}\n`);
  console.log('Written to .bench/results.json');
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '20' },
      port: { type: 'string', default: '8799' },
      products: { type: 'string', default: '50000' },
      growth: { type: 'string', default: '10000,100000' },
      checkouts: { type: 'boolean', default: true },
      erp: { type: 'boolean', default: true },
      punchout: { type: 'boolean', default: true },
      search: { type: 'boolean', default: true },
      recurring: { type: 'boolean', default: true },
      kpi: { type: 'boolean', default: true },
      'only-checkouts': { type: 'boolean', default: false },
      'quick-order': { type: 'boolean', default: true },
      'only-quick-order': { type: 'boolean', default: false },
      only: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    allowNegative: true, // --no-checkouts skips the checkout phase
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const duration = positive('duration', values.duration);
  const connections = positive('connections', values.connections);
  const products = positive('products', values.products);
  const onlyQuickOrder = values['only-quick-order'];
  const onlyCheckouts = values['only-checkouts'];
  const onlyRecurring = values.only === 'recurring';
  const onlyErp = values.only === 'erp';
  const onlyPunchout = values.only === 'punchout' || values.only === 'search';
  const onlySearch = values.only === 'search';
  const onlyKpi = values.only === 'kpi';
  const growth =
    onlyCheckouts || onlyRecurring || onlyQuickOrder || onlyErp || onlyPunchout || onlyKpi
      ? ''
      : values.growth;
  const growthSizes = growth ? growth.split(',').map((s) => positive('growth', s)) : [];
  if (
    values.only !== undefined &&
    !['read-path', 'recurring', 'erp', 'punchout', 'search', 'kpi'].includes(values.only)
  )
    throw new Error(`--only takes read-path, recurring, erp, punchout, search or kpi, got "${values.only}"`);
  // the in-process read path runs first (seconds); --only-checkouts skips it
  const readPath =
    onlyCheckouts || onlyRecurring || onlyQuickOrder || onlyErp || onlyPunchout || onlyKpi
      ? null
      : await readPathPhase({ products, pages: 100, rounds: 3, growth: [] });
  if (readPath && values.only === 'read-path') {
    printReadPath(readPath);
    if (readPath.checked.mismatches.length > 0) process.exitCode = 1;
    return;
  }
  const port = await freePort(positive('port', values.port));
  let current: RunningWorker | undefined;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void (current?.stop() ?? Promise.resolve()).then(() => process.exit(130)));
  }
  const start = async (n: number) => {
    console.log(
      `Seeding ${n.toLocaleString('en')} products into a fresh local D1 and starting the Worker on port ${port}…`,
    );
    let seedMs = 0;
    current = await startSeededWorker({
      stateDir: `.bench/state-${n}`,
      products: n,
      port,
      onSeeded: (ms) => (seedMs = ms),
    });
    return { worker: current, seedMs };
  };
  const builds: BuildFigures[] = [];
  const results: Measurement[] = [];
  let checkout: CheckoutFigures | null = null;
  let erp: ErpFigures | null = null;
  let punchout: PunchoutFigures | null = null;
  let search: SearchFigures | null = null;
  let recurring: RecurringFigures | null = null;
  let quickOrder: QuickOrderFigures | null = null;
  let kpi: KpiFigures | null = null;
  try {
    const { worker, seedMs } = await start(products);
    if (onlyKpi) {
      printKpi(
        await kpiPhase(worker, `.bench/state-${products}`, { duration, connections: KPI_CONNECTIONS }),
      );
      return;
    }
    builds.push(await timeBuilds(worker, products, seedMs));
    if (onlySearch) {
      printSearch(await searchPhase(worker, products));
      return;
    }
    if (onlyPunchout) {
      printPunchout(await punchoutPhase(worker, `.bench/state-${products}`));
      return;
    }
    if (onlyQuickOrder) {
      quickOrder = await quickOrderPhase(worker.base, await login(worker.base));
      report([], builds, { products }, null, null, null, quickOrder);
      return;
    }
    const { scenarios, pageBytes } = await scenariosFor(worker.base);
    console.log(
      `A priced page of ${PAGE_SIZE} products is ${pageBytes} bytes; the floor reads a KV value of that size.`,
    );
    // the checkout phase needs only its baseline (noop) from the price-path scenarios
    const wanted = onlyErp
      ? scenarios.filter((x) => x.name === 'noop' || x.name === 'floor')
      : onlyCheckouts || onlyRecurring
        ? scenarios.filter((x) => x.name === 'noop')
        : scenarios;
    for (const s of wanted) {
      console.log(`${s.name}: ${WARM_UP_SECONDS} s warm-up + ${duration} s, ${connections} connections`);
      results.push(await measure(worker.base, s, duration, connections));
    }
    if ((values.checkouts || onlyCheckouts) && !onlyRecurring && !onlyErp) {
      const noop = byName(results, 'noop');
      // a failing checkout phase is reported, but does not cost the price-path figures above
      checkout = await checkoutPhase(worker.base, { duration, connections, noop }).catch((error: unknown) => {
        console.error(`Checkout phase failed: ${error instanceof Error ? error.message : error}`);
        process.exitCode = 1;
        return null;
      });
    }
    if (values.recurring && !onlyErp) {
      recurring = await recurringPhase(worker.base).catch((error: unknown) => {
        const cause = error instanceof Error && error.cause ? ` (${String(error.cause)})` : '';
        console.error(`Recurring phase failed: ${error instanceof Error ? error.message : error}${cause}`);
        process.exitCode = 1;
        return null;
      });
    }
    if (values['quick-order'] && !onlyErp) {
      quickOrder = await quickOrderPhase(worker.base, await login(worker.base)).catch((error: unknown) => {
        console.error(`Quick-order phase failed: ${error instanceof Error ? error.message : error}`);
        process.exitCode = 1;
        return null;
      });
    }
    if (values.punchout && !onlyCheckouts && !onlyRecurring && !onlyErp) {
      punchout = await punchoutPhase(worker, `.bench/state-${products}`).catch((error: unknown) => {
        console.error(`Punch-out phase failed: ${error instanceof Error ? error.message : error}`);
        process.exitCode = 1;
        return null;
      });
    }
    // after punch-out: the search phase puts a floor value of its own page's size
    if (values.search && !onlyCheckouts && !onlyRecurring && !onlyErp) {
      search = await searchPhase(worker, products).catch((error: unknown) => {
        console.error(`Search phase failed: ${error instanceof Error ? error.message : error}`);
        process.exitCode = 1;
        return null;
      });
    }
    if (values.kpi && !onlyCheckouts && !onlyRecurring && !onlyErp) {
      kpi = await kpiPhase(worker, `.bench/state-${products}`, {
        duration,
        connections: KPI_CONNECTIONS,
      }).catch((error: unknown) => {
        console.error(`KPI phase failed: ${error instanceof Error ? error.message : error}`);
        process.exitCode = 1;
        return null;
      });
    }
    // last on this worker: the 49 MiB upload's job keeps the queue busy for a while after it is accepted
    if (values.erp && !onlyCheckouts && !onlyRecurring) {
      erp = await erpPhase(worker, `.bench/state-${products}`, byName(results, 'floor')).catch(
        (error: unknown) => {
          console.error(`ERP phase failed: ${error instanceof Error ? error.message : error}`);
          process.exitCode = 1;
          return null;
        },
      );
    }
    await worker.stop();
    for (const n of growthSizes) {
      const next = await start(n);
      builds.push(await timeBuilds(next.worker, n, next.seedMs));
      await next.worker.stop();
    }
    builds.sort((a, b) => a.products - b.products);
    report(
      results,
      builds,
      {
        durationSeconds: duration,
        warmUpSeconds: WARM_UP_SECONDS,
        connections,
        products,
        pageSize: PAGE_SIZE,
      },
      checkout,
      readPath,
      recurring,
      quickOrder,
    );
    if (punchout) printPunchout(punchout);
    if (search) printSearch(search);
    if (kpi) printKpi(kpi);
    if (erp) printErp(erp);
  } catch (error) {
    // a request that lost its connection says nothing of why: the Worker's last output does
    const output = current?.output().trim();
    if (output) console.error(`The Worker's last output:\n${output}`);
    throw error;
  } finally {
    await current?.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}

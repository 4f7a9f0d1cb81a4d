import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ReferenceIndex } from '../src/domain/quick-order/references';
import { percentile, ratio } from './bench-measure';

/**
 * The quick-order phase of `npm run bench`, on the seeded worker (public API only):
 * 1. 1,000 SKUs Acme can order (from the catalog pages, each at a valid quantity), and a paste of the same
 *    1,000 lines in which 10 % are problems: 25 typos, 25 obsolete items, 25 wrong multiples, 25 unknown.
 * 2. Alternately, one client: `POST /v1/quick-order/resolve` with the paste, and `POST /v1/prices` with the
 *    1,000 valid lines; warm-up, then each timed request by request (loopback: the server's time plus a
 *    fraction of a millisecond). Target: resolve ≤ 2× prices at p50 and p99.
 * 3. In-process: the memory of the close-match structure (ReferenceIndex) over 50,000 SKUs, with and
 *    without a manufacturer part number on each, and the time of one "did you mean" lookup.
 */
const LINES = 1_000;
const PROBLEMS_EACH = 25;
const WARM_UP = 10;
const ROUNDS = 100;

interface CatalogItem {
  sku: string;
  status: string;
  orderable?: boolean;
  minOrderQty: number;
  orderMultiple: number;
  replacement?: string | null;
}

export interface QuickOrderFigures {
  lines: number;
  problemLines: number;
  summary: Record<string, number>;
  resolve: { p50Ms: number; p99Ms: number };
  prices: { p50Ms: number; p99Ms: number };
  ratios: { p50: number | null; p99: number | null };
  memory: {
    skus: number;
    withMpn: boolean;
    keys: number;
    heapBytes: number;
    bytesPerSku: number;
    arrayBytes: number;
  }[];
  lookupMicros: number;
}

async function post(base: string, path: string, token: string, body: string, type: string) {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return { ms: performance.now() - started, text };
}

async function catalog(base: string, token: string, query: string, want: number): Promise<CatalogItem[]> {
  const out: CatalogItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 60 && out.length < want; page++) {
    const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await fetch(`${base}/v1/catalog/products?limit=200${query}${after}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { items: CatalogItem[]; nextCursor: string | null };
    out.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return out;
}

const validQuantity = (p: CatalogItem) =>
  Math.ceil(Math.max(1, p.minOrderQty) / Math.max(1, p.orderMultiple)) * Math.max(1, p.orderMultiple);

/** The paste (1,000 lines, 10 % problems) and the same 1,000 valid lines for POST /v1/prices. */
async function workload(base: string, token: string) {
  const orderable = (await catalog(base, token, '&status=active', LINES * 2)).filter((p) => p.orderable);
  const valid = orderable.slice(0, LINES);
  const multiples = orderable.filter(
    (p) => p.orderMultiple > 1 && !valid.slice(0, 4 * PROBLEMS_EACH).includes(p),
  );
  const obsolete = (await catalog(base, token, '&status=obsolete', PROBLEMS_EACH)).slice(0, PROBLEMS_EACH);
  if (valid.length < LINES || multiples.length < PROBLEMS_EACH || obsolete.length < PROBLEMS_EACH)
    throw new Error(
      `catalog too small: ${valid.length} orderable, ${multiples.length} multiples, ${obsolete.length} obsolete`,
    );
  const lines = valid.map((p) => `${p.sku}\t${validQuantity(p)}`);
  for (let i = 0; i < PROBLEMS_EACH; i++) {
    const at = (k: number) => k * PROBLEMS_EACH + i;
    lines[at(0)] = `${valid[at(0)]?.sku.replace('-', 'X')}\t1`; // typo: did you mean
    lines[at(1)] = `${obsolete[i]?.sku}\t1`; // obsolete: replaced
    const m = multiples[i];
    lines[at(2)] = `${m?.sku}\t${(m ? validQuantity(m) : 1) + 1}`; // not a multiple: adjusted
    lines[at(3)] = `ZZQ-${String(900_000 + i)}\t2`; // unknown
  }
  const prices = JSON.stringify({ lines: valid.map((p) => ({ sku: p.sku, quantity: validQuantity(p) })) });
  return { paste: lines.join('\n'), prices };
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
  gc?.();
}

/**
 * Heap taken by a ReferenceIndex over `n` SKUs in the demo format (10 prefixes), optionally each with an
 * MPN. The strings are made inside the measured window, as the rows read from SQL are: the index keeps them.
 */
function memoryOf(n: number, withMpn: boolean) {
  const prefixes = ['FAS', 'HAN', 'POW', 'ABR', 'SAF', 'ELE', 'PLU', 'ADH', 'MAT', 'CLE'];
  const skuAt = (i: number) => `${prefixes[i % 10]}-${String(i + 1).padStart(6, '0')}`;
  const records = function* () {
    for (let i = 0; i < n; i++) {
      const sku = skuAt(i);
      yield { sku, kind: 'sku' as const, text: sku };
      if (withMpn)
        yield {
          sku,
          kind: 'manufacturer_part_number' as const,
          text: `MK${(i * 7919) % 100_000}-${String.fromCharCode(65 + (i % 26))}`,
        };
    }
  };
  // typed arrays live outside the V8 heap: both counted
  const used = () => {
    collectGarbage();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  const index = new ReferenceIndex(records());
  const heapBytes = used() - before;
  const probes = Array.from({ length: 2_000 }, (_, i) => skuAt((i * 37) % n).replace('-', 'X'));
  const started = performance.now();
  for (const probe of probes) index.candidates(probe);
  const lookupMicros = Math.round(((performance.now() - started) / probes.length) * 1000);
  return {
    figure: {
      skus: n,
      withMpn,
      keys: index.size,
      heapBytes,
      bytesPerSku: Math.round(heapBytes / n),
      arrayBytes: index.arrayBytes,
    },
    lookupMicros,
  };
}

export async function quickOrderPhase(base: string, token: string): Promise<QuickOrderFigures> {
  const { paste, prices } = await workload(base, token);
  const resolveMs: number[] = [];
  const pricesMs: number[] = [];
  let summary: Record<string, number> = {};
  for (let i = 0; i < WARM_UP + ROUNDS; i++) {
    const r = await post(base, '/v1/quick-order/resolve', token, paste, 'text/plain');
    const p = await post(base, '/v1/prices', token, prices, 'application/json');
    if (i === 0) summary = (JSON.parse(r.text) as { summary: Record<string, number> }).summary;
    if (i < WARM_UP) continue;
    resolveMs.push(r.ms);
    pricesMs.push(p.ms);
  }
  const resolve = { p50Ms: percentile(resolveMs, 0.5), p99Ms: percentile(resolveMs, 0.99) };
  const priced = { p50Ms: percentile(pricesMs, 0.5), p99Ms: percentile(pricesMs, 0.99) };
  const plain = memoryOf(50_000, false);
  const withMpn = memoryOf(50_000, true);
  return {
    lines: LINES,
    problemLines: 4 * PROBLEMS_EACH,
    summary,
    resolve,
    prices: priced,
    ratios: { p50: ratio(resolve.p50Ms, priced.p50Ms), p99: ratio(resolve.p99Ms, priced.p99Ms) },
    memory: [plain.figure, withMpn.figure],
    lookupMicros: withMpn.lookupMicros,
  };
}

export function printQuickOrder(f: QuickOrderFigures): void {
  console.log(
    `Quick order: ${f.lines} lines, ${f.problemLines} problem lines; outcomes ${JSON.stringify(f.summary)}`,
  );
  console.table({
    'POST /v1/quick-order/resolve (paste)': f.resolve,
    'POST /v1/prices (same 1,000 valid SKUs)': f.prices,
    'resolve / prices (target ≤ 2)': { p50Ms: f.ratios.p50, p99Ms: f.ratios.p99 },
  });
  console.log(`Close-match structure, one lookup ${f.lookupMicros} µs:`);
  console.table(f.memory);
}

import { readFileSync } from 'node:fs';
import { percentile } from './bench-measure';
import type { RunningWorker } from './bench-worker';
import { demoSearchDocs } from './demo-search-docs';
import type { RelevanceFixture } from './relevance-score';

/**
 * Catalog search on the seeded benchmark Worker (scripts/bench.ts), one client, request by request, each
 * against the floor route (one KV read of a value the size of a search page) sampled between them:
 * - the first query after start (the index built or opened), and the first once the index is current;
 * - suggest on every keystroke of the relevance set's queries (target ≤ 3× the floor p50);
 * - a faceted search page of 24 results, some with filters (target ≤ 5× the floor p50);
 * - the index's size: serialized bytes (KV) and the opened index in memory, per 50,000 products.
 */
export interface SearchFigures {
  products: number;
  floorP50Ms: number;
  firstQuery: { ms: number; source: string };
  firstIndexedQuery: { ms: number; source: string };
  suggest: { samples: number; p50Ms: number; p99Ms: number; overFloor: number };
  page: { samples: number; p50Ms: number; p99Ms: number; overFloor: number; bytes: number };
  index: { docCount: number | null; serializedBytes: number | null; memoryBytesPer50k: number };
}

const fixture = (): RelevanceFixture =>
  JSON.parse(readFileSync('test/fixtures/search/relevance.json', 'utf8')) as RelevanceFixture;

async function timed(
  url: string,
  init: RequestInit = {},
): Promise<{ ms: number; res: Response; text: string }> {
  const started = performance.now();
  // "fetch failed" alone does not say which request: the Worker went away during this one
  const res = await fetch(url, init).catch((error: unknown) => {
    throw new Error(
      `${init.method ?? 'GET'} ${url} failed: ${error instanceof Error ? error.message : error}`,
      {
        cause: error,
      },
    );
  });
  const text = await res.text();
  return { ms: performance.now() - started, res, text };
}

async function login(base: string, email: string): Promise<string> {
  const res = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'demo1234' }),
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

interface IndexStatus {
  state: string;
  docCount: number | null;
  bytes: number | null;
}

async function indexStatus(base: string, ops: string): Promise<IndexStatus> {
  const res = await fetch(`${base}/v1/admin/search/index`, { headers: { authorization: `Bearer ${ops}` } });
  if (res.status !== 200) throw new Error(`index status answered ${res.status}`);
  return (await res.json()) as IndexStatus;
}

/** Every keystroke from the second character: "he", "hex", "hex ", "hex b"… */
const keystrokes = (queries: string[]) =>
  queries
    .flatMap((q) => Array.from({ length: Math.max(0, q.length - 1) }, (_, i) => q.slice(0, i + 2)))
    .filter((q) => q.trim().length >= 2);

const FILTERS = ['', '&inStock=true', '&brand=Ferrox&brand=Nordfix', '', '&orderable=true'];

export async function searchPhase(worker: RunningWorker, products: number): Promise<SearchFigures> {
  const { base } = worker;
  const buyer = { authorization: `Bearer ${await login(base, 'buyer@acme.example')}` };
  const ops = await login(base, 'ops@supplier.example');
  const set = fixture();
  const texts = set.queries
    .filter((q) => !q.kind.startsWith('sku') && !q.kind.startsWith('mpn'))
    .map((q) => q.query);
  const search = (q: string, extra = '') => `${base}/v1/search?q=${encodeURIComponent(q)}&limit=24${extra}`;

  let first = await timed(search('hex bolt m8x40'), { headers: buyer });
  // a catalog too large to compile in a request answers 503 until the build its miss asked for lands
  if (first.res.status === 503) {
    for (let i = 0; i < 300 && (await indexStatus(base, ops)).state !== 'current'; i++)
      await new Promise((resolve) => setTimeout(resolve, 1000));
    first = await timed(search('hex bolt m8x40'), { headers: buyer });
  }
  if (first.res.status !== 200)
    throw new Error(`search answered ${first.res.status}: ${first.text.slice(0, 300)}`);
  const firstQuery = { ms: Math.round(first.ms), source: first.res.headers.get('x-search-source') ?? '?' };
  // the first query after start asks for a build when there is no index: wait for it (the queue builds it)
  let status = await indexStatus(base, ops);
  for (let i = 0; i < 300 && status.state !== 'current'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    status = await indexStatus(base, ops);
  }
  const indexed = await timed(search('hex bolt m8x40'), { headers: buyer });
  const firstIndexedQuery = {
    ms: Math.round(indexed.ms),
    source: indexed.res.headers.get('x-search-source') ?? '?',
  };

  // the floor: a KV value the size of a search page
  const pageBytes = Buffer.byteLength(indexed.text);
  const put = await fetch(`${base}/_bench/kv/page`, {
    method: 'PUT',
    body: new Uint8Array(pageBytes).map((_, i) => 32 + (i % 90)),
  });
  if (put.status !== 204) throw new Error(`KV floor setup answered ${put.status}`);

  const floor: number[] = [];
  const sample = async (url: string, into: number[], warm: boolean) => {
    const f = await timed(`${base}/_bench/kv/page`);
    const r = await timed(url, { headers: buyer });
    if (r.res.status !== 200) throw new Error(`${url} answered ${r.res.status}: ${r.text.slice(0, 300)}`);
    if (!warm) {
      floor.push(f.ms);
      into.push(r.ms);
    }
  };
  const suggestMs: number[] = [];
  const strokes = keystrokes(texts.slice(0, 60));
  for (const [i, q] of strokes.entries())
    await sample(`${base}/v1/search/suggest?q=${encodeURIComponent(q)}`, suggestMs, i < 10);
  const pageMs: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const [i, q] of texts.entries())
      await sample(search(q, FILTERS[i % FILTERS.length]), pageMs, round === 0 && i < 10);
  }
  const floorP50 = percentile(floor, 0.5);
  const over = (ms: number) => Math.round((ms / Math.max(floorP50, 0.1)) * 10) / 10;
  const figures = (ms: number[]) => ({
    samples: ms.length,
    p50Ms: percentile(ms, 0.5),
    p99Ms: percentile(ms, 0.99),
    overFloor: over(percentile(ms, 0.5)),
  });

  // memory of the opened index per 50,000 products, measured in this process on the same documents
  const { SearchIndex } = await import('../src/domain/search/search-index');
  const memoryBytesPer50k = SearchIndex.build(demoSearchDocs({ products: 50_000 })).approximateBytes();
  return {
    products,
    floorP50Ms: floorP50,
    firstQuery,
    firstIndexedQuery,
    suggest: figures(suggestMs),
    page: { ...figures(pageMs), bytes: pageBytes },
    index: { docCount: status.docCount, serializedBytes: status.bytes, memoryBytesPer50k },
  };
}

export function printSearch(f: SearchFigures): void {
  const mb = (b: number | null) => (b === null ? 'n/a' : `${(b / 1_048_576).toFixed(1)} MB`);
  console.log(
    `\nCatalog search (${f.products.toLocaleString('en')} products; one client; p50 against the floor route, same run)`,
  );
  console.log(`  floor p50 ${f.floorP50Ms} ms`);
  console.log(`  first query after start       ${f.firstQuery.ms} ms (${f.firstQuery.source})`);
  console.log(`  first query on the index      ${f.firstIndexedQuery.ms} ms (${f.firstIndexedQuery.source})`);
  const line = (name: string, x: SearchFigures['suggest'], target: number) =>
    console.log(
      `  ${name.padEnd(28)} p50 ${String(x.p50Ms).padStart(6)} ms  p99 ${String(x.p99Ms).padStart(6)} ms  ×${x.overFloor} floor (target ≤ ${target}×, ${x.samples} samples)`,
    );
  line('suggest (every keystroke)', f.suggest, 3);
  line(`search page of 24 + facets`, f.page, 5);
  console.log(`  search page size             ${f.page.bytes} bytes`);
  console.log(
    `  index: ${f.index.docCount ?? '?'} documents, ${mb(f.index.serializedBytes)} in KV, ${mb(f.index.memoryBytesPer50k)} in memory per 50,000 products`,
  );
}

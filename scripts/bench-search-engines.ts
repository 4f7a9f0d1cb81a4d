import { readFileSync } from 'node:fs';
import { fts5Engine } from './bench-search-fts5';
import {
  type BuiltEngine,
  type Engine,
  flexSearchEngine,
  miniSearchEngine,
  oramaEngine,
  ourEngine,
} from './bench-search-libraries';
import { demoSearchDocs } from './demo-search-docs';
import { formatScore, type RelevanceFixture, scoreRelevance } from './relevance-score';

/**
 * `node --expose-gc --import tsx scripts/bench-search-engines.ts [--misses] [--only=ours,mini,orama,flex,fts5]`: the catalog search engines
 * compared on the same 50,000 demo documents and the same relevance set (test/fixtures/search/relevance.json):
 * top-1/top-3, build time, index size (serialized bytes and heap growth), warm query p50/p95. The numbers
 * and the choice they led to: docs/search.md.
 */
const fixture = JSON.parse(readFileSync('test/fixtures/search/relevance.json', 'utf8')) as RelevanceFixture;
const showMisses = process.argv.includes('--misses');
// --rounds=N: timed passes over the set after the first (default 3; fewer for the slow engines)
const rounds = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 3);
// --only=mini,orama: the engines whose name holds one of these
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');

const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  gc?.();
  // typed arrays live outside the JS heap (external): both count
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

const docs = demoSearchDocs({ products: fixture.products });
const engines: Engine[] = [
  ourEngine,
  miniSearchEngine,
  oramaEngine,
  flexSearchEngine,
  fts5Engine('trigram'),
  fts5Engine('unicode61'),
];
const rows: string[][] = [];
for (const engine of engines) {
  if (only && !only.some((o) => engine.name.toLowerCase().includes(o))) continue;
  const started = performance.now();
  let built: BuiltEngine | null = await engine.build(docs, fixture);
  const buildMs = performance.now() - started;
  const serialized = await built.serializedBytes();
  const answers = new Map<string, string[]>();
  const firstPass: number[] = [];
  for (const q of fixture.queries) {
    const t = performance.now();
    answers.set(q.query, await built.search(q.query));
    firstPass.push(performance.now() - t);
  }
  // warm: every query once more, `rounds` times, timed one by one
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const q of fixture.queries) {
      const t = performance.now();
      await built.search(q.query);
      times.push(performance.now() - t);
    }
  }
  // --rounds=0: the first pass's times (not warm)
  if (times.length === 0) times.push(...firstPass);
  times.sort((a, b) => a - b);
  // the heap the engine holds: measured by letting it go (growth during the build includes garbage)
  const withEngine = heap();
  await built.close?.();
  built = null;
  const heapBytes = withEngine - heap();
  const score = scoreRelevance(fixture, (q) => answers.get(q) ?? []);
  if (showMisses) console.log(formatScore(score, engine.name));
  const pct = (n: number) => `${((100 * n) / score.total).toFixed(1)} %`;
  rows.push([
    engine.name,
    pct(score.top1),
    pct(score.top3),
    `${(buildMs / 1000).toFixed(1)} s`,
    mb(serialized),
    gc ? mb(heapBytes) : 'n/a (--expose-gc)',
    `${quantile(times, 0.5).toFixed(2)} ms`,
    `${quantile(times, 0.95).toFixed(2)} ms`,
  ]);
  console.log(rows.at(-1)?.join(' | '));
}
const header = ['engine', 'top-1', 'top-3', 'build', 'serialized', 'heap', 'query p50', 'query p95'];
console.log(`\n${docs.length} documents, ${fixture.queries.length} queries\n`);
console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);

import type { SynonymRule } from '../src/domain/search/types';

/**
 * Scores a search function on the relevance set (test/fixtures/search/relevance.json): a query is a top-1
 * hit when the first SKU returned is one of the expected ones, a top-3 hit when one of the first three is.
 * No Node imports: shared by the relevance test (our engine) and scripts/bench-search-engines.ts (every engine compared).
 */
export interface RelevanceFixture {
  products: number;
  synonyms: SynonymRule[];
  partNumbers: { partNumber: string; sku: string }[];
  queries: { query: string; expected: string[]; kind: string; note: string }[];
}

export interface RelevanceScore {
  total: number;
  top1: number;
  top3: number;
  byKind: { kind: string; total: number; top1: number; top3: number }[];
  misses: { query: string; kind: string; note: string; got: string[]; expected: string[] }[];
}

export function scoreRelevance(fixture: RelevanceFixture, search: (q: string) => string[]): RelevanceScore {
  const kinds = new Map<string, { kind: string; total: number; top1: number; top3: number }>();
  const misses: RelevanceScore['misses'] = [];
  let top1 = 0;
  let top3 = 0;
  for (const q of fixture.queries) {
    const expected = new Set(q.expected);
    const got = search(q.query).slice(0, 3);
    const hit1 = got[0] !== undefined && expected.has(got[0]);
    const hit3 = got.some((sku) => expected.has(sku));
    const k = kinds.get(q.kind) ?? { kind: q.kind, total: 0, top1: 0, top3: 0 };
    k.total++;
    if (hit1) k.top1++;
    if (hit3) k.top3++;
    kinds.set(q.kind, k);
    if (hit1) top1++;
    if (hit3) top3++;
    else misses.push({ query: q.query, kind: q.kind, note: q.note, got, expected: q.expected.slice(0, 3) });
  }
  return { total: fixture.queries.length, top1, top3, byKind: [...kinds.values()], misses };
}

const pct = (n: number, total: number) => `${((100 * n) / Math.max(1, total)).toFixed(1)} %`;

/** A readable table: per kind and overall, then each top-3 miss with what came back. */
export function formatScore(score: RelevanceScore, title: string): string {
  const lines = [
    `${title}: top-1 ${pct(score.top1, score.total)}, top-3 ${pct(score.top3, score.total)} of ${score.total}`,
  ];
  for (const k of score.byKind)
    lines.push(
      `  ${k.kind.padEnd(20)} ${String(k.total).padStart(3)}  top-1 ${pct(k.top1, k.total).padStart(7)}  top-3 ${pct(k.top3, k.total).padStart(7)}`,
    );
  for (const m of score.misses)
    lines.push(
      `  MISS [${m.kind}] "${m.query}" (${m.note}): got ${m.got.join(', ') || 'nothing'}; expected e.g. ${m.expected.join(', ')}`,
    );
  return lines.join('\n');
}

import { arenaFor } from './arena';
import { computeFacets, emptyFacets } from './facets';
import { compileFilters, MEMBER } from './filters';
import { type IndexData, REF_MPN, REF_SKU, refsOf } from './index-data';
import { fieldLabel } from './match';
import { parseQuery } from './query';
import { boostFactor, boostOf, EXACT_REFERENCE_TIER, nameFactor, orderPage } from './rank';
import { scoreText, type TextScores } from './score';
import type { CompanyView, SearchHit, SearchRequest, SearchResult, SearchSort } from './types';
import { companyRefDocs, companyRefsOf } from './view';

/**
 * One search: words → text scores → the documents matching the most words (all of them when some do) →
 * visible ones only → filters and facets → ranking (exact reference, the company's boosts, text) → a page.
 */
const SORTS: readonly SearchSort[] = ['relevance', 'name', '-name', 'sku', '-sku'];
const MAX_LIMIT = 1000;

const clampInt = (value: unknown, min: number, max: number, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value)
    ? Math.min(max, Math.max(min, Math.floor(value)))
    : fallback;

/** Documents whose reference (SKU, manufacturer's, company's) is the whole query. */
function exactReferences(data: IndexData, view: CompanyView, reference: string): Map<number, string> {
  const out = new Map<number, string>();
  if (reference.length < 2) return out;
  for (const { docId, kind } of refsOf(data, reference)) {
    if (kind === REF_SKU) out.set(docId, `sku ${data.skus[docId]}`);
    else if (kind === REF_MPN && !out.has(docId)) out.set(docId, `manufacturer part number ${reference}`);
  }
  for (const { docId, text } of companyRefDocs(companyRefsOf(view), reference))
    if (!out.has(docId)) out.set(docId, `your part number ${text}`);
  return out;
}

function explainText(data: IndexData, text: TextScores, doc: number): string[] {
  const lines: string[] = [];
  for (const slot of text.slots) {
    if ((slot.scores[doc] ?? 0) === 0) continue;
    const a = slot.alternative?.[doc] ?? 0;
    const alt = slot.slot.alternatives[a];
    const via = alt?.synonym ? ` (synonym of '${slot.slot.typed.join(' ')}')` : '';
    for (const word of slot.words[a] ?? []) {
      const best = word.best?.[doc] ?? 0;
      const score = (word.scores[doc] ?? 0).toFixed(2);
      if (best < 0) {
        const ref = word.matches.refs[-1 - best];
        lines.push(`word '${word.matches.word}'${via} is ${ref?.label ?? 'a reference'}: +${score}`);
        continue;
      }
      const m = word.matches.terms[best];
      const term = data.terms[m?.termId ?? 0] ?? '';
      const how =
        m?.kind === 'exact'
          ? ''
          : m?.kind === 'typo'
            ? ` ~ '${term}' (typo ${m.distance})`
            : ` ~ '${term}' (${m?.kind})`;
      lines.push(
        `word '${word.matches.word}'${how}${via} in ${fieldLabel(word.fields?.[doc] ?? 0)}: +${score}`,
      );
    }
  }
  return lines;
}

const emptyResult = (unmatched: string[]): SearchResult => ({
  total: 0,
  hits: [],
  facets: emptyFacets(),
  unmatched,
});

export function runSearch(data: IndexData, request: SearchRequest, view: CompanyView): SearchResult {
  const n = data.docCount;
  const access = view.access;
  const q = typeof request?.q === 'string' ? request.q : '';
  const explain = request?.explain === true;
  const sort = SORTS.includes(request?.sort) ? request.sort : 'relevance';
  const offset = clampInt(request?.offset, 0, n, 0);
  const limit = clampInt(request?.limit, 0, MAX_LIMIT, 24);
  const visible = (doc: number) => doc >= 0 && doc < n && (access[doc] ?? 0) > 0;

  const arena = arenaFor(data, n);
  const members = arena.ints32();
  let memberCount = 0;
  const scores = arena.floats32();
  let text: TextScores | null = null;
  let exact = new Map<number, string>();
  let unmatched: string[] = [];
  if (q.trim().length === 0) {
    for (let doc = 0; doc < n; doc++) if ((access[doc] ?? 0) > 0) members[memberCount++] = doc;
  } else {
    const parsed = parseQuery(data, view, q);
    if (parsed.slots.length === 0) return emptyResult([]);
    exact = exactReferences(data, view, parsed.reference);
    text = scoreText(data, arena, companyRefsOf(view), parsed, explain);
    const allWords = parsed.slots.reduce((sum, s) => sum + s.typed.length, 0);
    let most = 0;
    for (let i = 0; i < text.count; i++) {
      const doc = text.docs[i] ?? 0;
      if (visible(doc) && (text.covered[doc] ?? 0) > most) most = text.covered[doc] ?? 0;
    }
    for (const doc of exact.keys()) if (visible(doc)) most = Math.max(most, allWords);
    if (most === 0) return emptyResult(parsed.slots.flatMap((s) => s.typed));
    let reached = 0;
    for (let i = 0; i < text.count; i++) {
      const doc = text.docs[i] ?? 0;
      if (!visible(doc) || (text.covered[doc] ?? 0) < most || exact.has(doc)) continue;
      members[memberCount++] = doc;
      reached |= text.slotMask[doc] ?? 0;
    }
    for (const doc of exact.keys()) {
      if (!visible(doc)) continue;
      members[memberCount++] = doc;
      reached = -1;
    }
    unmatched = parsed.slots.filter((_, s) => (reached & (1 << s)) === 0).flatMap((s) => s.typed);
  }

  const filters = compileFilters(data, request?.filters ?? {}, access);
  const masks = arena.ints32();
  const hitsDocs = arena.ints32();
  let hitCount = 0;
  const all = filters.all;
  if (all === MEMBER) {
    // no filter: every member is a hit
    for (let i = 0; i < memberCount; i++) masks[members[i] ?? 0] = MEMBER;
    hitsDocs.set(members.subarray(0, memberCount));
    hitCount = memberCount;
  } else {
    for (let i = 0; i < memberCount; i++) {
      const doc = members[i] ?? 0;
      const mask = MEMBER | filters.passes(doc);
      masks[doc] = mask;
      if (mask === all) hitsDocs[hitCount++] = doc;
    }
  }
  const facets = computeFacets(data, filters, masks, members, memberCount, access);

  const habits = view.orderCounts.size > 0 || view.contractDocs.size > 0;
  if (sort === 'relevance') {
    for (let i = 0; i < hitCount; i++) {
      const doc = hitsDocs[i] ?? 0;
      const base = text ? (text.total[doc] ?? 0) * nameFactor(data, doc) : 1;
      const boost = habits || data.obsolete[doc] === 1 ? boostFactor(view, data, doc, null) : 1;
      scores[doc] = base * boost + (exact.size > 0 && exact.has(doc) ? EXACT_REFERENCE_TIER : 0);
    }
  }
  const page = orderPage(data, hitsDocs, hitCount, scores, sort, offset, limit);
  const hits: SearchHit[] = page.map((doc) => {
    const hit: SearchHit = {
      docId: doc,
      sku: data.skus[doc] ?? '',
      score: Math.round((scores[doc] ?? 0) * 1000) / 1000,
    };
    if (explain) {
      const boost = boostOf(view, data, doc, true);
      const tier = exact.get(doc);
      hit.explanation = [
        tier
          ? `tier exact_reference: ${tier} (+${EXACT_REFERENCE_TIER})`
          : text
            ? 'tier text'
            : 'tier browse',
        ...(text ? explainText(data, text, doc) : []),
        ...(text ? [`name length ${data.nameLength[doc]} words: ×${nameFactor(data, doc).toFixed(2)}`] : []),
        ...boost.lines,
        `score ${hit.score}${sort === 'relevance' ? '' : ` (sorted by ${sort})`}`,
      ];
    }
    return hit;
  });
  return { total: hitCount, hits, facets, unmatched };
}

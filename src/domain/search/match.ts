import { normaliseReference } from '../quick-order/references';
import { boundedDistance, maxEditsFor } from './fuzzy';
import {
  FIELD_DESCRIPTION,
  FIELD_META,
  FIELD_NAME,
  type IndexData,
  lowerBound,
  REF_MPN,
  REF_SKU,
  REF_SKU_NUMBER,
  termIdOf,
} from './index-data';
import { isAlphabetic } from './normalize';
import { queryStemsOf } from './stem';
import { type CompanyRefs, companyRefDocs } from './view';

/**
 * How one query word matches documents: the terms it reaches (itself, its stems, its typos, its completions
 * when it is the last word) and the references it is (SKU, the number a SKU ends with, a manufacturer or
 * company part number). Each reach has a factor; a document's score for the word is its best reach, weighted
 * by the field the term sits in and how rare the term is.
 */
export type MatchKind = 'exact' | 'stem' | 'typo' | 'prefix';

export interface TermMatch {
  termId: number;
  kind: MatchKind;
  distance: number;
  factor: number;
}

export interface RefMatch {
  docId: number;
  label: string;
  weight: number;
}

export interface WordMatches {
  word: string;
  terms: TermMatch[];
  refs: RefMatch[];
}

const KIND_FACTOR = { exact: 1, stem: 0.9, prefix: 0.75 } as const;
const TYPO_FACTOR = [1, 0.7, 0.5];
/** references weigh more than any text field; the exact SKU more than its number alone */
export const REF_WEIGHT = { sku: 8, mpn: 8, company: 8, number: 6, prefix: 4 } as const;
export const FIELD_WEIGHT = { name: 3, meta: 1.5, description: 0.6 } as const;
const MAX_PREFIX_TERMS = 48;
const MAX_PREFIX_SCAN = 4096;
const MAX_REF_PREFIX = 64;
const MIN_PREFIX_CHARS = 2;

function weightOfFields(fields: number): number {
  const weights = [
    (fields & FIELD_NAME) !== 0 ? FIELD_WEIGHT.name : 0,
    (fields & FIELD_META) !== 0 ? FIELD_WEIGHT.meta : 0,
    (fields & FIELD_DESCRIPTION) !== 0 ? FIELD_WEIGHT.description : 0,
  ];
  const best = Math.max(...weights);
  const sum = weights.reduce((a, b) => a + b, 0);
  return best + 0.1 * (sum - best);
}
/** The weight of each combination of field bits: the best field, with a little for each other one. */
const FIELD_WEIGHTS = Float32Array.from({ length: 8 }, (_, fields) => weightOfFields(fields));

export const fieldWeight = (fields: number): number => FIELD_WEIGHTS[fields & 7] ?? 0;

export function fieldLabel(fields: number): string {
  if (fields & FIELD_NAME) return 'name';
  if (fields & FIELD_META) return 'brand/family/category/attribute';
  return 'description';
}

/** Rare terms weigh more: 0.5 for a term in every document, 1 for a term in one. */
export function rarity(data: IndexData, termId: number): number {
  const n = Math.max(2, data.docCount);
  const df = Math.max(1, data.termDf[termId] ?? 1);
  return 0.5 + (0.5 * Math.log(1 + n / df)) / Math.log(1 + n);
}

/** Alphabetic terms grouped by length, built once per index on the first typo lookup. */
const byLengthCache = new WeakMap<IndexData, number[][]>();
function termsByLength(data: IndexData): number[][] {
  let groups = byLengthCache.get(data);
  if (!groups) {
    groups = [];
    for (const [id, term] of data.terms.entries()) {
      if (!isAlphabetic(term) || term.length > 64) continue;
      const group = groups[term.length] ?? [];
      group.push(id);
      groups[term.length] = group;
    }
    byLengthCache.set(data, groups);
  }
  return groups;
}

function typoTerms(data: IndexData, word: string, add: (m: TermMatch) => void): void {
  const max = maxEditsFor(word.length);
  if (max === 0 || !isAlphabetic(word)) return;
  const groups = termsByLength(data);
  for (let length = word.length - max; length <= word.length + max; length++) {
    for (const id of groups[length] ?? []) {
      const term = data.terms[id] ?? '';
      // one or two edits rarely touch both first letters (a swap of them aside): a cheap filter first
      const t0 = term.charCodeAt(0);
      const t1 = term.charCodeAt(1);
      const w0 = word.charCodeAt(0);
      const w1 = word.charCodeAt(1);
      if (t0 !== w0 && t1 !== w1 && !(t0 === w1 && t1 === w0)) continue;
      const d = boundedDistance(word, term, max);
      if (d >= 1 && d <= max) add({ termId: id, kind: 'typo', distance: d, factor: TYPO_FACTOR[d] ?? 0.4 });
    }
  }
}

/**
 * Completions of a word being typed, the most frequent first, within a budget of postings (the first one
 * always): "s" could mean a thousand terms, and a keystroke must stay cheap.
 */
function prefixTerms(data: IndexData, word: string, budget: number, add: (m: TermMatch) => void): void {
  if (word.length < MIN_PREFIX_CHARS) return;
  const from = lowerBound(data.terms, word);
  const found: number[] = [];
  for (let id = from; id < data.terms.length && id < from + MAX_PREFIX_SCAN; id++) {
    if (!(data.terms[id] ?? '').startsWith(word)) break;
    found.push(id);
  }
  // the most frequent completions: what a buyer typing "scr" most likely means
  found.sort((a, b) => (data.termDf[b] ?? 0) - (data.termDf[a] ?? 0) || a - b);
  let spent = 0;
  let taken = 0;
  for (const id of found) {
    const df = data.termDf[id] ?? 0;
    if (taken > 0 && spent + df > budget) continue;
    if (++taken > MAX_PREFIX_TERMS) break;
    spent += df;
    const completion = word.length / Math.max(1, (data.terms[id] ?? '').length);
    add({ termId: id, kind: 'prefix', distance: 0, factor: KIND_FACTOR.prefix * (0.6 + 0.4 * completion) });
  }
}

function referenceMatches(data: IndexData, refs: CompanyRefs, word: string, prefix: boolean): RefMatch[] {
  const key = normaliseReference(word);
  const out: RefMatch[] = [];
  if (key.length < 2) return out;
  for (let i = lowerBound(data.refKeys, key); i < data.refKeys.length && data.refKeys[i] === key; i++) {
    const kind = data.refKind[i];
    const docId = data.refDoc[i] ?? 0;
    if (kind === REF_SKU) out.push({ docId, label: `sku ${data.skus[docId]}`, weight: REF_WEIGHT.sku });
    else if (kind === REF_MPN)
      out.push({ docId, label: `manufacturer part number ${key}`, weight: REF_WEIGHT.mpn });
    else if (kind === REF_SKU_NUMBER)
      out.push({ docId, label: `number of sku ${data.skus[docId]}`, weight: REF_WEIGHT.number });
  }
  for (const { docId, text } of companyRefDocs(refs, key))
    out.push({ docId, label: `your part number ${text}`, weight: REF_WEIGHT.company });
  // the beginning of a reference, typed so far: "FAS-0050" → FAS-005001…
  if (prefix && key.length >= 4 && /\d/.test(key)) {
    const from = lowerBound(data.refKeys, key);
    for (let i = from; i < data.refKeys.length && i < from + MAX_REF_PREFIX; i++) {
      const ref = data.refKeys[i] ?? '';
      if (!ref.startsWith(key)) break;
      if (ref === key || data.refKind[i] === REF_SKU_NUMBER) continue;
      const docId = data.refDoc[i] ?? 0;
      out.push({ docId, label: `reference ${ref} starts with ${key}`, weight: REF_WEIGHT.prefix });
    }
  }
  return out;
}

/** Everything a word reaches; a term reached several ways keeps its best. */
export function matchWord(
  data: IndexData,
  refs: CompanyRefs,
  word: string,
  prefix: boolean,
  prefixBudget: number,
): WordMatches {
  const best = new Map<number, TermMatch>();
  const add = (m: TermMatch) => {
    const known = best.get(m.termId);
    if (!known || m.factor > known.factor) best.set(m.termId, m);
  };
  const exact = termIdOf(data, word);
  if (exact >= 0) add({ termId: exact, kind: 'exact', distance: 0, factor: KIND_FACTOR.exact });
  for (const stem of queryStemsOf(word)) {
    const asTerm = termIdOf(data, stem);
    if (asTerm >= 0) add({ termId: asTerm, kind: 'stem', distance: 0, factor: KIND_FACTOR.stem });
    const s = lowerBound(data.stems, stem);
    if (data.stems[s] !== stem) continue;
    for (let i = data.stemStart[s] ?? 0; i < (data.stemStart[s + 1] ?? 0); i++)
      add({ termId: data.stemTerms[i] ?? 0, kind: 'stem', distance: 0, factor: KIND_FACTOR.stem });
  }
  if (exact >= 0) best.set(exact, { termId: exact, kind: 'exact', distance: 0, factor: KIND_FACTOR.exact });
  typoTerms(data, word, add);
  if (prefix) prefixTerms(data, word, prefixBudget, add);
  return { word, terms: [...best.values()], refs: referenceMatches(data, refs, word, prefix) };
}

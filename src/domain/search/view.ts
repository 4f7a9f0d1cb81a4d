import { normaliseReference } from '../quick-order/references';
import { lowerBound } from './index-data';
import { queryWordsOf } from './normalize';
import { queryStemsOf } from './stem';
import type { CompanyView, SynonymRule } from './types';

/**
 * What the engine derives from a company's view once and keeps while the view lives (the service caches
 * views per isolate): its part numbers as a sorted lookup, its synonym rules as word sequences.
 */

export interface CompanyRefs {
  keys: string[];
  docs: Int32Array;
  /** the part number as the company writes it, for explanations */
  texts: string[];
}

/** A synonym rule as the query sees it: a phrase (folded words) and what it also means. */
export interface PreparedSynonym {
  input: string[];
  /** the stems of each input word, to match "boulons" with a rule written "boulon" */
  inputStems: string[][];
  outputs: string[][];
}

const refCache = new WeakMap<object, CompanyRefs>();
const synonymCache = new WeakMap<object, PreparedSynonym[]>();
const MAX_PHRASE_WORDS = 6;

export function companyRefsOf(view: CompanyView): CompanyRefs {
  const cached = refCache.get(view.partNumbers);
  if (cached) return cached;
  const entries = view.partNumbers
    .map((p) => ({ key: normaliseReference(String(p.partNumber ?? '')), docId: p.docId, text: p.partNumber }))
    .filter((e) => e.key.length > 0 && Number.isInteger(e.docId))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.docId - b.docId));
  const refs = {
    keys: entries.map((e) => e.key),
    docs: Int32Array.from(entries.map((e) => e.docId)),
    texts: entries.map((e) => e.text),
  };
  refCache.set(view.partNumbers, refs);
  return refs;
}

/** The company's documents whose part number normalises to `key`. */
export function companyRefDocs(refs: CompanyRefs, key: string): { docId: number; text: string }[] {
  const out: { docId: number; text: string }[] = [];
  for (let i = lowerBound(refs.keys, key); i < refs.keys.length && refs.keys[i] === key; i++)
    out.push({ docId: refs.docs[i] ?? 0, text: refs.texts[i] ?? '' });
  return out;
}

const phrase = (text: string): string[] => queryWordsOf(text).slice(0, MAX_PHRASE_WORDS);

function prepare(input: string[], outputs: string[][]): PreparedSynonym | null {
  const useful = outputs.filter((o) => o.length > 0 && o.join(' ') !== input.join(' '));
  if (input.length === 0 || useful.length === 0) return null;
  return { input, inputStems: input.map(queryStemsOf), outputs: useful };
}

/** Equivalent rules: each term means all the others; one-way rules: the input means each term. */
export function synonymsOf(view: CompanyView): PreparedSynonym[] {
  const cached = synonymCache.get(view.synonyms);
  if (cached) return cached;
  const out: PreparedSynonym[] = [];
  for (const rule of view.synonyms as readonly SynonymRule[]) {
    const terms = (rule.terms ?? []).map((t) => phrase(String(t))).filter((t) => t.length > 0);
    if (rule.kind === 'one_way') {
      const prepared = prepare(phrase(String(rule.input ?? '')), terms);
      if (prepared) out.push(prepared);
    } else {
      for (const [i, term] of terms.entries()) {
        const prepared = prepare(
          term,
          terms.filter((_, j) => j !== i),
        );
        if (prepared) out.push(prepared);
      }
    }
  }
  // longest phrases first: "vis tete hexagonale" wins over "vis"
  out.sort((a, b) => b.input.length - a.input.length);
  synonymCache.set(view.synonyms, out);
  return out;
}

/** The view of a catalog seen whole: every document visible and orderable, nothing of a company's own. */
export function fullView(docCount: number): CompanyView {
  return {
    access: new Uint8Array(docCount).fill(2),
    partNumbers: [],
    synonyms: [],
    orderCounts: new Map(),
    contractDocs: new Set(),
  };
}

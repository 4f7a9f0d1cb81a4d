import type { Arena } from './arena';
import type { IndexData } from './index-data';
import { fieldWeight, matchWord, rarity, type WordMatches } from './match';
import type { ParsedQuery, Slot } from './query';
import type { CompanyRefs } from './view';

/**
 * Text scores over dense per-document arrays: each word's best reach per document, each alternative's
 * documents (all its words) and score (their mean), each slot's best alternative, then per document the sum
 * over slots and the number of typed words covered. Work is proportional to the postings read.
 */
export interface WordScores {
  matches: WordMatches;
  scores: Float32Array;
  docs: Int32Array;
  count: number;
  /** with explanations: which reach won per document (term index, or -1 - reference index) and its fields */
  best: Int32Array | null;
  fields: Uint8Array | null;
}

export interface SlotScores {
  slot: Slot;
  scores: Float32Array;
  docs: Int32Array;
  count: number;
  /** per alternative, its words' scores; and (with explanations) which alternative won per document */
  words: WordScores[][];
  alternative: Uint8Array | null;
}

export interface TextScores {
  slots: SlotScores[];
  total: Float32Array;
  /** typed words each document covers */
  covered: Int32Array;
  slotMask: Int32Array;
  docs: Int32Array;
  count: number;
}

/** Synonyms score a little below the words as typed. */
export const SYNONYM_FACTOR = 0.95;

function scoreWord(data: IndexData, arena: Arena, matches: WordMatches, explain: boolean): WordScores {
  const n = data.docCount;
  const scores = arena.floats32();
  const docs = arena.ints32();
  const best = explain ? new Int32Array(n) : null;
  const fieldsOf = explain ? new Uint8Array(n) : null;
  let count = 0;
  const bytes = data.postings;
  for (const [index, match] of matches.terms.entries()) {
    const weight = match.factor * rarity(data, match.termId);
    const end = data.postingStart[match.termId + 1] ?? 0;
    let at = data.postingStart[match.termId] ?? 0;
    let doc = 0;
    // forEachPosting's decoding, inlined: this loop runs once per posting of every matched term (a browse of
    // the whole catalog walks hundreds of thousands), where a callback per posting is measurable
    while (at < end) {
      let value = 0;
      let shift = 1;
      let byte = bytes[at++] ?? 0;
      while (byte >= 0x80) {
        value += (byte & 0x7f) * shift;
        shift *= 128;
        byte = bytes[at++] ?? 0;
      }
      value += byte * shift;
      doc += Math.floor(value / 8);
      const fields = value & 7;
      const s = fieldWeight(fields) * weight;
      const known = scores[doc] ?? 0;
      if (s > known) {
        if (known === 0) docs[count++] = doc;
        scores[doc] = s;
        if (best) best[doc] = index;
        if (fieldsOf) fieldsOf[doc] = fields;
      }
    }
  }
  for (const [index, ref] of matches.refs.entries()) {
    const doc = ref.docId;
    if (doc < 0 || doc >= n) continue;
    const known = scores[doc] ?? 0;
    if (ref.weight > known) {
      if (known === 0) docs[count++] = doc;
      scores[doc] = ref.weight;
      if (best) best[doc] = -1 - index;
    }
  }
  return { matches, scores, docs, count, best, fields: fieldsOf };
}

function scoreSlot(
  data: IndexData,
  arena: Arena,
  refs: CompanyRefs,
  slot: Slot,
  explain: boolean,
  prefixBudget: number,
): SlotScores {
  const only = slot.alternatives[0];
  if (slot.alternatives.length === 1 && only && only.words.length === 1 && !only.synonym) {
    // one word, as typed: its scores are the slot's (no copy)
    const word = scoreWord(
      data,
      arena,
      matchWord(data, refs, only.words[0] ?? '', slot.prefix, prefixBudget),
      explain,
    );
    return {
      slot,
      scores: word.scores,
      docs: word.docs,
      count: word.count,
      words: [[word]],
      alternative: null,
    };
  }
  const n = data.docCount;
  const scores = arena.floats32();
  const docs = arena.ints32();
  const alternative = explain ? new Uint8Array(n) : null;
  let count = 0;
  const words: WordScores[][] = [];
  for (const [a, alt] of slot.alternatives.entries()) {
    const last = alt.words.length - 1;
    const perWord = alt.words.map((w, i) =>
      scoreWord(data, arena, matchWord(data, refs, w, slot.prefix && i === last, prefixBudget), explain),
    );
    words.push(perWord);
    // walk the rarest word's documents, keep those every other word reaches
    const rarest = perWord.reduce((x, y) => (y.count < x.count ? y : x));
    const factor = (alt.synonym ? SYNONYM_FACTOR : 1) / perWord.length;
    for (let i = 0; i < rarest.count; i++) {
      const doc = rarest.docs[i] ?? 0;
      let sum = 0;
      for (const w of perWord) {
        const s = w.scores[doc] ?? 0;
        if (s === 0) {
          sum = 0;
          break;
        }
        sum += s;
      }
      const s = sum * factor;
      const known = scores[doc] ?? 0;
      if (s > known) {
        if (known === 0) docs[count++] = doc;
        scores[doc] = s;
        if (alternative) alternative[doc] = a;
      }
    }
  }
  return { slot, scores, docs, count, words, alternative };
}

export function scoreText(
  data: IndexData,
  arena: Arena,
  refs: CompanyRefs,
  query: ParsedQuery,
  explain: boolean,
  /** postings the completions of a last word may read (suggestions spend less than searches) */
  prefixBudget = 200_000,
): TextScores {
  const total = arena.floats32();
  const covered = arena.ints32();
  const slotMask = arena.ints32();
  const docs = arena.ints32();
  let count = 0;
  const slots: SlotScores[] = [];
  for (const [s, slot] of query.slots.entries()) {
    const scored = scoreSlot(data, arena, refs, slot, explain, prefixBudget);
    slots.push(scored);
    const span = slot.typed.length;
    for (let i = 0; i < scored.count; i++) {
      const doc = scored.docs[i] ?? 0;
      if ((covered[doc] ?? 0) === 0) docs[count++] = doc;
      total[doc] = (total[doc] ?? 0) + (scored.scores[doc] ?? 0) * span;
      covered[doc] = (covered[doc] ?? 0) + span;
      slotMask[doc] = (slotMask[doc] ?? 0) | (1 << s);
    }
  }
  return { slots, total, covered, slotMask, docs, count };
}

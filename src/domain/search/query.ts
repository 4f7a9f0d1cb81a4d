import { normaliseReference } from '../quick-order/references';
import { type IndexData, lowerBound, termIdOf } from './index-data';
import { isAlphabetic, piecesOf, queryWordsOf } from './normalize';
import { queryStemsOf } from './stem';
import type { CompanyView } from './types';
import { type CompanyRefs, companyRefsOf, type PreparedSynonym, synonymsOf } from './view';

/**
 * A query as the matcher sees it: slots, each covering one or more typed words, each matched by one of its
 * alternatives (the words as typed, or what a synonym says they mean); every word of an alternative must
 * match. Words typed apart that form one known term or reference are read as one ("m8 x 40" → "m8x40").
 */
export interface Alternative {
  words: string[];
  /** from a synonym rule (explanations; scores a little below the words as typed) */
  synonym: boolean;
}

export interface Slot {
  /** the typed words the slot covers (folded), for `unmatched` and coverage */
  typed: string[];
  alternatives: Alternative[];
  /** holds the query's last word, typed without a space after it: may be a prefix */
  prefix: boolean;
}

export interface ParsedQuery {
  slots: Slot[];
  /** the whole query as a normalised reference ("ABR-015287" → "ABR15287") */
  reference: string;
}

const MAX_JOINED_WORDS = 5;

function sameWord(typed: string, ruleWord: string, ruleStems: readonly string[]): boolean {
  if (typed === ruleWord) return true;
  const stems = queryStemsOf(typed);
  return stems.some((s) => ruleStems.includes(s));
}

function synonymAt(words: readonly string[], at: number, rules: readonly PreparedSynonym[]) {
  for (const rule of rules) {
    if (at + rule.input.length > words.length) continue;
    let all = true;
    for (let k = 0; k < rule.input.length && all; k++)
      all = sameWord(words[at + k] ?? '', rule.input[k] ?? '', rule.inputStems[k] ?? []);
    if (all) return rule;
  }
  return undefined;
}

/** A term of the vocabulary, or a reference of the catalog or the company. */
function isKnown(data: IndexData, refs: CompanyRefs, text: string): boolean {
  if (termIdOf(data, text) >= 0) return true;
  const key = normaliseReference(text);
  if (key.length === 0) return false;
  const at = lowerBound(data.refKeys, key);
  if (data.refKeys[at] === key) return true;
  return refs.keys[lowerBound(refs.keys, key)] === key;
}

/** The words as typed; a compound word unknown to the index is also tried as its pieces, a size without its unit. */
function typedAlternatives(data: IndexData, word: string): Alternative[] {
  const out: Alternative[] = [{ words: [word], synonym: false }];
  if (termIdOf(data, word) >= 0) return out;
  const pieces = piecesOf(word);
  if (pieces.length > 1) out.push({ words: pieces, synonym: false });
  // a number glued to its unit ("8mm", "240l"): the number with the unit, or the number alone
  const unit = /^(\d+(?:\.\d+)?)([a-z]{1,3})$/.exec(word);
  if (unit?.[1] && unit[2])
    out.push({ words: [unit[1], unit[2]], synonym: false }, { words: [unit[1]], synonym: false });
  return out;
}

export function parseQuery(data: IndexData, view: CompanyView, q: string): ParsedQuery {
  const words = queryWordsOf(q);
  const text = typeof q === 'string' ? q : '';
  const endsOpen = text.length > 0 && !/\s$/.test(text);
  const rules = synonymsOf(view);
  const refs = companyRefsOf(view);
  const slots: Slot[] = [];
  let at = 0;
  while (at < words.length) {
    const rule = synonymAt(words, at, rules);
    if (rule) {
      const typed = words.slice(at, at + rule.input.length);
      slots.push({
        typed,
        alternatives: [
          { words: typed, synonym: false },
          ...rule.outputs.map((o) => ({ words: o, synonym: true })),
        ],
        prefix: false,
      });
      at += rule.input.length;
      continue;
    }
    let joined = 1;
    for (let n = Math.min(MAX_JOINED_WORDS, words.length - at); n >= 2; n--) {
      if (isKnown(data, refs, words.slice(at, at + n).join(''))) {
        joined = n;
        break;
      }
    }
    const typed = words.slice(at, at + joined);
    const word = typed.join('');
    at += joined;
    // a lone letter says nothing ("a", "x" between two numbers already joined above)
    if (word.length === 1 && isAlphabetic(word)) continue;
    slots.push({
      typed,
      alternatives: typedAlternatives(data, word),
      prefix: at === words.length && endsOpen,
    });
  }
  return { slots, reference: normaliseReference(words.length > 0 ? text.slice(0, 256) : '') };
}

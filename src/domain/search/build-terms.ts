import { ByteWriter } from './codec';
import { decodePostings, FIELD_BITS, FIELD_META } from './index-data';
import { termsOf } from './normalize';
import { stemIn } from './stem';

export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A text of a document: the field its words count in, the language they are stemmed in. */
export interface FieldText {
  field: number;
  locale: string;
  text: string;
}

// brand, family, category names and attribute values recur across thousands of documents: tokenized once
// each, in a cache emptied when full (a speed cache: its size must not grow with the catalog's)
const TERMS_CACHE_ENTRIES = 20_000;

/**
 * The inverted index, built document by document: each term's postings are varint-coded as its documents
 * arrive (document ids increase), in a byte buffer of its own that starts at 8 bytes. Per term the build
 * keeps those bytes and four numbers in typed arrays; per document nothing once it is added.
 */
export class TermsBuilder {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly lists: (ByteWriter | undefined)[] = [];
  // per term, by id (typed arrays of one kind each: the loop over a document's words stays monomorphic)
  private lastDoc = new Uint32Array(1024);
  private df = new Uint32Array(1024);
  private localesOf = new Uint32Array(1024);
  /** the fields a term occurs in within the document being added; 0 when not (yet) */
  private docFields = new Uint8Array(1024);
  private readonly touched: number[] = [];
  private readonly localeBits = new Map<string, number>();
  private readonly locales: string[] = [];
  private termsCache = new Map<string, string[]>();

  private bitOf(locale: string): number {
    let bit = this.localeBits.get(locale);
    if (bit === undefined) {
      bit = this.locales.length < 30 ? 1 << this.locales.length : 0;
      this.localeBits.set(locale, bit);
      this.locales.push(locale);
    }
    return bit;
  }

  private cachedTerms(text: string): string[] {
    let terms = this.termsCache.get(text);
    if (!terms) {
      terms = termsOf(text);
      if (this.termsCache.size >= TERMS_CACHE_ENTRIES) this.termsCache = new Map();
      this.termsCache.set(text, terms);
    }
    return terms;
  }

  private idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
      this.lists.push(new ByteWriter(8));
      if (id === this.df.length) this.grow();
    }
    return id;
  }

  private grow(): void {
    const size = this.df.length * 2;
    const grown = <T extends Uint8Array | Uint32Array>(array: T, make: (n: number) => T): T => {
      const out = make(size);
      out.set(array);
      return out;
    };
    this.lastDoc = grown(this.lastDoc, (n) => new Uint32Array(n));
    this.df = grown(this.df, (n) => new Uint32Array(n));
    this.localesOf = grown(this.localesOf, (n) => new Uint32Array(n));
    this.docFields = grown(this.docFields, (n) => new Uint8Array(n));
  }

  /** Adds the texts of document `doc`, greater than every document added before. */
  add(doc: number, texts: readonly FieldText[]): void {
    for (const { field, locale, text } of texts) {
      const bit = this.bitOf(locale);
      for (const term of field === FIELD_META ? this.cachedTerms(text) : termsOf(text)) {
        const id = this.idOf(term);
        const fields = this.docFields[id] ?? 0;
        if (fields === 0) this.touched.push(id);
        this.docFields[id] = fields | field;
        this.localesOf[id] = (this.localesOf[id] ?? 0) | bit;
      }
    }
    for (const id of this.touched) {
      this.lists[id]?.varint((doc - (this.lastDoc[id] ?? 0)) * 2 ** FIELD_BITS + (this.docFields[id] ?? 0));
      this.lastDoc[id] = doc;
      this.df[id] = (this.df[id] ?? 0) + 1;
      this.docFields[id] = 0;
    }
    this.touched.length = 0;
  }

  /**
   * The sorted vocabulary, the postings in its order, and the stem groups. `newIdOf` renumbers the
   * documents (when they did not arrive in SKU order): each term's postings are then decoded, renumbered,
   * sorted and coded again.
   */
  finish(newIdOf?: Int32Array) {
    const order = Int32Array.from(this.terms.keys()).sort((a, b) =>
      compare(this.terms[a] ?? '', this.terms[b] ?? ''),
    );
    const terms = Array.from(order, (id) => this.terms[id] ?? '');
    const termDf = new Uint32Array(terms.length);
    const postingStart = new Uint32Array(terms.length + 1);
    let total = 0;
    for (const list of this.lists) total += list?.length ?? 0;
    const writer = new ByteWriter(total + 8);
    const stemGroups = new Map<string, number[]>();
    for (const [t, id] of order.entries()) {
      const list = this.lists[id];
      if (list) writer.append(newIdOf ? renumbered(list.written(), newIdOf).written() : list.written());
      // each term's bytes are let go as soon as they are copied
      this.lists[id] = undefined;
      termDf[t] = this.df[id] ?? 0;
      postingStart[t + 1] = writer.length;
      // each language the term is written in stems it its own way
      const stems = new Set<string>();
      const bits = this.localesOf[id] ?? 0;
      for (const [i, locale] of this.locales.entries())
        if (bits & (1 << i)) stems.add(stemIn(locale, terms[t] ?? ''));
      for (const stem of stems) {
        if (stem === terms[t]) continue;
        const group = stemGroups.get(stem) ?? [];
        group.push(t);
        stemGroups.set(stem, group);
      }
    }
    const stems = [...stemGroups.keys()].sort(compare);
    const stemStart = new Uint32Array(stems.length + 1);
    const stemTerms: number[] = [];
    for (const [s, stem] of stems.entries()) {
      stemTerms.push(...(stemGroups.get(stem) ?? []));
      stemStart[s + 1] = stemTerms.length;
    }
    return {
      terms,
      termDf,
      postingStart,
      postings: writer.finish(),
      stems,
      stemStart,
      stemTerms: Int32Array.from(stemTerms),
    };
  }
}

/** A term's postings with its documents renumbered, in the new document order, coded again. */
function renumbered(bytes: Uint8Array, newIdOf: Int32Array): ByteWriter {
  const postings: number[] = [];
  decodePostings(bytes, 0, bytes.length, (doc, fields) => postings.push((newIdOf[doc] ?? 0) * 8 + fields));
  postings.sort((a, b) => a - b);
  const out = new ByteWriter(bytes.length + 8);
  let previous = 0;
  for (const posting of postings) {
    const next = Math.floor(posting / 8);
    out.varint((next - previous) * 2 ** FIELD_BITS + (posting & 7));
    previous = next;
  }
  return out;
}

/**
 * The index in memory: flat typed arrays and string tables, no object per document or per posting. Built by
 * build.ts, written and read by serialize.ts, queried by the rest. Document ids follow SKU order, so a sort
 * by SKU is a sort by id.
 */

/** Where a word occurs in a document (bits of a posting). */
export const FIELD_NAME = 1;
export const FIELD_META = 2;
export const FIELD_DESCRIPTION = 4;
export const FIELD_BITS = 3;

/** What a reference key is: a SKU, the number a SKU ends with, a manufacturer part number. */
export const REF_SKU = 0;
export const REF_SKU_NUMBER = 1;
export const REF_MPN = 2;

/** Ids into a small table, as narrow as the table allows. */
export type IdArray = Uint8Array | Uint16Array | Uint32Array;

export interface IndexData {
  docCount: number;
  skus: string[];
  /** the catalog's (English) name, as written */
  names: string[];
  /** words in that name (capped at 255): shorter, more specific names rank a little higher */
  nameLength: Uint8Array;
  brandOf: IdArray;
  brands: string[];
  familyOf: IdArray;
  families: string[];
  /** the document's own category (a leaf or not); its ancestors through categoryParent */
  categoryOf: IdArray;
  categoryPaths: string[];
  categoryNames: string[];
  /** -1 for a root */
  categoryParent: Int32Array;
  /** 1 = obsolete */
  obsolete: Uint8Array;
  inStock: Uint8Array;
  /** document ids by folded name, then SKU */
  nameOrder: Int32Array;
  /** the vocabulary, sorted (binary search, prefix ranges) */
  terms: string[];
  /** documents per term */
  termDf: Uint32Array;
  /** postings of term t: bytes [postingStart[t], postingStart[t + 1]) of varints (docId delta << 3 | fields) */
  postingStart: Uint32Array;
  postings: Uint8Array;
  /** stems (sorted) → the terms that stem to them in their document's language, when not the stem itself */
  stems: string[];
  stemStart: Uint32Array;
  stemTerms: Int32Array;
  /** normalised references (sorted) → document, with their kind */
  refKeys: string[];
  refDoc: Int32Array;
  refKind: Uint8Array;
  /** attribute keys, sorted */
  attrKeys: string[];
  /** the attribute entries of document d: [attrStart[d], attrStart[d + 1]) */
  attrStart: Uint32Array;
  /** each entry's key (index in attrKeys) */
  attrKey: IdArray;
  /** a string (or boolean) value: its index in attrValues (one per key and value); a number: -1 - its index in attrNumbers */
  attrValue: Int32Array;
  /** the distinct numbers of attributes (a size or length recurs across thousands of products) */
  attrNumbers: Float64Array;
  attrValues: string[];
}

/** The narrowest unsigned array holding ids below `size`. */
export function idArray(ids: ArrayLike<number>, size: number): IdArray {
  if (size <= 256) return Uint8Array.from(ids);
  if (size <= 65536) return Uint16Array.from(ids);
  return Uint32Array.from(ids);
}

/** The number of an attribute entry, NaN for a string value. */
export function attributeNumber(data: IndexData, entry: number): number {
  const v = data.attrValue[entry] ?? 0;
  return v < 0 ? (data.attrNumbers[-1 - v] ?? Number.NaN) : Number.NaN;
}

/** The first index in a sorted string array whose value is ≥ key. */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The id of a term, or -1. */
export function termIdOf(data: IndexData, term: string): number {
  const at = lowerBound(data.terms, term);
  return data.terms[at] === term ? at : -1;
}

/** Calls visit(docId, fields) for every posting of a term, in document order. */
export function forEachPosting(
  data: IndexData,
  termId: number,
  visit: (docId: number, fields: number) => void,
): void {
  decodePostings(data.postings, data.postingStart[termId] ?? 0, data.postingStart[termId + 1] ?? 0, visit);
}

/** Decodes delta-coded postings (document gap and fields in one varint) between two byte offsets. */
export function decodePostings(
  bytes: Uint8Array,
  start: number,
  end: number,
  visit: (docId: number, fields: number) => void,
): void {
  let at = start;
  let doc = 0;
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
    visit(doc, value & 7);
  }
}

/** The fields a term occurs in, in one document (0: none); a walk of its postings, for explanations only. */
export function fieldsIn(data: IndexData, termId: number, docId: number): number {
  let found = 0;
  forEachPosting(data, termId, (doc, fields) => {
    if (doc === docId) found = fields;
  });
  return found;
}

/** Document ids whose normalised reference key is exactly `key`, with the kind of key. */
export function refsOf(data: IndexData, key: string): { docId: number; kind: number }[] {
  const out: { docId: number; kind: number }[] = [];
  for (let i = lowerBound(data.refKeys, key); i < data.refKeys.length && data.refKeys[i] === key; i++)
    out.push({ docId: data.refDoc[i] ?? 0, kind: data.refKind[i] ?? 0 });
  return out;
}

/** The category ids from a document's category up to its root. */
export function categoryChain(data: IndexData, category: number): number[] {
  const out: number[] = [];
  for (let c = category; c >= 0 && out.length < 64; c = data.categoryParent[c] ?? -1) out.push(c);
  return out;
}

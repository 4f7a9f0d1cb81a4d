import { normaliseReference, trailingNumber } from '../quick-order/references';
import { ByteWriter } from './codec';
import {
  FIELD_BITS,
  FIELD_DESCRIPTION,
  FIELD_META,
  FIELD_NAME,
  type IndexData,
  idArray,
  REF_MPN,
  REF_SKU,
  REF_SKU_NUMBER,
} from './index-data';
import { foldText, termsOf, wordsOf } from './normalize';
import { stemIn } from './stem';
import type { SearchDoc } from './types';

/** Stored strings are joined by newlines in the serialized index: control characters become spaces. */
const CONTROL_RE = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(31)}]`, 'g');
const clean = (text: unknown): string => String(text ?? '').replace(CONTROL_RE, ' ');

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A string table: value → id, in first-seen order. */
class Table {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  idOf(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

/** Builds the categories of every document (with their ancestors, named) as one table. */
function categoryTable(docs: readonly SearchDoc[]) {
  const paths = new Table();
  const names: string[] = [];
  const parents: number[] = [];
  const categoryOf = new Uint32Array(docs.length);
  for (const [id, doc] of docs.entries()) {
    const segments = doc.categoryPath.split('/').filter((s) => s.length > 0);
    // a document without a category sits in the unnamed root ''
    if (segments.length === 0) segments.push('');
    let parent = -1;
    for (let depth = 0; depth < segments.length; depth++) {
      const path = segments.slice(0, depth + 1).join('/');
      const c = paths.idOf(path);
      if (c === names.length) {
        names.push(doc.categoryNames[depth] ?? segments[depth] ?? path);
        parents.push(parent);
      }
      parent = c;
    }
    categoryOf[id] = parent;
  }
  return {
    categoryOf: idArray(Array.from(categoryOf), names.length),
    categoryPaths: paths.values,
    categoryNames: names,
    categoryParent: Int32Array.from(parents),
  };
}

/** The attribute entries, grouped by key (sorted), in document order. */
function attributeTable(docs: readonly SearchDoc[]) {
  const byKey = new Map<string, { doc: number; value: string | number }[]>();
  for (const [id, doc] of docs.entries()) {
    for (const [key, raw] of Object.entries(doc.attributes ?? {})) {
      const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : String(raw);
      const list = byKey.get(key) ?? [];
      list.push({ doc: id, value });
      byKey.set(key, list);
    }
  }
  const attrKeys = [...byKey.keys()].sort(compare);
  const values = new Table();
  const numberIds = new Map<number, number>();
  const start = [0];
  const docIds: number[] = [];
  const valueIds: number[] = [];
  for (const key of attrKeys) {
    for (const entry of byKey.get(key) ?? []) {
      docIds.push(entry.doc);
      if (typeof entry.value === 'number') {
        let id = numberIds.get(entry.value);
        if (id === undefined) {
          id = numberIds.size;
          numberIds.set(entry.value, id);
        }
        valueIds.push(-1 - id);
      } else valueIds.push(values.idOf(entry.value));
    }
    start.push(docIds.length);
  }
  return {
    attrKeys,
    attrStart: Uint32Array.from(start),
    attrDoc: Int32Array.from(docIds),
    attrValue: Int32Array.from(valueIds),
    attrNumbers: Float64Array.from(numberIds.keys()),
    attrValues: values.values,
  };
}

/** Normalised SKUs, the numbers SKUs end with, and manufacturer part numbers, sorted. */
function referenceTable(docs: readonly SearchDoc[]) {
  const refs: { key: string; doc: number; kind: number }[] = [];
  for (const [id, doc] of docs.entries()) {
    const sku = normaliseReference(doc.sku);
    if (sku) refs.push({ key: sku, doc: id, kind: REF_SKU });
    const number = trailingNumber(sku);
    if (number) refs.push({ key: number, doc: id, kind: REF_SKU_NUMBER });
    const mpn = doc.manufacturerPartNumber ? normaliseReference(doc.manufacturerPartNumber) : '';
    if (mpn) refs.push({ key: mpn, doc: id, kind: REF_MPN });
  }
  refs.sort((a, b) => compare(a.key, b.key) || a.doc - b.doc || a.kind - b.kind);
  return {
    refKeys: refs.map((r) => r.key),
    refDoc: Int32Array.from(refs.map((r) => r.doc)),
    refKind: Uint8Array.from(refs.map((r) => r.kind)),
  };
}

/** The texts of a document by field, each with the language its words are stemmed in. */
function fieldsOf(doc: SearchDoc): { field: number; locale: string; text: string }[] {
  const out = [
    { field: FIELD_NAME, locale: 'en', text: doc.name },
    { field: FIELD_DESCRIPTION, locale: 'en', text: doc.description },
    { field: FIELD_META, locale: 'en', text: [doc.brand, doc.family, ...doc.categoryNames].join(' ') },
    { field: FIELD_META, locale: 'en', text: Object.values(doc.attributes ?? {}).join(' ') },
  ];
  for (const t of doc.translations ?? []) {
    out.push({ field: FIELD_NAME, locale: t.locale, text: t.name });
    out.push({ field: FIELD_DESCRIPTION, locale: t.locale, text: t.description });
  }
  return out;
}

/** The inverted index: sorted vocabulary, delta-coded postings with field bits, and the stem groups. */
function invertedIndex(docs: readonly SearchDoc[]) {
  const postingsByTerm = new Map<string, number[]>();
  const stemCache = new Map<string, string>();
  const stemGroups = new Map<string, Set<string>>();
  const seen = new Map<string, number>();
  for (const [id, doc] of docs.entries()) {
    seen.clear();
    for (const { field, locale, text } of fieldsOf(doc)) {
      for (const term of termsOf(text ?? '')) {
        seen.set(term, (seen.get(term) ?? 0) | field);
        if (field === FIELD_META) continue;
        const cacheKey = `${locale}\u0000${term}`;
        let stem = stemCache.get(cacheKey);
        if (stem === undefined) {
          stem = stemIn(locale, term);
          stemCache.set(cacheKey, stem);
          if (stem !== term) {
            const group = stemGroups.get(stem) ?? new Set<string>();
            group.add(term);
            stemGroups.set(stem, group);
          }
        }
      }
    }
    for (const [term, fields] of seen) {
      let list = postingsByTerm.get(term);
      if (!list) {
        list = [];
        postingsByTerm.set(term, list);
      }
      list.push(id * 8 + fields);
    }
  }
  const terms = [...postingsByTerm.keys()].sort(compare);
  const termDf = new Uint32Array(terms.length);
  const postingStart = new Uint32Array(terms.length + 1);
  const writer = new ByteWriter();
  for (const [t, term] of terms.entries()) {
    const list = postingsByTerm.get(term) ?? [];
    termDf[t] = list.length;
    let previous = 0;
    for (const entry of list) {
      const doc = Math.floor(entry / 8);
      writer.varint((doc - previous) * 2 ** FIELD_BITS + (entry & 7));
      previous = doc;
    }
    postingStart[t + 1] = writer.length;
  }
  const termIds = new Map(terms.map((term, i) => [term, i]));
  const stems = [...stemGroups.keys()].sort(compare);
  const stemStart = new Uint32Array(stems.length + 1);
  const stemTerms: number[] = [];
  for (const [s, stem] of stems.entries()) {
    for (const term of stemGroups.get(stem) ?? []) stemTerms.push(termIds.get(term) ?? 0);
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

/** A document with every stored string cleaned (and missing fields tolerated). */
function sanitize(doc: SearchDoc): SearchDoc {
  const attributes: SearchDoc['attributes'] = {};
  for (const [key, value] of Object.entries(doc.attributes ?? {}))
    attributes[clean(key)] = typeof value === 'string' ? clean(value) : value;
  return {
    sku: clean(doc.sku),
    name: clean(doc.name),
    description: String(doc.description ?? ''),
    translations: (doc.translations ?? []).map((t) => ({
      locale: String(t.locale ?? ''),
      name: String(t.name ?? ''),
      description: String(t.description ?? ''),
    })),
    brand: clean(doc.brand),
    family: clean(doc.family),
    categoryPath: clean(doc.categoryPath),
    categoryNames: (doc.categoryNames ?? []).map(clean),
    attributes,
    manufacturerPartNumber: doc.manufacturerPartNumber == null ? null : clean(doc.manufacturerPartNumber),
    status: doc.status === 'obsolete' ? 'obsolete' : 'active',
    inStock: doc.inStock === true,
  };
}

/** Builds the index of a catalog: documents in SKU order (a SKU seen twice keeps its first document). */
export function buildIndexData(input: readonly SearchDoc[]): IndexData {
  const unique = new Map<string, SearchDoc>();
  for (const raw of input) {
    const doc = sanitize(raw);
    if (doc.sku.length > 0 && !unique.has(doc.sku)) unique.set(doc.sku, doc);
  }
  const docs = [...unique.values()].sort((a, b) => compare(a.sku, b.sku));
  const brands = new Table();
  const families = new Table();
  const foldedNames = docs.map((d) => foldText(d.name));
  const nameOrder = Int32Array.from(docs.keys()).sort(
    (a, b) => compare(foldedNames[a] ?? '', foldedNames[b] ?? '') || a - b,
  );
  return {
    docCount: docs.length,
    skus: docs.map((d) => d.sku),
    names: docs.map((d) => d.name),
    nameLength: Uint8Array.from(docs.map((d) => Math.min(255, wordsOf(d.name).length))),
    ...(() => {
      const brandIds = docs.map((d) => brands.idOf(d.brand));
      const familyIds = docs.map((d) => families.idOf(d.family));
      return {
        brandOf: idArray(brandIds, brands.values.length),
        brands: brands.values,
        familyOf: idArray(familyIds, families.values.length),
        families: families.values,
      };
    })(),
    ...categoryTable(docs),
    obsolete: Uint8Array.from(docs.map((d) => (d.status === 'obsolete' ? 1 : 0))),
    inStock: Uint8Array.from(docs.map((d) => (d.inStock ? 1 : 0))),
    nameOrder,
    ...invertedIndex(docs),
    ...referenceTable(docs),
    ...attributeTable(docs),
  };
}

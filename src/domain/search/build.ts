import { attributeTable, categoryTable, compare, referenceTable, Table } from './build-tables';
import { ByteWriter } from './codec';
import { FIELD_BITS, FIELD_DESCRIPTION, FIELD_META, FIELD_NAME, type IndexData, idArray } from './index-data';
import { foldText, termsOf, wordsOf } from './normalize';
import { stemIn } from './stem';
import type { SearchDoc } from './types';

/** Stored strings are joined by newlines in the serialized index: control characters become spaces. */
const CONTROL_RE = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(31)}]`, 'g');
const clean = (text: unknown): string => String(text ?? '').replace(CONTROL_RE, ' ');

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

/** A term while building: its postings so far, the document it was last seen in, the languages it is in. */
interface Building {
  postings: number[];
  doc: number;
  fields: number;
  locales: number;
}

/** The inverted index: sorted vocabulary, delta-coded postings with field bits, and the stem groups. */
function invertedIndex(docs: readonly SearchDoc[]) {
  const building = new Map<string, Building>();
  const localeBits = new Map<string, number>();
  const locales: string[] = [];
  const bitOf = (locale: string) => {
    let bit = localeBits.get(locale);
    if (bit === undefined) {
      bit = locales.length < 30 ? 1 << locales.length : 0;
      localeBits.set(locale, bit);
      locales.push(locale);
    }
    return bit;
  };
  // brand, family and category names recur across thousands of documents: tokenized once each
  const termsCache = new Map<string, string[]>();
  const cachedTerms = (text: string) => {
    let terms = termsCache.get(text);
    if (!terms) {
      terms = termsOf(text);
      if (termsCache.size < 100_000) termsCache.set(text, terms);
    }
    return terms;
  };
  for (const [id, doc] of docs.entries()) {
    for (const { field, locale, text } of fieldsOf(doc)) {
      const bit = bitOf(locale);
      for (const term of field === FIELD_META ? cachedTerms(text) : termsOf(text)) {
        let entry = building.get(term);
        if (!entry) {
          entry = { postings: [], doc: id, fields: 0, locales: 0 };
          building.set(term, entry);
        }
        if (entry.doc !== id) {
          entry.postings.push(entry.doc * 8 + entry.fields);
          entry.doc = id;
          entry.fields = 0;
        }
        entry.fields |= field;
        entry.locales |= bit;
      }
    }
  }
  const terms = [...building.keys()].sort(compare);
  const termDf = new Uint32Array(terms.length);
  const postingStart = new Uint32Array(terms.length + 1);
  const writer = new ByteWriter();
  const stemGroups = new Map<string, number[]>();
  for (const [t, term] of terms.entries()) {
    const entry = building.get(term);
    if (!entry) continue;
    entry.postings.push(entry.doc * 8 + entry.fields);
    termDf[t] = entry.postings.length;
    let previous = 0;
    for (const posting of entry.postings) {
      const doc = Math.floor(posting / 8);
      writer.varint((doc - previous) * 2 ** FIELD_BITS + (posting & 7));
      previous = doc;
    }
    postingStart[t + 1] = writer.length;
    // each language the term is written in stems it its own way
    const stems = new Set<string>();
    for (const [i, locale] of locales.entries())
      if (entry.locales & (1 << i)) stems.add(stemIn(locale, term));
    for (const stem of stems) {
      if (stem === term) continue;
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

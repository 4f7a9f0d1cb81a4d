import { growingU8, growingU32 } from './build-arrays';
import { AttributeTable, CategoryTable, permuted, ReferenceTable, Table } from './build-tables';
import { compare, type FieldText, TermsBuilder } from './build-terms';
import { FIELD_DESCRIPTION, FIELD_META, FIELD_NAME, type IndexData, idArray } from './index-data';
import { foldText, wordsOf } from './normalize';
import type { SearchDoc } from './types';

/** Stored strings are joined by newlines in the serialized index: control characters become spaces. */
const CONTROL_RE = new RegExp(`[${String.fromCharCode(0)}-${String.fromCharCode(31)}]`, 'g');
const clean = (text: unknown): string => String(text ?? '').replace(CONTROL_RE, ' ');

/** The texts of a document by field, each with the language its words are stemmed in. */
function fieldsOf(doc: SearchDoc): FieldText[] {
  const out = [
    { field: FIELD_NAME, locale: 'en', text: doc.name },
    { field: FIELD_DESCRIPTION, locale: 'en', text: doc.description },
    { field: FIELD_META, locale: 'en', text: [doc.brand, doc.family, ...doc.categoryNames].join(' ') },
  ];
  // value by value (the same terms as the values joined): a value recurs across the catalog, a combination
  // of values much less, and the builder tokenizes each recurring text once
  for (const value of Object.values(doc.attributes ?? {}))
    out.push({ field: FIELD_META, locale: 'en', text: String(value) });
  for (const t of doc.translations ?? []) {
    out.push({ field: FIELD_NAME, locale: t.locale, text: t.name });
    out.push({ field: FIELD_DESCRIPTION, locale: t.locale, text: t.description });
  }
  return out;
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

/**
 * Builds the index of a catalog one document at a time, keeping only what the index holds (each term's
 * coded postings, the stored strings, a few bytes per document in typed arrays), never the documents: the
 * memory of a build is the size of the index it makes, whatever the documents carry (descriptions,
 * translations). Documents should come in SKU order (the build's SQL pages do); a document whose SKU was
 * just added is ignored; documents out of order are renumbered by finish().
 */
export class IndexBuilder {
  private readonly terms = new TermsBuilder();
  private readonly skus: string[] = [];
  private readonly names: string[] = [];
  private readonly nameLength = growingU8();
  private readonly brands = new Table();
  private readonly brandOf = growingU32();
  private readonly families = new Table();
  private readonly familyOf = growingU32();
  private readonly categories = new CategoryTable();
  private readonly attributes = new AttributeTable();
  private readonly references = new ReferenceTable();
  private readonly obsolete = growingU8();
  private readonly inStock = growingU8();
  private inOrder = true;

  get docCount(): number {
    return this.skus.length;
  }

  add(raw: SearchDoc): void {
    const doc = sanitize(raw);
    if (doc.sku.length === 0) return;
    const last = this.skus.at(-1);
    if (last !== undefined && compare(last, doc.sku) >= 0) {
      if (last === doc.sku) return;
      this.inOrder = false;
    }
    const id = this.skus.length;
    this.skus.push(doc.sku);
    this.names.push(doc.name);
    this.nameLength.push(Math.min(255, wordsOf(doc.name).length));
    this.brandOf.push(this.brands.idOf(doc.brand));
    this.familyOf.push(this.families.idOf(doc.family));
    this.categories.add(doc);
    this.attributes.add(doc.attributes);
    this.references.add(id, doc);
    this.obsolete.push(doc.status === 'obsolete' ? 1 : 0);
    this.inStock.push(doc.inStock ? 1 : 0);
    this.terms.add(id, fieldsOf(doc));
  }

  /** The index of every document added; the builder is spent. */
  finish(): IndexData {
    const { order, newIdOf } = this.inOrder ? {} : this.renumbering();
    const skus = order ? Array.from(order, (i) => this.skus[i] ?? '') : this.skus;
    const names = order ? Array.from(order, (i) => this.names[i] ?? '') : this.names;
    const foldedNames = names.map(foldText);
    const nameOrder = Int32Array.from(names.keys()).sort(
      (a, b) => compare(foldedNames[a] ?? '', foldedNames[b] ?? '') || a - b,
    );
    return {
      docCount: skus.length,
      skus,
      names,
      nameLength: permuted(this.nameLength.finish(), order),
      brandOf: idArray(permuted(this.brandOf.finish(), order), this.brands.values.length),
      brands: this.brands.values,
      familyOf: idArray(permuted(this.familyOf.finish(), order), this.families.values.length),
      families: this.families.values,
      ...this.categories.finish(order),
      obsolete: permuted(this.obsolete.finish(), order),
      inStock: permuted(this.inStock.finish(), order),
      nameOrder,
      ...this.terms.finish(newIdOf),
      ...this.references.finish(newIdOf),
      ...this.attributes.finish(order),
    };
  }

  /** SKU order of documents that came out of it: new id → id added, and back. */
  private renumbering(): { order: Int32Array; newIdOf: Int32Array } {
    const skus = this.skus;
    const order = Int32Array.from(skus.keys()).sort((a, b) => compare(skus[a] ?? '', skus[b] ?? ''));
    const newIdOf = new Int32Array(order.length);
    for (const [i, from] of order.entries()) {
      if (i > 0 && skus[from] === skus[order[i - 1] ?? 0])
        throw new Error(`search index build: SKU ${skus[from]} added twice`);
      newIdOf[from] = i;
    }
    return { order, newIdOf };
  }
}

/** Builds the index of a catalog: documents in SKU order (a SKU seen twice keeps its first document). */
export function buildIndexData(input: readonly SearchDoc[]): IndexData {
  const first = new Map<string, SearchDoc>();
  for (const doc of input) {
    const sku = clean(doc.sku);
    if (!first.has(sku)) first.set(sku, doc);
  }
  const builder = new IndexBuilder();
  for (const sku of [...first.keys()].sort(compare)) {
    const doc = first.get(sku);
    if (doc) builder.add(doc);
  }
  return builder.finish();
}

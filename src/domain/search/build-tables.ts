import { normaliseReference, trailingNumber } from '../quick-order/references';
import { idArray, REF_MPN, REF_SKU, REF_SKU_NUMBER } from './index-data';
import type { SearchDoc } from './types';

/** The tables of an index beside its words: categories, attributes, references. Documents come in id order. */

export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A string table: value → id, in first-seen order. */
export class Table {
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
export function categoryTable(docs: readonly SearchDoc[]) {
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

/** The attribute entries, document by document, keys sorted; string values numbered per key. */
export function attributeTable(docs: readonly SearchDoc[]) {
  const keySet = new Set<string>();
  for (const doc of docs) for (const key of Object.keys(doc.attributes)) keySet.add(key);
  const attrKeys = [...keySet].sort(compare);
  const keyIds = new Map(attrKeys.map((key, i) => [key, i]));
  const values = new Table();
  const valueNames: string[] = [];
  const numberIds = new Map<number, number>();
  const start = [0];
  const keys: number[] = [];
  const valueIds: number[] = [];
  for (const doc of docs) {
    const entries = Object.entries(doc.attributes).sort((a, b) => compare(a[0], b[0]));
    for (const [key, raw] of entries) {
      keys.push(keyIds.get(key) ?? 0);
      if (typeof raw === 'number' && Number.isFinite(raw)) {
        let id = numberIds.get(raw);
        if (id === undefined) {
          id = numberIds.size;
          numberIds.set(raw, id);
        }
        valueIds.push(-1 - id);
      } else {
        const value = String(raw);
        const id = values.idOf(`${key}\n${value}`);
        if (id === valueNames.length) valueNames.push(value);
        valueIds.push(id);
      }
    }
    start.push(keys.length);
  }
  return {
    attrKeys,
    attrStart: Uint32Array.from(start),
    attrKey: idArray(keys, attrKeys.length),
    attrValue: Int32Array.from(valueIds),
    attrNumbers: Float64Array.from(numberIds.keys()),
    attrValues: valueNames,
  };
}

/** Normalised SKUs, the numbers SKUs end with, and manufacturer part numbers, sorted. */
export function referenceTable(docs: readonly SearchDoc[]) {
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

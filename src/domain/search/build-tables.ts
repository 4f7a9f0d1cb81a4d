import { normaliseReference, trailingNumber } from '../quick-order/references';
import { growingI32, growingU8, growingU32 } from './build-arrays';
import { compare } from './build-terms';
import { idArray, REF_MPN, REF_SKU, REF_SKU_NUMBER } from './index-data';
import type { SearchDoc } from './types';

/**
 * The tables of an index beside its words (categories, attributes, references), each filled document by
 * document in id order, keeping only what the index holds. `order` (new id → id added) renumbers the
 * documents when they did not arrive in SKU order.
 */

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

/** The values of a per-document array in the new document order. */
export function permuted<T extends Uint8Array | Uint32Array | Int32Array>(values: T, order?: Int32Array): T {
  if (!order) return values;
  const out = values.slice(0, order.length) as T;
  for (const [i, from] of order.entries()) out[i] = values[from] ?? 0;
  return out;
}

/** The categories of every document (with their ancestors, named) as one table. */
export class CategoryTable {
  private readonly paths = new Table();
  private readonly names: string[] = [];
  private readonly parents: number[] = [];
  private readonly of = growingU32();

  add(doc: Pick<SearchDoc, 'categoryPath' | 'categoryNames'>): void {
    const segments = doc.categoryPath.split('/').filter((s) => s.length > 0);
    // a document without a category sits in the unnamed root ''
    if (segments.length === 0) segments.push('');
    let parent = -1;
    for (let depth = 0; depth < segments.length; depth++) {
      const path = segments.slice(0, depth + 1).join('/');
      const c = this.paths.idOf(path);
      if (c === this.names.length) {
        this.names.push(doc.categoryNames[depth] ?? segments[depth] ?? path);
        this.parents.push(parent);
      }
      parent = c;
    }
    this.of.push(parent);
  }

  finish(order?: Int32Array) {
    return {
      categoryOf: idArray(permuted(this.of.finish(), order), this.names.length),
      categoryPaths: this.paths.values,
      categoryNames: this.names,
      categoryParent: Int32Array.from(this.parents),
    };
  }
}

/** The attribute entries, document by document, keys sorted; string values numbered per key. */
export class AttributeTable {
  private readonly keys = new Table();
  private readonly values = new Table();
  private readonly valueNames: string[] = [];
  private readonly numberIds = new Map<number, number>();
  private readonly start = growingU32();
  private readonly entryKey = growingU32();
  private readonly entryValue = growingI32();

  constructor() {
    this.start.push(0);
  }

  add(attributes: SearchDoc['attributes']): void {
    const entries = Object.entries(attributes).sort((a, b) => compare(a[0], b[0]));
    for (const [key, raw] of entries) {
      this.entryKey.push(this.keys.idOf(key));
      if (typeof raw === 'number' && Number.isFinite(raw)) {
        let id = this.numberIds.get(raw);
        if (id === undefined) {
          id = this.numberIds.size;
          this.numberIds.set(raw, id);
        }
        this.entryValue.push(-1 - id);
      } else {
        const value = String(raw);
        const id = this.values.idOf(`${key}\n${value}`);
        if (id === this.valueNames.length) this.valueNames.push(value);
        this.entryValue.push(id);
      }
    }
    this.start.push(this.entryKey.length);
  }

  finish(order?: Int32Array) {
    // keys were numbered as first seen: the index numbers them in sorted order
    const attrKeys = [...this.keys.values].sort(compare);
    const rank = new Map(attrKeys.map((key, i) => [key, i]));
    const rankOf = this.keys.values.map((key) => rank.get(key) ?? 0);
    let start = this.start.finish();
    let keys = this.entryKey.finish();
    let values = this.entryValue.finish();
    if (order) {
      const from = start;
      const [oldKeys, oldValues] = [keys, values];
      start = new Uint32Array(from.length);
      keys = new Uint32Array(oldKeys.length);
      values = new Int32Array(oldValues.length);
      for (const [d, doc] of order.entries()) {
        const [a, b] = [from[doc] ?? 0, from[doc + 1] ?? 0];
        const at = start[d] ?? 0;
        keys.set(oldKeys.subarray(a, b), at);
        values.set(oldValues.subarray(a, b), at);
        start[d + 1] = at + b - a;
      }
    }
    for (let i = 0; i < keys.length; i++) keys[i] = rankOf[keys[i] ?? 0] ?? 0;
    return {
      attrKeys,
      attrStart: start,
      attrKey: idArray(keys, attrKeys.length),
      attrValue: values,
      attrNumbers: Float64Array.from(this.numberIds.keys()),
      attrValues: this.valueNames,
    };
  }
}

/** Normalised SKUs, the numbers SKUs end with, and manufacturer part numbers, sorted. */
export class ReferenceTable {
  private readonly keys: string[] = [];
  private readonly docs = growingI32();
  private readonly kinds = growingU8();

  private push(key: string, doc: number, kind: number): void {
    this.keys.push(key);
    this.docs.push(doc);
    this.kinds.push(kind);
  }

  add(id: number, doc: Pick<SearchDoc, 'sku' | 'manufacturerPartNumber'>): void {
    const sku = normaliseReference(doc.sku);
    if (sku) this.push(sku, id, REF_SKU);
    const number = trailingNumber(sku);
    if (number) this.push(number, id, REF_SKU_NUMBER);
    const mpn = doc.manufacturerPartNumber ? normaliseReference(doc.manufacturerPartNumber) : '';
    if (mpn) this.push(mpn, id, REF_MPN);
  }

  finish(newIdOf?: Int32Array) {
    const docs = this.docs.finish();
    if (newIdOf) for (let i = 0; i < docs.length; i++) docs[i] = newIdOf[docs[i] ?? 0] ?? 0;
    const kinds = this.kinds.finish();
    const keys = this.keys;
    const order = Int32Array.from(keys.keys()).sort(
      (a, b) =>
        compare(keys[a] ?? '', keys[b] ?? '') ||
        (docs[a] ?? 0) - (docs[b] ?? 0) ||
        (kinds[a] ?? 0) - (kinds[b] ?? 0),
    );
    return {
      refKeys: Array.from(order, (i) => keys[i] ?? ''),
      refDoc: permuted(docs, order),
      refKind: permuted(kinds, order),
    };
  }
}

import { attributeNumber, type IndexData, lowerBound } from './index-data';
import type { SearchFilters } from './types';

/**
 * Filters as bits: one bit per facet with a selection (category, family, brand, each attribute key, in
 * stock, orderable). A document's mask holds the bits of the facets it passes, so "passes every filter"
 * and "passes every filter but this facet's" (the facet's own counts) are one comparison each.
 */
export const MEMBER = 1 << 30;
const MAX_ATTRIBUTE_FILTERS = 24;

export interface CompiledFilters {
  /** MEMBER plus every facet bit in use */
  all: number;
  category: number;
  family: number;
  brand: number;
  inStock: number;
  orderable: number;
  /** attribute key index → its bit */
  attributes: Map<number, number>;
  /** the bits a document passes, MEMBER excepted */
  passes(doc: number): number;
}

const values = (list: unknown): string[] =>
  Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string').slice(0, 256) : [];

function idsOf(table: readonly string[], wanted: readonly string[]): Uint8Array {
  const out = new Uint8Array(table.length);
  const set = new Set(wanted);
  for (const [i, value] of table.entries()) if (set.has(value)) out[i] = 1;
  return out;
}

/** Categories selected, each with its subtree (a document's category or one of its ancestors is selected). */
function selectedCategories(data: IndexData, paths: readonly string[]): Uint8Array {
  const selected = idsOf(
    data.categoryPaths,
    paths.map((p) => p.replace(/^\/+|\/+$/g, '')),
  );
  const out = new Uint8Array(data.categoryPaths.length);
  for (let c = 0; c < out.length; c++) {
    for (let up = c, depth = 0; up >= 0 && depth < 64; up = data.categoryParent[up] ?? -1, depth++) {
      if (selected[up]) {
        out[c] = 1;
        break;
      }
    }
  }
  return out;
}

/** Per document, whether it passes an attribute key's value selection and range (both, when both are set). */
function attributePass(
  data: IndexData,
  key: number,
  wanted: readonly string[] | undefined,
  range: { min?: number; max?: number } | undefined,
): Uint8Array {
  const pass = new Uint8Array(data.docCount);
  if (key < 0) return pass;
  const wantedSet = wanted ? new Set(wanted) : null;
  const min = typeof range?.min === 'number' && !Number.isNaN(range.min) ? range.min : -Infinity;
  const max = typeof range?.max === 'number' && !Number.isNaN(range.max) ? range.max : Infinity;
  const { attrStart, attrKey } = data;
  for (let doc = 0; doc < data.docCount; doc++) {
    for (let i = attrStart[doc] ?? 0; i < (attrStart[doc + 1] ?? 0); i++) {
      if (attrKey[i] !== key) continue;
      const valueId = data.attrValue[i] ?? -1;
      const number = attributeNumber(data, i);
      const text = valueId >= 0 ? (data.attrValues[valueId] ?? '') : String(number);
      if (wantedSet && !wantedSet.has(text)) continue;
      if (range && (valueId >= 0 || number < min || number > max)) continue;
      pass[doc] = 1;
    }
  }
  return pass;
}

export function compileFilters(data: IndexData, filters: SearchFilters, access: Uint8Array): CompiledFilters {
  let next = 0;
  const bit = () => 1 << next++;
  const f = filters ?? {};
  const categories = f.category !== undefined ? selectedCategories(data, values(f.category)) : null;
  const families = f.family !== undefined ? idsOf(data.families, values(f.family)) : null;
  const brands = f.brand !== undefined ? idsOf(data.brands, values(f.brand)) : null;
  const compiled: CompiledFilters = {
    all: MEMBER,
    category: categories ? bit() : 0,
    family: families ? bit() : 0,
    brand: brands ? bit() : 0,
    inStock: typeof f.inStock === 'boolean' ? bit() : 0,
    orderable: typeof f.orderable === 'boolean' ? bit() : 0,
    attributes: new Map(),
    passes: () => 0,
  };
  const attributeTests: { bit: number; pass: Uint8Array }[] = [];
  const keys = new Set([...Object.keys(f.attributes ?? {}), ...Object.keys(f.ranges ?? {})]);
  for (const key of [...keys].slice(0, MAX_ATTRIBUTE_FILTERS)) {
    const at = lowerBound(data.attrKeys, key);
    const index = data.attrKeys[at] === key ? at : -1;
    const wanted = f.attributes?.[key] !== undefined ? values(f.attributes[key]) : undefined;
    const b = bit();
    // an unknown key passes nothing: a filter on what does not exist selects nothing
    if (index >= 0) compiled.attributes.set(index, b);
    attributeTests.push({ bit: b, pass: attributePass(data, index, wanted, f.ranges?.[key]) });
  }
  compiled.all = MEMBER | ((1 << next) - 1);
  compiled.passes = (doc: number) => {
    let mask = 0;
    if (categories?.[data.categoryOf[doc] ?? 0]) mask |= compiled.category;
    if (families?.[data.familyOf[doc] ?? 0]) mask |= compiled.family;
    if (brands?.[data.brandOf[doc] ?? 0]) mask |= compiled.brand;
    if (compiled.inStock && (data.inStock[doc] === 1) === f.inStock) mask |= compiled.inStock;
    if (compiled.orderable && (access[doc] === 2) === f.orderable) mask |= compiled.orderable;
    for (const test of attributeTests) if (test.pass[doc]) mask |= test.bit;
    return mask;
  };
  return compiled;
}

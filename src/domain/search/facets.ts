import type { CompiledFilters } from './filters';
import type { IndexData } from './index-data';
import type { CategoryFacet, Facets, FacetValue, RangeFacet } from './types';

/**
 * Counts per facet over the documents of the query (members: visible, matching the words): each facet
 * counts the documents that pass every OTHER facet's filter, so a selected value's neighbours show what
 * adding them would give. Hidden documents are never members, so never counted.
 */
const TOP_VALUES = 20;
const BUCKETS = 5;

const byCount = (a: FacetValue, b: FacetValue) =>
  b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

function valueCounts(counts: Int32Array, names: readonly string[], top: number): FacetValue[] {
  const out: FacetValue[] = [];
  for (const [i, count] of counts.entries()) if (count > 0) out.push({ value: names[i] ?? '', count });
  return out.sort(byCount).slice(0, top);
}

function categoryTree(data: IndexData, counts: Int32Array): CategoryFacet[] {
  const nodes = new Map<number, CategoryFacet>();
  const roots: CategoryFacet[] = [];
  for (const [c, count] of counts.entries()) {
    if (count > 0)
      nodes.set(c, {
        path: data.categoryPaths[c] ?? '',
        name: data.categoryNames[c] ?? '',
        count,
        children: [],
      });
  }
  for (const [c, node] of nodes) {
    const parent = nodes.get(data.categoryParent[c] ?? -1);
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: CategoryFacet[]) => {
    list.sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

function rangeOf(key: string, numbers: number[]): RangeFacet {
  let min = Infinity;
  let max = -Infinity;
  for (const v of numbers) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return { key, min, max, buckets: [{ from: min, to: max, count: numbers.length }] };
  const width = (max - min) / BUCKETS;
  const buckets = Array.from({ length: BUCKETS }, (_, i) => ({
    from: min + i * width,
    to: i === BUCKETS - 1 ? max : min + (i + 1) * width,
    count: 0,
  }));
  for (const v of numbers) {
    const b = buckets[Math.min(BUCKETS - 1, Math.floor((v - min) / width))];
    if (b) b.count++;
  }
  return { key, min, max, buckets };
}

export function computeFacets(
  data: IndexData,
  filters: CompiledFilters,
  masks: Int32Array,
  members: Int32Array,
  memberCount: number,
  access: Uint8Array,
): Facets {
  const all = filters.all;
  const categories = new Int32Array(data.categoryPaths.length);
  const families = new Int32Array(data.families.length);
  const brands = new Int32Array(data.brands.length);
  const inStock = { true: 0, false: 0 };
  const orderable = { true: 0, false: 0 };
  for (let i = 0; i < memberCount; i++) {
    const doc = members[i] ?? 0;
    const mask = masks[doc] ?? 0;
    if ((mask | filters.category) === all) {
      for (
        let c = data.categoryOf[doc] ?? -1, depth = 0;
        c >= 0 && depth < 64;
        c = data.categoryParent[c] ?? -1, depth++
      )
        categories[c] = (categories[c] ?? 0) + 1;
    }
    if ((mask | filters.family) === all)
      families[data.familyOf[doc] ?? 0] = (families[data.familyOf[doc] ?? 0] ?? 0) + 1;
    if ((mask | filters.brand) === all)
      brands[data.brandOf[doc] ?? 0] = (brands[data.brandOf[doc] ?? 0] ?? 0) + 1;
    if ((mask | filters.inStock) === all) {
      if (data.inStock[doc] === 1) inStock.true++;
      else inStock.false++;
    }
    if ((mask | filters.orderable) === all) {
      if (access[doc] === 2) orderable.true++;
      else orderable.false++;
    }
  }
  const attributes: Facets['attributes'] = [];
  const ranges: RangeFacet[] = [];
  const valueCountsScratch = new Int32Array(data.attrValues.length);
  for (const [k, key] of data.attrKeys.entries()) {
    const own = filters.attributes.get(k) ?? 0;
    const touched: number[] = [];
    const numbers: number[] = [];
    for (let i = data.attrStart[k] ?? 0; i < (data.attrStart[k + 1] ?? 0); i++) {
      const mask = masks[data.attrDoc[i] ?? 0] ?? 0;
      if ((mask | own) !== all) continue;
      const valueId = data.attrValue[i] ?? -1;
      if (valueId < 0) {
        numbers.push(data.attrNumbers[-1 - valueId] ?? 0);
        continue;
      }
      if (valueCountsScratch[valueId] === 0) touched.push(valueId);
      valueCountsScratch[valueId] = (valueCountsScratch[valueId] ?? 0) + 1;
    }
    if (touched.length > 0) {
      const values = touched.map((v) => ({
        value: data.attrValues[v] ?? '',
        count: valueCountsScratch[v] ?? 0,
      }));
      for (const v of touched) valueCountsScratch[v] = 0;
      attributes.push({ key, values: values.sort(byCount).slice(0, TOP_VALUES) });
    }
    if (numbers.length > 0) ranges.push(rangeOf(key, numbers));
  }
  return {
    category: categoryTree(data, categories),
    family: valueCounts(families, data.families, TOP_VALUES * 5),
    brand: valueCounts(brands, data.brands, TOP_VALUES * 5),
    attributes,
    ranges,
    inStock,
    orderable,
  };
}

export const emptyFacets = (): Facets => ({
  category: [],
  family: [],
  brand: [],
  attributes: [],
  ranges: [],
  inStock: { true: 0, false: 0 },
  orderable: { true: 0, false: 0 },
});

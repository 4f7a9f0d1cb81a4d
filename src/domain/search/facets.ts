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

/** Equal-width buckets over [min, max] of the numbers of the entries that count. */
function rangeOf(key: string, min: number, max: number, numbers: Float64Array, count: number): RangeFacet {
  if (min === max) return { key, min, max, buckets: [{ from: min, to: max, count }] };
  const width = (max - min) / BUCKETS;
  const buckets = Array.from({ length: BUCKETS }, (_, i) => ({
    from: min + i * width,
    to: i === BUCKETS - 1 ? max : min + (i + 1) * width,
    count: 0,
  }));
  for (let i = 0; i < count; i++) {
    const b = buckets[Math.min(BUCKETS - 1, Math.floor(((numbers[i] ?? 0) - min) / width))];
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
  const { categoryOf, categoryParent, familyOf, brandOf } = data;
  const inStockOf = data.inStock;
  const categoryBit = filters.category;
  const familyBit = filters.family;
  const brandBit = filters.brand;
  const inStockBit = filters.inStock;
  const orderableBit = filters.orderable;
  for (let i = 0; i < memberCount; i++) {
    const doc = members[i] ?? 0;
    const mask = masks[doc] ?? 0;
    if ((mask | categoryBit) === all) {
      for (
        let c = categoryOf[doc] ?? -1, depth = 0;
        c >= 0 && depth < 64;
        c = categoryParent[c] ?? -1, depth++
      )
        categories[c] = (categories[c] ?? 0) + 1;
    }
    if ((mask | familyBit) === all) {
      const f = familyOf[doc] ?? 0;
      families[f] = (families[f] ?? 0) + 1;
    }
    if ((mask | brandBit) === all) {
      const b = brandOf[doc] ?? 0;
      brands[b] = (brands[b] ?? 0) + 1;
    }
    if ((mask | inStockBit) === all) {
      if (inStockOf[doc] === 1) inStock.true++;
      else inStock.false++;
    }
    if ((mask | orderableBit) === all) {
      if (access[doc] === 2) orderable.true++;
      else orderable.false++;
    }
  }
  const attributes: Facets['attributes'] = [];
  const ranges: RangeFacet[] = [];
  const perValue = new Int32Array(data.attrValues.length);
  const numbers = new Float64Array(Math.max(1, memberCount));
  const { attrDoc, attrValue, attrNumbers, attrStart } = data;
  for (const [k, key] of data.attrKeys.entries()) {
    const own = filters.attributes.get(k) ?? 0;
    const touched: number[] = [];
    let numberCount = 0;
    let min = Infinity;
    let max = -Infinity;
    const end = attrStart[k + 1] ?? 0;
    for (let i = attrStart[k] ?? 0; i < end; i++) {
      if (((masks[attrDoc[i] ?? 0] ?? 0) | own) !== all) continue;
      const valueId = attrValue[i] ?? 0;
      if (valueId < 0) {
        const v = attrNumbers[-1 - valueId] ?? 0;
        if (v < min) min = v;
        if (v > max) max = v;
        if (numberCount < numbers.length) numbers[numberCount++] = v;
        continue;
      }
      if (perValue[valueId] === 0) touched.push(valueId);
      perValue[valueId] = (perValue[valueId] ?? 0) + 1;
    }
    if (touched.length > 0) {
      const values = touched.map((v) => ({ value: data.attrValues[v] ?? '', count: perValue[v] ?? 0 }));
      for (const v of touched) perValue[v] = 0;
      attributes.push({ key, values: values.sort(byCount).slice(0, TOP_VALUES) });
    }
    if (numberCount > 0) ranges.push(rangeOf(key, min, max, numbers, numberCount));
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

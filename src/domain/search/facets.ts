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

/** Equal-width buckets over [min, max], counted by the caller (`to` exclusive but in the last bucket). */
function rangeOf(key: string, min: number, max: number, count: number, counts: Int32Array): RangeFacet {
  if (min === max) return { key, min, max, buckets: [{ from: min, to: max, count }] };
  const width = (max - min) / BUCKETS;
  const buckets = Array.from({ length: BUCKETS }, (_, i) => ({
    from: min + i * width,
    to: i === BUCKETS - 1 ? max : min + (i + 1) * width,
    count: counts[i] ?? 0,
  }));
  return { key, min, max, buckets };
}

/** Attribute values and numeric ranges, over the entries of the member documents only. */
function attributeFacets(
  data: IndexData,
  filters: CompiledFilters,
  masks: Int32Array,
  members: Int32Array,
  memberCount: number,
): Pick<Facets, 'attributes' | 'ranges'> {
  const all = filters.all;
  const keyCount = data.attrKeys.length;
  const own = new Int32Array(keyCount);
  for (const [k, bit] of filters.attributes) own[k] = bit;
  const perValue = new Int32Array(data.attrValues.length);
  const touched: number[][] = Array.from({ length: keyCount }, () => []);
  const min = new Float64Array(keyCount).fill(Infinity);
  const max = new Float64Array(keyCount).fill(-Infinity);
  const numberCount = new Int32Array(keyCount);
  const { attrStart, attrKey, attrValue, attrNumbers } = data;
  for (let m = 0; m < memberCount; m++) {
    const doc = members[m] ?? 0;
    const mask = masks[doc] ?? 0;
    const end = attrStart[doc + 1] ?? 0;
    for (let i = attrStart[doc] ?? 0; i < end; i++) {
      const k = attrKey[i] ?? 0;
      if ((mask | (own[k] ?? 0)) !== all) continue;
      const valueId = attrValue[i] ?? 0;
      if (valueId < 0) {
        const v = attrNumbers[-1 - valueId] ?? 0;
        if (v < (min[k] ?? 0)) min[k] = v;
        if (v > (max[k] ?? 0)) max[k] = v;
        numberCount[k] = (numberCount[k] ?? 0) + 1;
      } else {
        if (perValue[valueId] === 0) touched[k]?.push(valueId);
        perValue[valueId] = (perValue[valueId] ?? 0) + 1;
      }
    }
  }
  // the buckets need each key's min and max: a second pass, over numbers only
  const buckets = new Int32Array(keyCount * BUCKETS);
  if (numberCount.some((c) => c > 0)) {
    for (let m = 0; m < memberCount; m++) {
      const doc = members[m] ?? 0;
      const mask = masks[doc] ?? 0;
      const end = attrStart[doc + 1] ?? 0;
      for (let i = attrStart[doc] ?? 0; i < end; i++) {
        const valueId = attrValue[i] ?? 0;
        const k = attrKey[i] ?? 0;
        if (valueId >= 0 || (mask | (own[k] ?? 0)) !== all) continue;
        const lo = min[k] ?? 0;
        const width = ((max[k] ?? 0) - lo) / BUCKETS;
        const v = attrNumbers[-1 - valueId] ?? 0;
        const b = width > 0 ? Math.min(BUCKETS - 1, Math.floor((v - lo) / width)) : 0;
        buckets[k * BUCKETS + b] = (buckets[k * BUCKETS + b] ?? 0) + 1;
      }
    }
  }
  const attributes: Facets['attributes'] = [];
  const ranges: RangeFacet[] = [];
  for (const [k, key] of data.attrKeys.entries()) {
    const ids = touched[k] ?? [];
    if (ids.length > 0) {
      const values = ids.map((v) => ({ value: data.attrValues[v] ?? '', count: perValue[v] ?? 0 }));
      attributes.push({ key, values: values.sort(byCount).slice(0, TOP_VALUES) });
    }
    const count = numberCount[k] ?? 0;
    if (count > 0) ranges.push(rangeOf(key, min[k] ?? 0, max[k] ?? 0, count, buckets.subarray(k * BUCKETS)));
  }
  return { attributes, ranges };
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
  return {
    category: categoryTree(data, categories),
    family: valueCounts(families, data.families, TOP_VALUES * 5),
    brand: valueCounts(brands, data.brands, TOP_VALUES * 5),
    ...attributeFacets(data, filters, masks, members, memberCount),
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

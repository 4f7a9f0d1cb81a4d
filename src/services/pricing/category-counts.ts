import * as v from 'valibot';
import { allPricingProducts, assortmentByIds } from '../../db/queries/pricing-data';
import { visibleCountsByCategory } from '../../domain/pricing/compile';
import { kvKeys } from '../../lib/kv-keys';
import { inputsOf } from './build';
import type { PricingDeps } from './deps';
import { KV_CACHE_TTL_SECONDS, POINTER_CACHE_MS, readPointer } from './reader';

export interface CategoryCounts {
  /** visible products per category path (own products, not the subtree) */
  counts: ReadonlyMap<string, number>;
  source: 'index' | 'sql';
  generation: number | null;
}

const CountsSchema = v.record(v.string(), v.number());
const MAX_CACHED = 500;
/** by `<fingerprint>:g<generation>` (a generation never changes), or `<fingerprint>:sql` for a short while */
const cache = new Map<string, { counts: ReadonlyMap<string, number>; at: number }>();

function remember(key: string, counts: ReadonlyMap<string, number>, at: number): void {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, { counts, at });
}

/**
 * How many products of each category a customer sees. The index build stores them per generation beside
 * the parts (one small KV read, then kept by the isolate for as long as the generation is current); before
 * the first build they are computed from SQL with the same assortment engine. Visibility has no time
 * window, so an index past its `validUntil` (a price window) still counts right.
 */
export async function customerCategoryCounts(
  deps: PricingDeps,
  fingerprint: string,
  now: number,
): Promise<CategoryCounts> {
  const pointer = await readPointer(deps.kv, fingerprint, now);
  if (pointer) {
    const key = `${fingerprint}:g${pointer.generation}`;
    const hit = cache.get(key);
    if (hit) return { counts: hit.counts, source: 'index', generation: pointer.generation };
    const raw = await deps.kv.get(kvKeys.priceIndexCategories(fingerprint, pointer.generation), {
      type: 'json',
      cacheTtl: KV_CACHE_TTL_SECONDS,
    });
    const parsed = v.safeParse(CountsSchema, raw);
    // a generation built before counts were stored: computed once for it
    const counts = parsed.success
      ? new Map(Object.entries(parsed.output))
      : await countsFromSql(deps, fingerprint);
    remember(key, counts, now);
    return { counts, source: 'index', generation: pointer.generation };
  }
  const key = `${fingerprint}:sql`;
  const hit = cache.get(key);
  if (hit && now - hit.at < POINTER_CACHE_MS && now >= hit.at)
    return { counts: hit.counts, source: 'sql', generation: null };
  const counts = await countsFromSql(deps, fingerprint);
  remember(key, counts, now);
  return { counts, source: 'sql', generation: null };
}

async function countsFromSql(deps: PricingDeps, fingerprint: string): Promise<ReadonlyMap<string, number>> {
  const inputs = await inputsOf(deps.db, fingerprint);
  const [items, rules] = await Promise.all([
    allPricingProducts(deps.db),
    assortmentByIds(deps.db, inputs.assortmentRuleIds),
  ]);
  return new Map(Object.entries(visibleCountsByCategory(items, rules)));
}

export const clearCategoryCountCache = () => cache.clear();

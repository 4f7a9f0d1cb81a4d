import { inArray, sql } from 'drizzle-orm';
import { chunks, JSON_ROWS_PER_STATEMENT } from '../../../db/queries/bulk';
import {
  field,
  fromExcluded,
  jsonRecords,
  jsonValues,
  newerThanStored,
} from '../../../db/queries/json-records';
import { categories, products } from '../../../db/schema';
import { clearListingCache } from '../../catalog-view';
import { pricingChanged } from '../../pricing/invalidation';
import type { ImportKindSpec, ImportRecord } from '../kind-spec';
import { BatchPlan } from './batch-plan';
import { type CategoryLevel, categoryOf } from './category-path';
import { cellsOf } from './cells';
import { newestPerKey, notApplied, type StoredVersion, sameJson, Tally } from './versioned';

type Attributes = Record<string, string | number | boolean>;

export interface ProductImportRow {
  sku: string;
  name: string;
  description: string;
  family: string;
  categoryPath: string;
  /** the path's levels with the names to give the ones that do not exist yet */
  categoryLevels: CategoryLevel[];
  brand: string;
  attributes: Attributes;
  unitOfMeasure: string;
  packSize: number;
  minOrderQty: number;
  orderMultiple: number;
  status: 'active' | 'obsolete';
  replacementSku: string | null;
  unspsc: string | null;
  manufacturerPartNumber: string | null;
  taxClass: string;
  version: number;
}

const REQUIRED = ['sku', 'name', 'family', 'category', 'brand', 'unitOfMeasure', 'version'] as const;
const OPTIONAL = [
  'description',
  'attributes',
  'packSize',
  'minOrderQty',
  'orderMultiple',
  'status',
  'replacementSku',
  'unspsc',
  'manufacturerPartNumber',
  'taxClass',
] as const;
const MAX_ATTRIBUTES = 50;
const COUNT = { min: 1, max: 1_000_000, fallback: 1 };

/** `attributes`: a JSON object (text in a CSV cell) of text, number or true/false values. */
function attributesOf(value: unknown): Attributes | string {
  let parsed = value;
  if (typeof value === 'string') {
    if (value.length > 20_000) return 'at most 20,000 characters';
    try {
      parsed = JSON.parse(value);
    } catch {
      return 'must be a JSON object, e.g. {"material":"A2 stainless","lengthMm":40}';
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return 'must be a JSON object, e.g. {"material":"A2 stainless","lengthMm":40}';
  const entries = Object.entries(parsed);
  if (entries.length > MAX_ATTRIBUTES) return `at most ${MAX_ATTRIBUTES} attributes`;
  for (const [key, v] of entries) {
    if (key.length === 0 || key.length > 64) return 'attribute names have 1 to 64 characters';
    const ok =
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isFinite(v)) ||
      (typeof v === 'string' && v.length <= 200);
    if (!ok) return `attribute ${key}: text of at most 200 characters, a number or true/false`;
  }
  return parsed as Attributes;
}

export function parseProduct(record: ImportRecord) {
  const c = cellsOf(record);
  const sku = c.requiredText('sku', { max: 64 });
  const name = c.requiredText('name', { max: 200 });
  const description = c.optionalText('description', { max: 5_000, multiline: true }) ?? '';
  const family = c.requiredText('family', { max: 200 });
  const category = categoryOf(c.requiredText('category', { max: 300 }));
  if (typeof category === 'string') c.fail('category', category);
  const brand = c.requiredText('brand', { max: 100 });
  const rawAttributes = c.value('attributes');
  const attributes = rawAttributes === undefined ? {} : attributesOf(rawAttributes);
  if (typeof attributes === 'string') c.fail('attributes', attributes);
  const unitOfMeasure = c.requiredText('unitOfMeasure', { max: 20 });
  const packSize = c.integer('packSize', COUNT);
  const minOrderQty = c.integer('minOrderQty', COUNT);
  const orderMultiple = c.integer('orderMultiple', COUNT);
  const status = c.choice('status', ['active', 'obsolete'] as const, 'active');
  const replacementSku = c.optionalText('replacementSku', { max: 64 });
  if (replacementSku !== null && replacementSku === sku) c.fail('replacementSku', 'must be another SKU');
  const unspsc = c.optionalText('unspsc', { max: 10 });
  if (unspsc !== null && !/^\d{8}(\d{2})?$/.test(unspsc)) c.fail('unspsc', 'must be 8 (or 10) digits');
  const manufacturerPartNumber = c.optionalText('manufacturerPartNumber', { max: 100 });
  const taxClass = c.optionalText('taxClass', { max: 40 }) ?? 'standard';
  const version = c.version();
  return c.result<ProductImportRow>(() => ({
    sku,
    name,
    description,
    family,
    categoryPath: typeof category === 'string' ? '' : category.path,
    categoryLevels: typeof category === 'string' ? [] : category.levels,
    brand,
    attributes: typeof attributes === 'string' ? {} : attributes,
    unitOfMeasure,
    packSize,
    minOrderQty,
    orderMultiple,
    status,
    replacementSku,
    unspsc,
    manufacturerPartNumber,
    taxClass,
    version,
  }));
}

type StoredProduct = typeof products.$inferSelect;
const CONTENT = [
  'name',
  'description',
  'family',
  'categoryPath',
  'brand',
  'attributes',
  'unitOfMeasure',
  'packSize',
  'minOrderQty',
  'orderMultiple',
  'status',
  'replacementSku',
  'unspsc',
  'manufacturerPartNumber',
  'taxClass',
] as const;
/** What the price index reads of a product (docs/pricing.md): a change here rebuilds every index. */
const PRICED = ['family', 'categoryPath', 'brand', 'status', 'replacementSku'] as const;

const sameProduct = (stored: StoredProduct, row: ProductImportRow) =>
  CONTENT.every((k) => sameJson(stored[k], row[k]));

export const productsSpec: ImportKindSpec<ProductImportRow> = {
  kind: 'products',
  requiredColumns: REQUIRED,
  knownColumns: [...REQUIRED, ...OPTIONAL],
  parse: parseProduct,
  keyOf: (row) => row.sku,
  versionOf: (row) => row.version,
  async apply(deps, rows, at) {
    const { db } = deps;
    const { winners, losers } = newestPerKey(
      rows,
      (r) => r.sku,
      (r) => r.version,
    );
    const tally = new Tally(losers);
    if (winners.length === 0) return tally.done();
    const levels = new Map(winners.flatMap((w) => w.row.categoryLevels.map((l) => [l.path, l])));
    const records = winners.map(({ row: { categoryLevels: _l, version, ...row } }) => ({
      ...row,
      attributes: JSON.stringify(row.attributes),
      erpVersion: version,
      updatedAt: at,
    }));
    const skus = winners.map((w) => w.row.sku);
    // a category is created only for a product this chunk writes: an older row cannot leave one behind
    const written = sql`EXISTS (SELECT 1 FROM products p WHERE p.updated_at = ${at} AND (p.category_path = ${field('path')}
      OR (p.category_path > ${field('path')} || '/' AND p.category_path < ${field('path')} || '0')))`;
    const done = await new BatchPlan()
      .add('before', [
        db
          .select()
          .from(products)
          .where(inArray(products.sku, jsonValues(skus))),
      ])
      .add(
        'products',
        chunks(records, JSON_ROWS_PER_STATEMENT).map((part) =>
          db
            .insert(products)
            .select(jsonRecords(products, part))
            .onConflictDoUpdate({
              target: products.sku,
              set: fromExcluded(products, [...CONTENT, 'erpVersion', 'updatedAt']),
              setWhere: newerThanStored(products.erpVersion),
            })
            .returning({ sku: products.sku }),
        ),
      )
      .add('categories', [
        db
          .insert(categories)
          .select(jsonRecords(categories, [...levels.values()], {}, written))
          .onConflictDoNothing(),
      ])
      .run(db);
    const before = done.rows<StoredProduct>('before');
    const stored = new Map(before.map((p) => [p.sku, p]));
    const applied = new Set(done.rows<{ sku: string }>('products').map((p) => p.sku));
    let priced = false;
    for (const { rowNo, row } of winners) {
      const was = stored.get(row.sku);
      if (applied.has(row.sku)) {
        tally.add(rowNo, 'applied');
        priced ||= !was || PRICED.some((k) => was[k] !== row[k]);
        continue;
      }
      const version: StoredVersion | undefined = was && {
        version: was.erpVersion,
        same: sameProduct(was, row),
      };
      tally.add(rowNo, notApplied(row.version, version));
    }
    if (applied.size > 0) clearListingCache();
    if (priced) await pricingChanged(deps.pricing, [{ kind: 'catalog' }], 'ERP products import', at);
    return tally.done();
  },
};

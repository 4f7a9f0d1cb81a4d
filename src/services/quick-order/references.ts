import type { Database } from '../../db/client';
import { partNumbersOf } from '../../db/queries/part-numbers';
import { catalogReferences, catalogStamp } from '../../db/queries/quick-order';
import type { Target } from '../../domain/quick-order/outcomes';
import { normaliseReference, ReferenceIndex } from '../../domain/quick-order/references';

/**
 * The references a typed line may name, kept per isolate so that resolving a paste never scans the catalog:
 * - the catalog's: every SKU and manufacturer part number in one `ReferenceIndex` (supplier-wide: what a
 *   customer may see is checked against its price index afterwards, so one copy serves every company),
 *   reloaded when the catalog's stamp (count, latest edit) changes, checked at most every 30 s;
 * - each company's own part numbers, kept 10 s and dropped by this isolate when the company edits them.
 */
export const CATALOG_CHECK_MS = 30_000;
export const PART_NUMBERS_CACHE_MS = 10_000;
const MAX_CACHED_COMPANIES = 200;

export interface CatalogReferences {
  index: ReferenceIndex;
  /** the SKU exactly as typed, whatever its case */
  skuOf(reference: string): string | undefined;
}

let catalog: { refs: CatalogReferences; stamp: string; checkedAt: number } | null = null;
let loading: Promise<CatalogReferences> | null = null;

async function load(db: Database, stamp: string, now: number): Promise<CatalogReferences> {
  const rows = await catalogReferences(db);
  const records = function* () {
    for (const r of rows) {
      yield { sku: r.sku, kind: 'sku' as const, text: r.sku };
      if (r.manufacturerPartNumber)
        yield { sku: r.sku, kind: 'manufacturer_part_number' as const, text: r.manufacturerPartNumber };
    }
  };
  const index = new ReferenceIndex(records());
  const refs = { index, skuOf: (ref: string) => index.skuOf(ref) };
  catalog = { refs, stamp, checkedAt: now };
  return refs;
}

export async function catalogReferencesFor(db: Database, now: number): Promise<CatalogReferences> {
  if (catalog && now >= catalog.checkedAt && now - catalog.checkedAt < CATALOG_CHECK_MS) return catalog.refs;
  if (loading) return loading;
  loading = (async () => {
    const stamp = await catalogStamp(db);
    if (catalog && catalog.stamp === stamp) {
      catalog.checkedAt = now;
      return catalog.refs;
    }
    return load(db, stamp, now);
  })().finally(() => {
    loading = null;
  });
  return loading;
}

export const clearReferenceCaches = () => {
  catalog = null;
  companies.clear();
};

interface CompanyParts {
  index: ReferenceIndex;
  byKey: Map<
    string,
    { partNumber: string; sku: string; packQuantity: number; preferredQuantity: number | null }
  >;
  at: number;
}
const companies = new Map<string, CompanyParts>();

/** This isolate forgets a company's part numbers (after it changed them). */
export const forgetPartNumbers = (companyId: string) => companies.delete(companyId);

export async function companyPartsFor(db: Database, companyId: string, now: number): Promise<CompanyParts> {
  const hit = companies.get(companyId);
  if (hit && now >= hit.at && now - hit.at < PART_NUMBERS_CACHE_MS) return hit;
  const rows = await partNumbersOf(db, companyId);
  const parts: CompanyParts = {
    index: new ReferenceIndex(
      rows.map((r) => ({ sku: r.sku, kind: 'company_part_number' as const, text: r.partNumber })),
    ),
    byKey: new Map(rows.map((r) => [r.partKey, r])),
    at: now,
  };
  if (companies.size >= MAX_CACHED_COMPANIES) companies.clear();
  companies.set(companyId, parts);
  return parts;
}

/**
 * What a typed reference names for a company: its SKU (exactly, any case), else the company's own part
 * number (normalised: case, spaces, dashes, dots, leading zeros). The lookup quick order, lists, search and
 * punch-out share; null when it names neither (then close matches are the next step).
 */
export function targetOf(refs: CatalogReferences, parts: CompanyParts, reference: string): Target | null {
  const sku = refs.skuOf(reference);
  if (sku) return { sku, via: 'sku', partNumber: null, pack: 1, preferred: null };
  const part = parts.byKey.get(normaliseReference(reference));
  return part
    ? {
        sku: part.sku,
        via: 'company_part_number',
        partNumber: part.partNumber,
        pack: part.packQuantity,
        preferred: part.preferredQuantity,
      }
    : null;
}

/** `targetOf` for one reference, loading what it needs (for callers outside quick order: search, punch-out). */
export async function resolveCompanyReference(
  db: Database,
  companyId: string,
  reference: string,
  now: number,
) {
  const [refs, parts] = await Promise.all([
    catalogReferencesFor(db, now),
    companyPartsFor(db, companyId, now),
  ]);
  return targetOf(refs, parts, reference);
}

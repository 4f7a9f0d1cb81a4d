import { getProductsBySku, type ProductRow } from '../../db/queries/catalog';
import { currencyExponent } from '../../domain/money';
import type { CatalogEntry } from '../../domain/pricing/evaluate';
import { lineAt } from '../../domain/pricing/evaluate';
import { ociProductFacts } from '../../domain/punchout/oci-field-map';
import { unCefactUnit } from '../../domain/punchout/units';
import { customerProductPage, customerViewOf } from '../catalog-view';
import type { PricingDeps } from '../pricing/deps';
import { customerEntries } from '../pricing/entries';
import type { TransferLine } from './transfer-lines';

/**
 * Items OCI asks for without a shopping session (FUNCTION=VALIDATE, BACKGROUND_SEARCH), priced for the
 * partner's company exactly as `POST /v1/prices` prices them. A product the company cannot see, cannot
 * order or has no price for is left out: OCI reads a missing item as "not available".
 */
export const BACKGROUND_SEARCH_LIMIT = 20;

function itemOf(product: ProductRow, entry: CatalogEntry, quantity: number, currency: string) {
  const line = lineAt(entry, quantity);
  if (!line.visible || !line.orderable || !line.price) return null;
  const item: TransferLine = {
    // no cart line yet: the SKU identifies the item, as other OCI catalogs do
    lineId: product.sku,
    sku: product.sku,
    quantity,
    unitPriceMinor: line.price.unitMinor,
    currency,
    currencyDigits: currencyExponent(currency),
    name: product.name,
    description: product.description,
    unit: unCefactUnit(product.unitOfMeasure),
    unspsc: product.unspsc,
    manufacturerPartId: product.manufacturerPartNumber,
    manufacturerName: product.brand,
    leadTimeDays: line.leadTimeDays,
    facts: ociProductFacts(product),
  };
  return item;
}

/** FUNCTION=VALIDATE: the one product at the quantity asked (its tier price), or nothing. */
export async function validatedItem(
  deps: PricingDeps,
  companyId: string,
  sku: string,
  quantity: number,
  now: number,
): Promise<TransferLine[]> {
  const view = await customerViewOf(deps, companyId, now);
  const [[product], found] = await Promise.all([
    getProductsBySku(deps.db, [sku]),
    customerEntries(deps, view.fingerprint, [sku], now),
  ]);
  const entry = found.entries.get(sku);
  const item = product && entry ? itemOf(product, entry, quantity, found.currency) : null;
  return item ? [item] : [];
}

/** FUNCTION=BACKGROUND_SEARCH: the first matches of the catalog search, each at its smallest quantity. */
export async function searchedItems(
  deps: PricingDeps,
  companyId: string,
  searchString: string,
  now: number,
): Promise<TransferLine[]> {
  const view = await customerViewOf(deps, companyId, now);
  const page = await customerProductPage(
    deps,
    view,
    { q: searchString, status: 'active', sort: 'sku' },
    BACKGROUND_SEARCH_LIMIT,
    now,
  );
  return page.items.flatMap(({ product, entry }) => {
    const item = itemOf(product, entry, Math.max(1, product.minOrderQty), page.currency);
    return item ? [item] : [];
  });
}

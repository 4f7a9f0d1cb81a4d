import type { SearchDoc } from '../src/domain/search/types';
import { catalogShape, planProducts } from './demo-catalog';
import { DEFAULT_SEED, mulberry32 } from './demo-data';
import { companyPartNumberRows } from './demo-part-numbers';
import { productRows, type Row } from './demo-products';
import { productNameRows } from './demo-translations';

/**
 * The demo catalog as the search index sees it, without a database: the same generator and random stream
 * as the seed (generateDemoSql), so a SKU here is the SKU `npm run seed -- --products N` writes. The
 * relevance set and the search benchmark run on it.
 */
export function demoSearchDocs(options: { products: number; seed?: number }): SearchDoc[] {
  return demoSearchCatalog(options).docs;
}

/** The documents and Acme's own part numbers (as the seed writes them in `company_part_numbers`). */
export function demoSearchCatalog(options: { products: number; seed?: number }): {
  docs: SearchDoc[];
  acmePartNumbers: { partNumber: string; sku: string }[];
} {
  const rnd = mulberry32(options.seed ?? DEFAULT_SEED);
  const { categories } = catalogShape();
  const { products, stock } = productRows(planProducts(options.products, rnd), rnd);
  const categoryName = new Map(categories.map((c) => [c.path, c.name]));
  const onHand = new Map<string, number>();
  for (const s of stock) onHand.set(String(s.sku), (onHand.get(String(s.sku)) ?? 0) + Number(s.on_hand));
  const translations = new Map<string, SearchDoc['translations']>();
  for (const t of productNameRows(products)) {
    const list = translations.get(String(t.sku)) ?? [];
    list.push({ locale: String(t.locale), name: String(t.name), description: String(t.description ?? '') });
    translations.set(String(t.sku), list);
  }
  const acmePartNumbers = companyPartNumberRows(products).map((r) => ({
    partNumber: String(r.part_number),
    sku: String(r.sku),
  }));
  const docs = products.map((p: Row): SearchDoc => {
    const sku = String(p.sku);
    const path = String(p.category_path);
    const segments = path.split('/');
    return {
      sku,
      name: String(p.name),
      description: String(p.description),
      translations: translations.get(sku) ?? [],
      brand: String(p.brand),
      family: String(p.family),
      categoryPath: path,
      categoryNames: segments.map((_, i) => categoryName.get(segments.slice(0, i + 1).join('/')) ?? ''),
      attributes: JSON.parse(String(p.attributes)) as SearchDoc['attributes'],
      manufacturerPartNumber: p.manufacturer_part_number == null ? null : String(p.manufacturer_part_number),
      status: p.status === 'obsolete' ? 'obsolete' : 'active',
      inStock: (onHand.get(sku) ?? 0) > 0,
    };
  });
  return { docs, acmePartNumbers };
}

import type { Row } from './demo-products';

/**
 * Product names in French and German (`product_names` rows) for the demo catalog's products, so buyers
 * can search in their language.
 */
export function productNameRows(_products: Row[]): Row[] {
  return [];
}

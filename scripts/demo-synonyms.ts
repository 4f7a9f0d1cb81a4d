import type { Row } from './demo-products';

/** The supplier's catalog-wide search synonyms and a demo company's own (`search_synonyms` rows). */
export function synonymRows(): Row[] {
  return [];
}

import type { Database } from '../db/client';
import { salesRepContact } from '../db/queries/companies';
import { orderingRulesOf } from '../db/queries/price-lines';
import type { FieldIssue } from '../domain/errors';
import type { CatalogEntry } from '../domain/pricing/evaluate';

/**
 * A product outside a customer's assortment does not exist for them (catalog, counts, search,
 * suggestions), except when they typed its exact reference: then they are told it is not in their
 * assortment and whom to ask, as buyers expect of their supplier.
 */
export async function unavailableLines(
  db: Database,
  companyId: string,
  lines: readonly { sku: string }[],
  entries: ReadonlyMap<string, CatalogEntry | null>,
): Promise<FieldIssue[]> {
  const missing = [...new Set(lines.filter((l) => !entries.get(l.sku)).map((l) => l.sku))];
  if (missing.length === 0) return [];
  const existing = await orderingRulesOf(db, missing);
  const rep = existing.size > 0 ? await salesRepContact(db, companyId) : null;
  const ask = rep ? `; ask your sales rep ${rep.name} (${rep.email})` : '; ask your sales rep';
  return lines.flatMap((l, i) => {
    if (entries.get(l.sku)) return [];
    const message = existing.has(l.sku)
      ? `"${l.sku}" is not in your assortment${ask}`
      : `no product "${l.sku}"`;
    return [{ path: `lines.${i}.sku`, message }];
  });
}

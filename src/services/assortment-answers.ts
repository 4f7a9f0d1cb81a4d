import type { Database } from '../db/client';
import { type SalesRepContact, salesRepContact } from '../db/queries/companies';
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

export interface UnseenLine {
  code: 'unknown_sku' | 'not_available';
  message: string;
  /** `not_available`: whom to ask (null when no rep is assigned) */
  salesRep?: SalesRepContact | null;
}

/** The lines naming a product the customer cannot see, by index: unknown, or outside its assortment. */
export async function unseenLines(
  db: Database,
  companyId: string,
  lines: readonly { sku: string }[],
  entries: ReadonlyMap<string, CatalogEntry | null>,
): Promise<Map<number, UnseenLine>> {
  const missing = [...new Set(lines.filter((l) => !entries.get(l.sku)).map((l) => l.sku))];
  const out = new Map<number, UnseenLine>();
  if (missing.length === 0) return out;
  const existing = await orderingRulesOf(db, missing);
  const salesRep = existing.size > 0 ? await salesRepContact(db, companyId) : null;
  for (const [index, l] of lines.entries()) {
    if (entries.get(l.sku)) continue;
    out.set(
      index,
      existing.has(l.sku)
        ? { code: 'not_available', message: `"${l.sku}" is not in your assortment`, salesRep }
        : { code: 'unknown_sku', message: `no product "${l.sku}"` },
    );
  }
  return out;
}

import { batchRead } from '../../db/queries/bulk';
import { salesRepContact } from '../../db/queries/companies';
import { lineFactsFrom, lineFactsQueries } from '../../db/queries/quick-order';
import type { CatalogEntry } from '../../domain/pricing/evaluate';
import {
  decideLines,
  type IdentifiedLine,
  type ProductFacts,
  type ResolvedLine,
  summaryOf,
} from '../../domain/quick-order/outcomes';
import type { TypedQuantity } from '../../domain/quick-order/quantity';
import type { Candidate } from '../../domain/quick-order/references';
import { customerViewOf } from '../catalog-view';
import type { PricingDeps } from '../pricing/deps';
import { customerEntries } from '../pricing/entries';
import { catalogReferencesFor, companyPartsFor, targetOf } from './references';

/** A line to resolve: from a paste or file, a list item, an order line, or a line sent to add to a cart. */
export interface LineRequest {
  line: number;
  text: string;
  reference: string;
  quantity: TypedQuantity;
  note: string | null;
}

export const MAX_RESOLVE_LINES = 1_000;
const CANDIDATES_PER_LINE = 12;
const MATCHES_SHOWN = 3;

/**
 * Resolves lines for a company: what each reference names (its SKU, or its own part number), whether the
 * company sees and may order it, at which quantity, at which price now, with what stock; close matches for
 * the rest, among the products it can see only. Reads: the company's index entries (one lookup, a second one
 * only for replacements of obsolete items), then names, ordering rules and stock in one batch.
 */
export async function resolveLines(
  deps: PricingDeps,
  companyId: string,
  lines: readonly LineRequest[],
  now: number,
) {
  const view = await customerViewOf(deps, companyId, now);
  const [refs, parts] = await Promise.all([
    catalogReferencesFor(deps.db, now),
    companyPartsFor(deps.db, companyId, now),
  ]);
  const identified: IdentifiedLine[] = lines.map((l) => ({
    line: l.line,
    text: l.text,
    reference: l.reference,
    note: l.note,
    typed: l.quantity,
    target: l.reference ? targetOf(refs, parts, l.reference) : null,
  }));
  const candidates = new Map<number, Candidate[]>();
  for (const [i, l] of identified.entries()) {
    if (l.target || !l.reference) continue;
    const found = [
      ...refs.index.candidates(l.reference, CANDIDATES_PER_LINE),
      ...parts.index.candidates(l.reference, 6),
    ];
    candidates.set(i, found.sort((a, b) => a.distance - b.distance).slice(0, CANDIDATES_PER_LINE));
  }
  const targets = identified.flatMap((l) => (l.target ? [l.target.sku] : []));
  const suggested = [...candidates.values()].flatMap((list) => list.map((c) => c.sku));
  const first = await customerEntries(deps, view.fingerprint, [...new Set([...targets, ...suggested])], now, {
    source: view.source,
  });
  const entries = new Map(first.entries);
  const replacements = [...entries.values()].flatMap((e) =>
    e?.replacementSku && !entries.has(e.replacementSku) ? [e.replacementSku] : [],
  );
  if (replacements.length > 0) {
    const more = await customerEntries(deps, view.fingerprint, replacements, now, { source: view.source });
    for (const [sku, entry] of more.entries) entries.set(sku, entry);
  }
  const seen = (sku: string): CatalogEntry | null | undefined =>
    refs.skuOf(sku) === undefined ? undefined : (entries.get(sku) ?? null);
  const visibleMatches = new Map<number, Candidate[]>();
  for (const [i, list] of candidates)
    visibleMatches.set(i, list.filter((c) => seen(c.sku)).slice(0, MATCHES_SHOWN));
  const needFacts = [
    ...new Set([
      ...targets.filter((s) => seen(s)),
      ...replacements,
      ...[...visibleMatches.values()].flatMap((list) => list.map((c) => c.sku)),
    ]),
  ];
  const anyHidden = identified.some((l) => l.target && seen(l.target.sku) === null);
  const anyBlocked = identified.some((l) => l.target && seen(l.target.sku)?.reason === 'not_orderable');
  const [rows, salesRep] = await Promise.all([
    needFacts.length > 0 ? batchRead(deps.db, lineFactsQueries(deps.db, needFacts)) : null,
    anyHidden || anyBlocked ? salesRepContact(deps.db, companyId) : null,
  ]);
  const facts: Map<string, ProductFacts> = rows ? lineFactsFrom(rows) : new Map();
  const position = new Map(identified.map((l, i) => [l, i]));
  const decided: ResolvedLine[] = decideLines(identified, {
    currency: first.currency,
    entry: seen,
    product: (sku) => facts.get(sku),
    closeMatches: (line) =>
      (visibleMatches.get(position.get(line) ?? -1) ?? []).map((c) => ({
        sku: c.sku,
        matchedBy: c.matchedBy,
        matched: c.matched,
      })),
    salesRep,
  });
  return {
    currency: first.currency,
    priceSource: first.source,
    priceGeneration: first.generation,
    summary: summaryOf(decided),
    lines: decided,
  };
}

export type Resolution = Awaited<ReturnType<typeof resolveLines>>;

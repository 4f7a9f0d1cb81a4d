import type { CatalogEntry } from '../pricing/evaluate';
import { lineAt } from '../pricing/evaluate';
import { lineTotal } from '../pricing/quantities';
import type { IdentifiedLine, LinePrice, Lookups, ProductFacts, ResolvedLine, Target } from './outcome-types';
import { describeRules, orderableUnits, type Units, unitsOf, wholeUnits } from './quantities';

/**
 * What becomes of each line of a quick order, a list or a reorder: exactly one outcome, decided from what
 * was read beforehand (pure). Docs: docs/quick-order.md.
 */
export {
  type IdentifiedLine,
  type Lookups,
  OUTCOMES,
  type Outcome,
  type ProductFacts,
  type ResolvedLine,
  type Summary,
  summaryOf,
  type Target,
} from './outcome-types';

const joinNote = (a: string | null, b: string | null) =>
  !b || a === b ? a : a ? `${a} / ${b}`.slice(0, 500) : b;

function priceOf(entry: CatalogEntry, quantity: number, currency: string): LinePrice | null {
  const priced = lineAt(entry, quantity);
  const p = priced.visible ? priced.price : null;
  return p
    ? {
        currency,
        unitMinor: p.unitMinor,
        listMinor: p.listMinor,
        lineTotalMinor: lineTotal(p.unitMinor, quantity),
        ruleId: p.ruleId,
        tierMinQuantity: p.tierMinQuantity,
      }
    : null;
}

const stockOf = (product: ProductFacts | undefined, quantity: number) =>
  product && product.onHand < quantity
    ? { availableQuantity: Math.max(0, product.onHand), nextAvailabilityDate: product.nextAvailabilityDate }
    : null;

/** A visible product at the units asked: replaced, not orderable, adjusted, short of stock, or ok. */
function decideVisible(
  base: ResolvedLine,
  target: Target,
  asked: Units,
  entry: CatalogEntry,
  look: Lookups,
): ResolvedLine {
  const product = look.product(target.sku);
  const named = {
    ...base,
    sku: target.sku,
    name: product?.name ?? target.sku,
    matchedBy: target.via,
    partNumber: target.partNumber,
  };
  const rules = product ?? { minOrderQty: 1, orderMultiple: 1 };
  const fitted = orderableUnits(asked, rules);
  const replacementEntry = entry.replacementSku ? look.entry(entry.replacementSku) : undefined;
  if (entry.reason === 'obsolete' && entry.replacementSku && replacementEntry?.orderable) {
    const replacementProduct = look.product(entry.replacementSku);
    const moved = orderableUnits(asked, replacementProduct ?? { minOrderQty: 1, orderMultiple: 1 });
    return {
      ...named,
      outcome: 'replaced',
      quantity: asked.units,
      message: `${target.sku} is no longer sold; ${entry.replacementSku} replaces it`,
      replacement: {
        sku: entry.replacementSku,
        name: replacementProduct?.name ?? entry.replacementSku,
        quantity: moved.quantity,
        rules: moved.rules,
        price: priceOf(replacementEntry, moved.quantity, look.currency),
      },
      ...(stockOf(replacementProduct, moved.quantity) ?? {}),
    };
  }
  if (!entry.orderable) {
    const why = entry.reason ?? 'not_orderable';
    const message =
      why === 'obsolete'
        ? `${target.sku} is no longer sold`
        : why === 'no_price'
          ? `${target.sku} has no price for you; ask your sales rep`
          : `${target.sku} cannot be ordered in your assortment`;
    return { ...named, outcome: 'not_orderable', reason: why, message, salesRep: look.salesRep };
  }
  if (fitted.tooLarge)
    return {
      ...named,
      outcome: 'not_orderable',
      reason: 'quantity_too_large',
      message: `${fitted.quantity} is more than a line may hold`,
    };
  const priced = {
    ...named,
    quantity: fitted.quantity,
    price: priceOf(entry, fitted.quantity, look.currency),
    leadTimeDays: entry.leadTimeDays,
    ...(stockOf(product, fitted.quantity) ?? {}),
  };
  if (fitted.rules.length > 0)
    return {
      ...priced,
      outcome: 'adjusted',
      rules: fitted.rules,
      message: describeRules(base.requestedQuantity ?? asked.units, fitted.quantity, fitted.rules),
    };
  return { ...priced, outcome: priced.availableQuantity === undefined ? 'ok' : 'short_stock' };
}

/** Decides every line, in input order; duplicates of a product merge into its first line. */
export function decideLines(lines: readonly IdentifiedLine[], look: Lookups): ResolvedLine[] {
  const firstOf = new Map<string, number>();
  const asked = new Map<number, Units>();
  const notes = new Map<number, string | null>();
  const mergedInto = new Map<number, number>();
  for (const [i, l] of lines.entries()) {
    if (!l.target || l.typed.kind === 'invalid' || !look.entry(l.target.sku)) continue;
    const units = unitsOf(l.typed.kind === 'value' ? l.typed.value : null, l.target);
    const first = firstOf.get(l.target.sku);
    if (first === undefined) {
      firstOf.set(l.target.sku, i);
      asked.set(i, units);
      notes.set(i, l.note);
      continue;
    }
    const sum = asked.get(first) ?? { units: 0, rules: [] };
    // fractions add up before rounding: two half units are one unit
    asked.set(first, { units: sum.units + units.units, rules: [...new Set([...sum.rules, ...units.rules])] });
    notes.set(first, joinNote(notes.get(first) ?? null, l.note));
    mergedInto.set(i, lines[first]?.line ?? 0);
  }
  return lines.map((l, i): ResolvedLine => {
    const requestedQuantity = l.typed.kind === 'value' ? l.typed.value : null;
    const base: ResolvedLine = {
      line: l.line,
      text: l.text,
      reference: l.reference,
      note: notes.get(i) ?? l.note,
      requestedQuantity,
      outcome: 'ok',
    };
    const into = mergedInto.get(i);
    if (into !== undefined && l.target)
      return {
        ...base,
        outcome: 'merged',
        sku: l.target.sku,
        mergedInto: into,
        message: `added to line ${into}`,
      };
    if (!l.target || look.entry(l.target.sku) === undefined) {
      const matches = l.reference
        ? look.closeMatches(l).map((m) => ({ ...m, name: look.product(m.sku)?.name ?? m.sku }))
        : [];
      const message = l.reference ? `no product "${l.reference}"` : 'this line names no product';
      return { ...base, outcome: 'unknown', message, closeMatches: matches };
    }
    const entry = look.entry(l.target.sku);
    if (!entry)
      return {
        ...base,
        outcome: 'not_available',
        sku: l.target.sku,
        reason: 'not_in_assortment',
        message: `${l.target.sku} is not in your assortment; ask your sales rep`,
        salesRep: look.salesRep,
      };
    if (l.typed.kind === 'invalid')
      return {
        ...base,
        outcome: 'not_orderable',
        sku: l.target.sku,
        reason: l.typed.reason,
        message: l.typed.message,
      };
    const units = asked.get(i) ?? unitsOf(requestedQuantity, l.target);
    return decideVisible(base, l.target, wholeUnits(units), entry, look);
  });
}

import { type CartOrigin, recordCartActivity } from '../../db/queries/kpi-activity';
import { dayOf } from '../../domain/kpi-periods';
import type { ResolvedLine } from '../../domain/quick-order/outcomes';
import type { NewCartLine } from '../../durable/cart-model';
import type { CompanyObject } from '../../durable/client';
import { unwrap } from '../../durable/result';
import type { Actor } from '../audit';
import { auditInsert } from '../audit';
import type { PricingDeps } from '../pricing/deps';
import { type LineRequest, resolveLines } from './resolve';

export interface AddRequest {
  deps: PricingDeps;
  object: CompanyObject;
  companyId: string;
  actor: Actor;
  cartId: string;
  expected: number | undefined;
  lines: readonly LineRequest[];
  /** add the replacement of an obsolete item (lists and reorders: what the buyer asked for before) */
  acceptReplacements: boolean;
  /** for the audit trail: "quick order", "list lst_…", "order ord_…" */
  source: string;
  /** which way the lines came, recorded for the adoption KPIs (docs/kpis.md) */
  origin: CartOrigin;
}

/** What is added of a resolved line: ok, adjusted (at the nearest valid quantity), short stock; replaced on request. */
function lineToAdd(line: ResolvedLine, acceptReplacements: boolean): NewCartLine | null {
  if ((line.outcome === 'ok' || line.outcome === 'adjusted' || line.outcome === 'short_stock') && line.sku)
    return { sku: line.sku, quantity: line.quantity ?? 1, note: line.note };
  if (line.outcome === 'replaced' && acceptReplacements && line.replacement)
    return { sku: line.replacement.sku, quantity: line.replacement.quantity, note: line.note };
  return null;
}

/**
 * Resolves the lines for the company now (same outcomes as quick order) and adds what can be added to the
 * cart in ONE call to the company's object, which adds what fits and says what not. Each line says whether
 * it was added; nothing else is added, and a line that could not be is never half added.
 */
export async function addResolvedLines(r: AddRequest) {
  const now = r.actor.now;
  const resolution = await resolveLines(r.deps, r.companyId, r.lines, now);
  const picks = resolution.lines.flatMap((line, at) => {
    const add = lineToAdd(line, r.acceptReplacements);
    return add ? [{ at, add }] : [];
  });
  const result = unwrap(
    await r.object.addCartLinesPartially(
      r.actor.principal.id,
      r.cartId,
      r.expected,
      picks.map((p) => p.add),
      now,
    ),
  );
  const refused = new Map(result.refused.map((x) => [picks[x.index]?.at ?? -1, x.message]));
  const added = new Set(picks.map((p) => p.at).filter((at) => !refused.has(at)));
  const addedLine = new Set(resolution.lines.filter((_, at) => added.has(at)).map((l) => l.line));
  // a merged line went in with the line it was merged into
  const lines = resolution.lines.map((line, at) => ({
    ...line,
    added: added.has(at) || (line.mergedInto !== undefined && addedLine.has(line.mergedInto)),
    ...(refused.has(at) ? { refusal: refused.get(at) } : {}),
  }));
  if (added.size > 0) {
    await r.deps.db.batch([
      auditInsert(r.deps.db, r.actor, {
        companyId: r.companyId,
        action: 'cart.add_lines',
        targetType: 'cart',
        targetId: result.cart.id,
        summary: `Added ${added.size} line(s) from ${r.source}`,
      }),
      recordCartActivity(r.deps.db, {
        companyId: r.companyId,
        day: dayOf(now),
        userId: r.actor.principal.id,
        origin: r.origin,
      }),
    ]);
  }
  return {
    currency: resolution.currency,
    summary: { ...resolution.summary, added: added.size },
    lines,
    cart: result.cart,
  };
}
export type { CartOrigin };

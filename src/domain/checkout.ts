import type { PricedCartLine } from './carts';
import { isBlocking } from './carts';
import type { FieldIssue } from './errors';
import type { CostCenterRule } from './order-terms';

/** What the buyer sends at checkout; everything is optional and defaults from their last order or the company. */
export interface CheckoutInput {
  shipToSiteId?: string;
  costCenterId?: string | null;
  poNumber?: string;
  reference?: string;
  deliveryMode?: 'standard' | 'express' | 'pickup';
  requestedDeliveryDate?: string;
  instructions?: string;
}

export interface CheckoutContext {
  siteIds: ReadonlySet<string>;
  defaultShipTo: string | null;
  costCenterIds: ReadonlySet<string>;
  last: { shipToSiteId: string; costCenterId: string | null } | null;
  /** today in the company's calendar, YYYY-MM-DD */
  today: string;
  /** why this order must name a cost center, or null when it need not (see `costCenterRequirement`) */
  costCenterRequired: 'always' | 'budgeted' | null;
}

/** The company's rule applied now: `when_budgeted` asks for a cost center while any budget is active. */
export function costCenterRequirement(
  rule: CostCenterRule,
  activeBudgets: number,
): CheckoutContext['costCenterRequired'] {
  if (rule === 'always') return 'always';
  return rule === 'when_budgeted' && activeBudgets > 0 ? 'budgeted' : null;
}

export interface ResolvedCheckout {
  shipToSiteId: string;
  costCenterId: string | null;
  poNumber: string | null;
  reference: string | null;
  deliveryMode: 'standard' | 'express' | 'pickup';
  requestedDeliveryDate: string | null;
  instructions: string | null;
}

/**
 * Fills the defaults (the user's last order, then the company's default ship-to) and checks every reference:
 * all problems at once, each with its field path.
 */
export function resolveCheckout(
  input: CheckoutInput,
  context: CheckoutContext,
): { ok: true; value: ResolvedCheckout } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const lastSite =
    context.last && context.siteIds.has(context.last.shipToSiteId) ? context.last.shipToSiteId : null;
  const shipToSiteId = input.shipToSiteId ?? lastSite ?? context.defaultShipTo;
  if (!shipToSiteId)
    issues.push({ path: 'shipToSiteId', message: 'the company has no default ship-to address; name one' });
  else if (!context.siteIds.has(shipToSiteId))
    issues.push({ path: 'shipToSiteId', message: 'not an active address of your company' });
  const lastCenter =
    context.last?.costCenterId && context.costCenterIds.has(context.last.costCenterId)
      ? context.last.costCenterId
      : null;
  const costCenterId = input.costCenterId === undefined ? lastCenter : input.costCenterId;
  if (costCenterId !== null && !context.costCenterIds.has(costCenterId))
    issues.push({ path: 'costCenterId', message: 'not an active cost center of your company' });
  if (costCenterId === null && context.costCenterRequired !== null)
    issues.push({
      path: 'costCenterId',
      message:
        context.costCenterRequired === 'always'
          ? 'your company asks for a cost center on every order'
          : 'your company asks for a cost center on every order while it has budgets',
    });
  if (input.requestedDeliveryDate !== undefined && input.requestedDeliveryDate < context.today)
    issues.push({ path: 'requestedDeliveryDate', message: `must be today (${context.today}) or later` });
  if (issues.length > 0 || !shipToSiteId) return { ok: false, issues };
  return {
    ok: true,
    value: {
      shipToSiteId,
      costCenterId,
      poNumber: input.poNumber ?? null,
      reference: input.reference ?? null,
      deliveryMode: input.deliveryMode ?? 'standard',
      requestedDeliveryDate: input.requestedDeliveryDate ?? null,
      instructions: input.instructions ?? null,
    },
  };
}

/** Every line problem that stops checkout, as `lines.N` issues; an empty cart is one too. */
export function blockingIssues(lines: readonly PricedCartLine[]): FieldIssue[] {
  if (lines.length === 0) return [{ path: 'lines', message: 'the cart is empty' }];
  return lines.flatMap((line, i) =>
    line.problems
      .filter(isBlocking)
      .map((p) => ({ path: `lines.${i}`, message: `${line.sku}: ${describeProblem(p)}` })),
  );
}

function describeProblem(p: PricedCartLine['problems'][number]): string {
  switch (p.code) {
    case 'below_minimum':
    case 'not_a_multiple':
      return `${p.code.replaceAll('_', ' ')}; order ${p.nearestValidQuantity}`;
    case 'obsolete':
      return 'replacement' in p && p.replacement ? `obsolete; replaced by ${p.replacement}` : 'obsolete';
    default:
      return p.code.replaceAll('_', ' ');
  }
}

import type { CheckoutInput } from '../../domain/checkout';
import { AppError, type FieldIssue } from '../../domain/errors';
import { MAX_QUANTITY } from '../../domain/pricing/engine';
import { unwrap } from '../../durable/client';
import type { Env } from '../../env';

/**
 * An accepted quote becomes exactly one order at the quoted prices (docs/orders.md, "Orders from quotes"):
 * checked out in the company's object as the buyer, with channel `quote` and the quote's id as its
 * reference, under the key `quote:<quoteId>`. The quoted unit prices replace the price index for the
 * quote's lines and for that order only; visibility, approvals, budgets, spending caps and cost-center
 * rules apply as at checkout.
 */
export interface QuotedLine {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface QuotedOrderRequest {
  companyId: string;
  quoteId: string;
  /** shown as the order's reference when the buyer gives none */
  quoteNumber: string;
  /** the accepted version */
  version: number;
  /** the user the order is placed as (their approvals, budgets, limits apply) */
  buyerId: string;
  currency: string;
  lines: readonly QuotedLine[];
  /** epoch ms: refused after it, unless this quote already placed its order (then that order answers) */
  validUntil: number;
  /** ship-to, cost center, PO number… as at checkout */
  input: CheckoutInput;
  requestId: string;
  now: number;
}

export interface QuotedOrderResult {
  orderId: string;
  status: 'placed' | 'pending_approval';
  totalMinor: number;
  currency: string;
  lineCount: number;
}

export interface QuotedOrderDeps {
  /** the companies' Durable Objects (`c.env.ORGANIZATION` in a route) */
  organization: Env['ORGANIZATION'];
}

/**
 * Places the order of an accepted quote, or answers the one it placed. Throws AppError: 422 for lines
 * that are not a valid order, checkout problems (ship-to, cost center, products no longer orderable,
 * a budget that refuses) with field paths, as checkout does; 409 `conflict` for an expired quote or a
 * quote that already became an order from another version.
 */
export async function placeQuotedOrder(
  deps: QuotedOrderDeps,
  req: QuotedOrderRequest,
): Promise<QuotedOrderResult> {
  const issues = lineIssues(req.lines);
  if (issues.length > 0) throw new AppError('unprocessable', 'The quote’s lines cannot be ordered', issues);
  // named by the quote's company, which the caller read under its tenant scope
  const object = deps.organization.getByName(req.companyId);
  const result = await object.placeQuote({
    quoteId: req.quoteId,
    quoteNumber: req.quoteNumber,
    version: req.version,
    buyerId: req.buyerId,
    currency: req.currency,
    lines: req.lines.map(({ lineNo, sku, quantity, unitPriceMinor }) => ({
      lineNo,
      sku,
      quantity,
      unitPriceMinor,
    })),
    validUntil: req.validUntil,
    input: req.input,
    requestId: req.requestId,
    now: req.now,
  });
  if (!result.ok && result.code === 'idempotency_key_reused')
    throw new AppError('conflict', `Quote ${req.quoteNumber} already became an order from another version`);
  const { orderId, status, totalMinor, currency, lineCount } = unwrap(result);
  return { orderId, status, totalMinor, currency, lineCount };
}

/** What the object cannot check for the caller: whole positive quantities, whole non-negative prices. */
function lineIssues(lines: readonly QuotedLine[]): FieldIssue[] {
  if (lines.length === 0) return [{ path: 'lines', message: 'the quote has no lines' }];
  return lines.flatMap((l, i) => [
    ...(Number.isInteger(l.quantity) && l.quantity >= 1 && l.quantity <= MAX_QUANTITY
      ? []
      : [{ path: `lines.${i}.quantity`, message: `a whole number from 1 to ${MAX_QUANTITY}` }]),
    ...(Number.isSafeInteger(l.unitPriceMinor) && l.unitPriceMinor >= 0
      ? []
      : [{ path: `lines.${i}.unitPriceMinor`, message: 'a whole number of minor units, 0 or more' }]),
  ]);
}

import type { CheckoutInput } from '../../domain/checkout';
import { unwrap } from '../../durable/result';
import type { Env } from '../../env';

/**
 * TEMPORARY, REPLACED AT MERGE by the quote-order implementation of this contract (the Durable Object
 * places the quote's lines at the quoted prices). This stand-in places the lines through the company
 * object's existing `placeLines` with channel `quote`, WITHOUT a price override (the contract prices of now
 * apply), so that the quote flow around it can be built and tested.
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
  quoteNumber: string;
  version: number;
  buyerId: string;
  currency: string;
  lines: readonly QuotedLine[];
  validUntil: number;
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

async function contentOf(req: QuotedOrderRequest): Promise<string> {
  const text = JSON.stringify({ version: req.version, lines: req.lines });
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function placeQuotedOrder(
  deps: { organization: Env['ORGANIZATION'] },
  req: QuotedOrderRequest,
): Promise<QuotedOrderResult> {
  const object = deps.organization.getByName(req.companyId);
  const outcome = unwrap(
    await object.placeLines({
      key: `quote:${req.quoteId}`,
      ownerId: req.buyerId,
      name: `Quote ${req.quoteNumber}`,
      lines: req.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, note: null })),
      input: { ...req.input, reference: req.input.reference ?? req.quoteNumber },
      channel: { channel: 'quote', ref: req.quoteId },
      content: await contentOf(req),
      requestId: req.requestId,
      now: req.now,
    }),
  );
  return {
    orderId: outcome.orderId,
    status: outcome.status,
    totalMinor: outcome.totalMinor,
    currency: outcome.currency,
    lineCount: outcome.lineCount,
  };
}

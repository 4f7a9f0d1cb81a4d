import type { CheckoutInput } from '../domain/checkout';
import type { CheckoutOutcome } from './checkout-record';
import { canonical } from './checkout-record';
import type { LineOrders, LinePlacement } from './line-orders';
import { fail, type ObjectResult } from './result';

/**
 * Orders from accepted quotes: the quote's lines checked out as the buyer, at the quoted unit prices,
 * under the key `quote:<quoteId>`. The key's content is the accepted version and its lines, so a repeat of
 * the same accept answers the same order and another version of the quote is refused.
 */
export interface QuotePlacement {
  quoteId: string;
  quoteNumber: string;
  version: number;
  buyerId: string;
  currency: string;
  lines: readonly { lineNo: number; sku: string; quantity: number; unitPriceMinor: number }[];
  /** epoch ms: after it the quote places nothing (a key that already placed its order still answers it) */
  validUntil: number;
  input: CheckoutInput;
  requestId: string;
  now: number;
}

export const quoteOrderKey = (quoteId: string) => `quote:${quoteId}`;

export class QuoteOrders {
  /** the latest placement of each key in this instance: a later one waits for it, then answers from the record */
  private readonly running = new Map<string, Promise<ObjectResult<CheckoutOutcome>>>();

  constructor(private readonly lineOrders: LineOrders) {}

  /**
   * One order per quote: calls for the same quote run one after the other (set before any await), so a
   * second accept arriving while the first checks out answers its order instead of a 409 "in progress".
   */
  place(q: QuotePlacement): Promise<ObjectResult<CheckoutOutcome>> {
    const key = quoteOrderKey(q.quoteId);
    const before = this.running.get(key);
    const work = (before ?? Promise.resolve(null)).then(
      () => this.placeOnce(q),
      () => this.placeOnce(q),
    );
    this.running.set(key, work);
    const forget = () => {
      if (this.running.get(key) === work) this.running.delete(key);
    };
    work.then(forget, forget);
    return work;
  }

  private async placeOnce(q: QuotePlacement): Promise<ObjectResult<CheckoutOutcome>> {
    const placement = placementOf(q);
    const placed = await this.lineOrders.placed(placement);
    if (placed) return placed;
    if (q.now > q.validUntil)
      return fail(
        'conflict',
        `Quote ${q.quoteNumber} was valid until ${new Date(q.validUntil).toISOString()}; it can no longer be ordered`,
      );
    return this.lineOrders.place(placement);
  }
}

function placementOf(q: QuotePlacement): LinePlacement {
  const lines = [...q.lines].sort((a, b) => a.lineNo - b.lineNo);
  return {
    key: quoteOrderKey(q.quoteId),
    ownerId: q.buyerId,
    name: `Quote ${q.quoteNumber}`,
    lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    // the quote's number is the order's reference unless the buyer gives one
    input: { ...q.input, reference: q.input.reference ?? q.quoteNumber },
    channel: { channel: 'quote', ref: q.quoteId },
    // what the key stands for: the accepted version and its lines (not the input: a repeat may default anew)
    content: canonical({
      version: q.version,
      currency: q.currency,
      lines: lines.map((l) => [l.lineNo, l.sku, l.quantity, l.unitPriceMinor]),
    }),
    agreed: { currency: q.currency, lines },
    requestId: q.requestId,
    now: q.now,
  };
}

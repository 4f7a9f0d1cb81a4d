import type { FieldIssue } from './errors';
import { applyBasisPoints } from './money';
import { checkPublicUrl, type UrlPolicy } from './public-url';

/**
 * The rules of a quote's content (docs/quotes.md): its dates, the rep's prices against the contract price,
 * the attachments' links. Pure: the callers read the contract prices and the clock beforehand.
 */

export const MAX_QUOTE_LINES = 500;
export const MAX_ATTACHMENTS = 10;
/** a unit price above this many times the contract price is a typing slip, not a negotiation */
export const MAX_CONTRACT_MULTIPLE = 100;
/** the hard cap of a quoted unit price (one billion in a two-decimal currency) */
export const MAX_UNIT_PRICE_MINOR = 100_000_000_000;
/** how far ahead a quote may stay valid */
export const MAX_VALIDITY_DAYS = 366;
const DAY_MS = 86_400_000;

/**
 * Attachments are links other people open (the rep, the buyer, the printed quote): never a private,
 * loopback or non-https address, in development too, unlike a developer's own webhook receiver.
 */
export const ATTACHMENT_URL_POLICY: UrlPolicy = { allowLocal: false };

/** `YYYY-MM-DD` of an instant, in UTC (the calendar quotes are dated in). */
export const utcDate = (at: number): string => new Date(at).toISOString().slice(0, 10);

/** The last millisecond of a `YYYY-MM-DD` day in UTC: a quote "valid until 2026-05-31" holds all that day. */
export const endOfDay = (ymd: string): number => Date.parse(`${ymd}T00:00:00Z`) + DAY_MS - 1;

export function wantedDateIssue(ymd: string | undefined, now: number): FieldIssue[] {
  if (ymd === undefined || ymd >= utcDate(now)) return [];
  return [{ path: 'wantedDeliveryDate', message: `must be today (${utcDate(now)}) or later` }];
}

export function validityIssue(ymd: string, now: number): FieldIssue[] {
  const today = utcDate(now);
  if (ymd < today) return [{ path: 'validUntil', message: `must be today (${today}) or later` }];
  if (endOfDay(ymd) > now + MAX_VALIDITY_DAYS * DAY_MS)
    return [{ path: 'validUntil', message: 'at most one year ahead' }];
  return [];
}

export function attachmentIssues(attachments: readonly { url: string }[]): FieldIssue[] {
  return attachments.flatMap((a, i) => {
    const verdict = checkPublicUrl(a.url, ATTACHMENT_URL_POLICY);
    return verdict.ok ? [] : [{ path: `attachments.${i}.url`, message: verdict.reason }];
  });
}

/** What the rep sends for one line: a net unit price, or a discount on the contract price. */
export interface LinePriceInput {
  unitPriceMinor?: number;
  discountBps?: number;
}

export type LinePricing =
  | { ok: true; unitPriceMinor: number; discountBps: number | null }
  | { ok: false; issue: FieldIssue };

/** The discount a net price gives on the contract price, in basis points (negative: above it). */
export function discountOf(contract: number | null, unit: number): number | null {
  if (contract === null || contract <= 0) return null;
  return Math.round(((contract - unit) * 10_000) / contract);
}

/**
 * The unit price of a quoted line and the discount stored with it. Refused: neither or both given, a
 * discount without a contract price, a price of 0 or less (a free line is a credit note, not a quote),
 * above MAX_UNIT_PRICE_MINOR, or above MAX_CONTRACT_MULTIPLE times the contract price.
 */
export function priceQuotedLine(input: LinePriceInput, contract: number | null, at: string): LinePricing {
  const refuse = (field: string, message: string): LinePricing => ({
    ok: false,
    issue: { path: `${at}.${field}`, message },
  });
  const { unitPriceMinor, discountBps } = input;
  if (unitPriceMinor !== undefined && discountBps !== undefined)
    return refuse('discountBps', 'send unitPriceMinor or discountBps, not both');
  let unit: number;
  if (discountBps !== undefined) {
    if (contract === null)
      return refuse('discountBps', 'no contract price to discount for this company; send unitPriceMinor');
    unit = contract - applyBasisPoints(contract, discountBps);
    if (unit <= 0) return refuse('discountBps', 'the discount leaves nothing to pay; at most 99.99 %');
  } else if (unitPriceMinor !== undefined) {
    unit = unitPriceMinor;
  } else {
    return refuse('unitPriceMinor', 'price every line: unitPriceMinor or discountBps');
  }
  const field = discountBps !== undefined ? 'discountBps' : 'unitPriceMinor';
  if (unit <= 0) return refuse(field, 'must be above 0');
  if (unit > MAX_UNIT_PRICE_MINOR) return refuse(field, `at most ${MAX_UNIT_PRICE_MINOR} minor units`);
  if (contract !== null && unit > contract * MAX_CONTRACT_MULTIPLE)
    return refuse(field, `more than ${MAX_CONTRACT_MULTIPLE} times the contract price (${contract})`);
  return { ok: true, unitPriceMinor: unit, discountBps: discountBps ?? discountOf(contract, unit) };
}

/** A stored line, as every reader shows it. */
export interface QuoteLineView {
  lineNo: number;
  sku: string;
  quantity: number;
  targetUnitPriceMinor: number | null;
  unitPriceMinor: number | null;
  discountBps: number | null;
  contractUnitPriceMinor: number | null;
  note: string | null;
}

/**
 * Contract and quoted price side by side: the discount in percent (two decimals) and the margin. The data
 * model holds no cost price, so the margin is always null (docs/quotes.md says so).
 */
export function comparisonOf(line: QuoteLineView) {
  const unit = line.unitPriceMinor;
  const contract = line.contractUnitPriceMinor;
  const discount = unit === null ? null : discountOf(contract, unit);
  return {
    lineTotalMinor: unit === null ? null : unit * line.quantity,
    contractLineTotalMinor: contract === null ? null : contract * line.quantity,
    discountPercent: discount === null ? null : discount / 100,
    marginPercent: null,
  };
}

export function totalsOf(lines: readonly QuoteLineView[]) {
  const priced = lines.every((l) => l.unitPriceMinor !== null);
  const contractKnown = lines.every((l) => l.contractUnitPriceMinor !== null);
  return {
    totalMinor: priced ? lines.reduce((s, l) => s + (l.unitPriceMinor ?? 0) * l.quantity, 0) : null,
    contractTotalMinor: contractKnown
      ? lines.reduce((s, l) => s + (l.contractUnitPriceMinor ?? 0) * l.quantity, 0)
      : null,
  };
}

/** Lines sent by number (a quote, a counter) that the current version does not have. */
export function unknownLineIssues(sent: readonly { lineNo: number }[], known: ReadonlySet<number>) {
  return sent.flatMap((l, i) =>
    known.has(l.lineNo) ? [] : [{ path: `lines.${i}.lineNo`, message: `no line ${l.lineNo} in this quote` }],
  );
}

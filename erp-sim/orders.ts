import { isPositiveInt, isRecord, nonEmptyString } from './http';
import type { ErpOrderLine } from './types';

/**
 * What the ERP checks on the documents it receives. The simulator insists on what an ERP cannot do without
 * (who, what, how many) and keeps everything else as sent, so the document can grow without breaking it.
 */

export interface Issue {
  path: string;
  message: string;
}

export interface OrderDocument {
  orderId: string;
  lines: ErpOrderLine[];
  currency: string;
  netMinor: number;
}

const minorOf = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) ? value : null;

/** A line's amount: its total if sent, else quantity × unit price (whichever name the document uses). */
function lineNet(line: Record<string, unknown>, quantity: number): number {
  const total = minorOf(line.lineTotalMinor);
  if (total !== null) return total;
  const unit = minorOf(line.unitPriceMinor) ?? minorOf(line.unitMinor) ?? 0;
  return unit * quantity;
}

/**
 * `orderId` (text), `lines` (at least one, each with `sku` and a whole `quantity` ≥ 1, `lineNo` optional
 * and distinct; the position counts from 1 otherwise), `currency` optional (three letters, EUR when absent).
 * The invoice's net amount is the document's `totalMinor` when sent, else the sum of its lines.
 */
export function parseOrderDocument(
  body: unknown,
): { ok: true; doc: OrderDocument } | { ok: false; issues: Issue[] } {
  if (!isRecord(body))
    return { ok: false, issues: [{ path: '', message: 'the order must be a JSON object' }] };
  const issues: Issue[] = [];
  if (!nonEmptyString(body.orderId)) issues.push({ path: 'orderId', message: 'required text' });
  if (
    body.currency !== undefined &&
    (typeof body.currency !== 'string' || !/^[A-Z]{3}$/.test(body.currency))
  ) {
    issues.push({ path: 'currency', message: 'three capital letters (ISO 4217)' });
  }
  const lines: ErpOrderLine[] = [];
  let netMinor = 0;
  if (!Array.isArray(body.lines) || body.lines.length === 0) {
    issues.push({ path: 'lines', message: 'at least one line' });
  } else {
    const seen = new Set<number>();
    for (const [i, line] of body.lines.entries()) {
      if (!isRecord(line)) {
        issues.push({ path: `lines.${i}`, message: 'a JSON object' });
        continue;
      }
      const lineNo = line.lineNo ?? i + 1;
      if (!isPositiveInt(lineNo) || seen.has(lineNo)) {
        issues.push({ path: `lines.${i}.lineNo`, message: 'a distinct whole number ≥ 1' });
      } else seen.add(lineNo);
      if (!nonEmptyString(line.sku)) issues.push({ path: `lines.${i}.sku`, message: 'required text' });
      if (!isPositiveInt(line.quantity)) {
        issues.push({ path: `lines.${i}.quantity`, message: 'a whole number ≥ 1' });
      }
      if (isPositiveInt(lineNo) && nonEmptyString(line.sku) && isPositiveInt(line.quantity)) {
        lines.push({ lineNo, sku: line.sku, quantity: line.quantity });
        netMinor += lineNet(line, line.quantity);
      }
    }
  }
  if (issues.length > 0 || !nonEmptyString(body.orderId)) return { ok: false, issues };
  return {
    ok: true,
    doc: {
      orderId: body.orderId,
      lines,
      currency: typeof body.currency === 'string' ? body.currency : 'EUR',
      netMinor: minorOf(body.totalMinor) ?? netMinor,
    },
  };
}

/** The follow-up documents: what each must name beyond being a JSON object. */
export function parseFollowUp(kind: FollowUpKind, body: unknown): Issue[] {
  if (!isRecord(body)) return [{ path: '', message: 'a JSON object' }];
  const issues: Issue[] = [];
  if (kind === 'receipts' && !nonEmptyString(body.shipmentId)) {
    issues.push({ path: 'shipmentId', message: 'required text' });
  }
  if (kind === 'problem-reports') {
    if (!isPositiveInt(body.lineNo)) issues.push({ path: 'lineNo', message: 'a whole number ≥ 1' });
    if (!nonEmptyString(body.kind)) issues.push({ path: 'kind', message: 'required text' });
  }
  return issues;
}

export const FOLLOW_UPS = ['cancellation', 'receipts', 'problem-reports'] as const;
export type FollowUpKind = (typeof FOLLOW_UPS)[number];

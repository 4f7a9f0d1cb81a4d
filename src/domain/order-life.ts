import type { FulfilmentStatus, InvoiceKind } from './erp-terms';
import type { FieldIssue } from './errors';

/**
 * The order's life after checkout as the ERP tells it (docs/erp.md). Events arrive in any order, twice, or
 * late; the state is therefore never "the previous state plus this event" but a projection of every event
 * the order has, in the ERP's timestamp order. Whatever order the same events came in, the state is the same,
 * and an event that arrives late (an acknowledgement after the shipment) cannot move anything back.
 */

export interface LineConfirmation {
  lineNo: number;
  quantity: number;
  substituteSku?: string;
  expectedDate?: string;
}

export interface DocumentFields {
  number: string;
  issueDate: string;
  currency: string;
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
  documentUrl?: string;
}

export type ErpEventBody =
  | { type: 'acknowledged'; erpOrderNumber: string; lines?: LineConfirmation[] }
  | {
      type: 'shipped';
      shipment: {
        id: string;
        carrier?: string;
        trackingNumber?: string;
        trackingUrl?: string;
        lines: { lineNo: number; quantity: number }[];
      };
    }
  | { type: 'delivered'; shipmentId?: string }
  | { type: 'invoiced'; invoice: DocumentFields & { dueDate: string; paidMinor?: number } }
  | { type: 'credited'; creditNote: DocumentFields & { creditsNumber: string } }
  | { type: 'cancelled'; reason?: string };

export interface ErpEvent {
  eventId: string;
  /** the ERP's own timestamp, epoch ms */
  occurredAt: number;
  body: ErpEventBody;
}

export interface OrderedLine {
  lineNo: number;
  sku: string;
  quantity: number;
}

export interface ProjectedShipment {
  erpShipmentId: string;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt: number;
  deliveredAt: number | null;
  lines: { lineNo: number; sku: string; quantity: number }[];
}

export interface ProjectedDocument extends DocumentFields {
  kind: InvoiceKind;
  dueDate: string | null;
  paidMinor: number;
  creditsNumber: string | null;
}

export interface OrderLife {
  erpOrderNumber: string | null;
  /** per line: what the latest acknowledgement confirmed (empty until one arrives) */
  confirmations: Map<number, { quantity: number; substituteSku: string | null; expectedDate: string | null }>;
  shipments: Map<string, ProjectedShipment>;
  /** by `${kind}:${number}` */
  documents: Map<string, ProjectedDocument>;
  cancelled: { at: number; reason: string | null } | null;
  /** events kept but not applied yet: a delivery naming shipments that have not arrived */
  waiting: Set<string>;
  fulfilmentStatus: FulfilmentStatus;
}

export const documentKey = (kind: InvoiceKind, number: string) => `${kind}:${number}`;

const inErpOrder = (a: ErpEvent, b: ErpEvent) =>
  a.occurredAt - b.occurredAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

/** What each line may ship in all: the confirmed quantity once acknowledged, else the ordered quantity. */
export const shippableQuantity = (life: OrderLife, line: OrderedLine): number =>
  life.confirmations.get(line.lineNo)?.quantity ?? line.quantity;

export function shippedByLine(life: OrderLife): Map<number, number> {
  const shipped = new Map<number, number>();
  for (const s of life.shipments.values())
    for (const l of s.lines) shipped.set(l.lineNo, (shipped.get(l.lineNo) ?? 0) + l.quantity);
  return shipped;
}

/** Each acknowledgement confirms the whole order: lines it names as it says, the others as ordered. */
function confirm(
  life: OrderLife,
  lines: readonly OrderedLine[],
  ack: ErpEventBody & { type: 'acknowledged' },
) {
  life.erpOrderNumber = ack.erpOrderNumber;
  life.confirmations = new Map(
    lines.map((l) => [l.lineNo, { quantity: l.quantity, substituteSku: null, expectedDate: null }]),
  );
  for (const c of ack.lines ?? [])
    life.confirmations.set(c.lineNo, {
      quantity: c.quantity,
      substituteSku: c.substituteSku ?? null,
      expectedDate: c.expectedDate ?? null,
    });
}

/** Deliveries apply after every shipment is known, so one that arrived before its shipment still lands. */
function deliver(life: OrderLife, event: ErpEvent & { body: { type: 'delivered' } }) {
  const named = event.body.shipmentId;
  const targets = [...life.shipments.values()].filter((s) =>
    named === undefined ? s.shippedAt <= event.occurredAt : s.erpShipmentId === named,
  );
  if (targets.length === 0) life.waiting.add(event.eventId);
  for (const s of targets) if (s.deliveredAt === null) s.deliveredAt = event.occurredAt;
}

export function fulfilmentOf(life: OrderLife, lines: readonly OrderedLine[]): FulfilmentStatus {
  if (life.shipments.size === 0) return life.erpOrderNumber === null ? 'open' : 'acknowledged';
  const shipped = shippedByLine(life);
  const complete = lines.every((l) => (shipped.get(l.lineNo) ?? 0) >= shippableQuantity(life, l));
  if (!complete) return 'partially_shipped';
  return [...life.shipments.values()].every((s) => s.deliveredAt !== null) ? 'delivered' : 'shipped';
}

export function projectOrderLife(lines: readonly OrderedLine[], events: readonly ErpEvent[]): OrderLife {
  const life: OrderLife = {
    erpOrderNumber: null,
    confirmations: new Map(),
    shipments: new Map(),
    documents: new Map(),
    cancelled: null,
    waiting: new Set(),
    fulfilmentStatus: 'open',
  };
  const ordered = [...events].sort(inErpOrder);
  for (const { body, occurredAt } of ordered) {
    if (body.type === 'acknowledged') confirm(life, lines, body);
    else if (body.type === 'shipped') {
      const { shipment: s } = body;
      life.shipments.set(s.id, {
        erpShipmentId: s.id,
        carrier: s.carrier ?? null,
        trackingNumber: s.trackingNumber ?? null,
        trackingUrl: s.trackingUrl ?? null,
        shippedAt: occurredAt,
        deliveredAt: null,
        lines: s.lines.map((l) => ({ lineNo: l.lineNo, sku: '', quantity: l.quantity })),
      });
    } else if (body.type === 'invoiced') {
      const { paidMinor, ...fields } = body.invoice;
      life.documents.set(documentKey('invoice', fields.number), {
        ...fields,
        kind: 'invoice',
        paidMinor: paidMinor ?? 0,
        creditsNumber: null,
      });
    } else if (body.type === 'credited') {
      const { creditsNumber, ...fields } = body.creditNote;
      life.documents.set(documentKey('credit_note', fields.number), {
        ...fields,
        kind: 'credit_note',
        dueDate: null,
        paidMinor: 0,
        creditsNumber,
      });
    } else if (body.type === 'cancelled' && life.cancelled === null)
      life.cancelled = { at: occurredAt, reason: body.reason ?? null };
  }
  for (const e of ordered)
    if (e.body.type === 'delivered') deliver(life, e as ErpEvent & { body: { type: 'delivered' } });
  // what went out on a line is its substitute, when the ERP confirmed one
  const skuOf = new Map(lines.map((l) => [l.lineNo, l.sku]));
  for (const s of life.shipments.values())
    for (const l of s.lines)
      l.sku = life.confirmations.get(l.lineNo)?.substituteSku ?? skuOf.get(l.lineNo) ?? '';
  life.fulfilmentStatus = fulfilmentOf(life, lines);
  return life;
}

/**
 * Why the order cannot take `event`, with the paths of the event's own fields: a line the order does not
 * have, or more shipped on a line than it may ship (confirmed, else ordered) over all its shipments once
 * the event is counted. `life` is the projection with the event in it.
 */
export function refusedBy(event: ErpEvent, lines: readonly OrderedLine[], life: OrderLife): FieldIssue[] {
  const known = new Set(lines.map((l) => l.lineNo));
  const shipped = shippedByLine(life);
  const over = (lineNo: number) => {
    const line = lines.find((l) => l.lineNo === lineNo);
    const total = shipped.get(lineNo) ?? 0;
    return line && total > shippableQuantity(life, line)
      ? `${total} shipped in all on line ${lineNo}, more than the ${shippableQuantity(life, line)} it may ship`
      : undefined;
  };
  const issues: FieldIssue[] = [];
  const body = event.body;
  const eventLines =
    body.type === 'acknowledged'
      ? { prefix: 'lines', lines: body.lines ?? [] }
      : body.type === 'shipped'
        ? { prefix: 'shipment.lines', lines: body.shipment.lines }
        : undefined;
  eventLines?.lines.forEach((l, i) => {
    if (!known.has(l.lineNo))
      issues.push({ path: `${eventLines.prefix}.${i}.lineNo`, message: `the order has no line ${l.lineNo}` });
    else {
      const message = over(l.lineNo);
      if (message) issues.push({ path: `${eventLines.prefix}.${i}.quantity`, message });
    }
  });
  if (body.type === 'acknowledged')
    for (const line of lines) {
      const message = (body.lines ?? []).some((l) => l.lineNo === line.lineNo)
        ? undefined
        : over(line.lineNo);
      if (message) issues.push({ path: 'lines', message });
    }
  return issues;
}

/**
 * Where an invoice stands on `today` (YYYY-MM-DD): open while something is left to pay, overdue when that
 * is so past its due date. A credit note has no standing of its own (it lowers its invoice's open amount).
 */
export function invoiceStanding(
  doc: { kind: InvoiceKind; openMinor: number | null; dueDate: string | null },
  today: string,
): { status: 'open' | 'paid' | null; overdue: boolean } {
  if (doc.kind !== 'invoice' || doc.openMinor === null) return { status: null, overdue: false };
  const open = doc.openMinor > 0;
  return { status: open ? 'open' : 'paid', overdue: open && doc.dueDate !== null && doc.dueDate < today };
}

import type { ErpEventType } from '../src/domain/erp-terms';
import { isoDate } from './http';
import type { ErpOrder, ErpOrderLine, LifecycleTimings } from './types';

/**
 * An order's life in the ERP as a plan of timed steps, each becoming one event on the wire
 * (docs/erp.md): acknowledged, shipped (one or two shipments), delivered (per shipment), invoiced; or,
 * once a cancellation was accepted, cancelled. The event shapes live here and nowhere else.
 */

export const DEFAULT_TIMINGS: LifecycleTimings = {
  acknowledgeAfterMs: 60_000,
  shipAfterMs: 60 * 60_000,
  secondShipmentAfterMs: 24 * 60 * 60_000,
  deliverAfterMs: 24 * 60 * 60_000,
  invoiceAfterMs: 0,
  paymentTermsDays: 30,
  taxRateBp: 2000,
  partialShipments: true,
};

export interface Step {
  /** unique within the order: `ack`, `ship-1`, `deliver-1`, …, `invoice`, `cancel` */
  id: string;
  at: number;
  type: ErpEventType;
  /** the event's fields beyond `eventId`, `type` and `occurredAt` */
  fields: Record<string, unknown>;
}

/** Two parts when the order allows it: the first half of the lines (or of a single line's units), then the rest. */
export function shipmentParts(lines: ErpOrderLine[], partial: boolean): ErpOrderLine[][] {
  if (!partial) return [lines];
  if (lines.length >= 2) {
    const half = Math.ceil(lines.length / 2);
    return [lines.slice(0, half), lines.slice(half)];
  }
  const [only] = lines;
  if (only && only.quantity >= 2) {
    const first = Math.ceil(only.quantity / 2);
    return [[{ ...only, quantity: first }], [{ ...only, quantity: only.quantity - first }]];
  }
  return [lines];
}

const orderDigits = (order: ErpOrder) => order.erpOrderNumber.replace(/\D/g, '');

function shippedFields(order: ErpOrder, part: ErpOrderLine[], n: number): Record<string, unknown> {
  const trackingNumber = `00340434${orderDigits(order)}${n}`;
  return {
    shipment: {
      id: `${order.erpOrderNumber}-S${n}`,
      carrier: 'DHL',
      trackingNumber,
      trackingUrl: `https://www.dhl.com/track?tracking-id=${trackingNumber}`,
      lines: part.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity })),
    },
  };
}

function invoicedFields(order: ErpOrder, at: number, t: LifecycleTimings): Record<string, unknown> {
  // half-up on the tax, once, like the backend's money rules
  const taxMinor = Math.round((order.netMinor * t.taxRateBp) / 10_000);
  const number = `INV-${orderDigits(order)}`;
  return {
    invoice: {
      number,
      issueDate: isoDate(at),
      dueDate: isoDate(at + t.paymentTermsDays * 86_400_000),
      currency: order.currency,
      netMinor: order.netMinor,
      taxMinor,
      grossMinor: order.netMinor + taxMinor,
      documentUrl: `https://erp.example.com/invoices/${number}.pdf`,
    },
  };
}

/** Every step of the order's life, in time order; a cancelled order keeps what already happened. */
export function plannedSteps(order: ErpOrder, t: LifecycleTimings): Step[] {
  const ack: Step = {
    id: 'ack',
    at: order.receivedAt + t.acknowledgeAfterMs,
    type: 'acknowledged',
    fields: { erpOrderNumber: order.erpOrderNumber },
  };
  if (order.cancelledAt !== null) {
    const happened = order.emitted.includes('ack') ? [ack] : [];
    return [...happened, { id: 'cancel', at: order.cancelledAt, type: 'cancelled', fields: {} }];
  }
  const steps: Step[] = [ack];
  let lastDelivery = ack.at;
  for (const [i, part] of shipmentParts(order.lines, t.partialShipments).entries()) {
    const n = i + 1;
    const shippedAt = order.receivedAt + t.shipAfterMs + i * t.secondShipmentAfterMs;
    lastDelivery = shippedAt + t.deliverAfterMs;
    steps.push(
      { id: `ship-${n}`, at: shippedAt, type: 'shipped', fields: shippedFields(order, part, n) },
      {
        id: `deliver-${n}`,
        at: lastDelivery,
        type: 'delivered',
        fields: { shipmentId: `${order.erpOrderNumber}-S${n}` },
      },
    );
  }
  const invoiceAt = lastDelivery + t.invoiceAfterMs;
  steps.push({ id: 'invoice', at: invoiceAt, type: 'invoiced', fields: invoicedFields(order, invoiceAt, t) });
  // stable: equal instants keep their plan order (a shipment before its delivery)
  return steps.sort((a, b) => a.at - b.at);
}

/** Steps due by `now` that have not become events yet. */
export const dueSteps = (order: ErpOrder, t: LifecycleTimings, now: number): Step[] =>
  plannedSteps(order, t).filter((s) => s.at <= now && !order.emitted.includes(s.id));

/** A cancellation is too late once anything has shipped (or is due to have shipped by `now`). */
export const hasShipped = (order: ErpOrder, t: LifecycleTimings, now: number): boolean =>
  plannedSteps(order, t).some((s) => s.type === 'shipped' && (s.at <= now || order.emitted.includes(s.id)));

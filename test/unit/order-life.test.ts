import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ErpEvent,
  invoiceStanding,
  type OrderedLine,
  projectOrderLife,
  refusedBy,
} from '../../src/domain/order-life';

const lines: OrderedLine[] = [
  { lineNo: 1, sku: 'A', quantity: 10 },
  { lineNo: 2, sku: 'B', quantity: 4 },
];

/** A plausible ERP story: acknowledgements, shipments (some corrected), deliveries, invoices, a cancellation. */
const story: ErpEvent[] = [
  {
    eventId: 'a1',
    occurredAt: 10,
    body: { type: 'acknowledged', erpOrderNumber: 'SO-1', lines: [{ lineNo: 1, quantity: 8 }] },
  },
  {
    eventId: 'a2',
    occurredAt: 15,
    body: {
      type: 'acknowledged',
      erpOrderNumber: 'SO-1b',
      lines: [{ lineNo: 2, quantity: 4, substituteSku: 'B2' }],
    },
  },
  {
    eventId: 's1',
    occurredAt: 20,
    body: { type: 'shipped', shipment: { id: 'SH1', lines: [{ lineNo: 1, quantity: 5 }] } },
  },
  {
    eventId: 's2',
    occurredAt: 30,
    body: { type: 'shipped', shipment: { id: 'SH2', carrier: 'DHL', lines: [{ lineNo: 2, quantity: 4 }] } },
  },
  {
    eventId: 's1b',
    occurredAt: 35,
    body: { type: 'shipped', shipment: { id: 'SH1', carrier: 'UPS', lines: [{ lineNo: 1, quantity: 10 }] } },
  },
  { eventId: 'd1', occurredAt: 40, body: { type: 'delivered', shipmentId: 'SH2' } },
  { eventId: 'd2', occurredAt: 50, body: { type: 'delivered' } },
  {
    eventId: 'i1',
    occurredAt: 60,
    body: {
      type: 'invoiced',
      invoice: {
        number: 'I1',
        issueDate: '2030-01-01',
        dueDate: '2030-01-31',
        currency: 'EUR',
        netMinor: 100,
        taxMinor: 20,
        grossMinor: 120,
      },
    },
  },
  {
    eventId: 'i1b',
    occurredAt: 70,
    body: {
      type: 'invoiced',
      invoice: {
        number: 'I1',
        issueDate: '2030-01-01',
        dueDate: '2030-01-31',
        currency: 'EUR',
        netMinor: 100,
        taxMinor: 20,
        grossMinor: 120,
        paidMinor: 120,
      },
    },
  },
  { eventId: 'x1', occurredAt: 80, body: { type: 'cancelled', reason: 'late' } },
];

const plain = (life: ReturnType<typeof projectOrderLife>) => ({
  ...life,
  confirmations: [...life.confirmations],
  shipments: [...life.shipments],
  documents: [...life.documents],
  waiting: [...life.waiting].sort(),
});

describe('the order life projection', () => {
  it('is the same whatever order the events arrive in', () => {
    const expected = plain(projectOrderLife(lines, story));
    fc.assert(
      fc.property(fc.shuffledSubarray(story, { minLength: story.length }), (arrival) => {
        expect(plain(projectOrderLife(lines, arrival))).toEqual(expected);
      }),
    );
  });

  it('takes the latest report of everything, by the ERP’s time', () => {
    const life = projectOrderLife(lines, story);
    expect(life.erpOrderNumber).toBe('SO-1b');
    // the later acknowledgement confirms line 1 as ordered (it did not name it)
    expect(life.confirmations.get(1)).toEqual({ quantity: 10, substituteSku: null, expectedDate: null });
    expect(life.shipments.get('SH1')).toMatchObject({ carrier: 'UPS', shippedAt: 35, deliveredAt: 50 });
    expect(life.shipments.get('SH2')).toMatchObject({
      deliveredAt: 40,
      lines: [{ lineNo: 2, sku: 'B2', quantity: 4 }],
    });
    expect(life.documents.get('invoice:I1')?.paidMinor).toBe(120);
    expect(life.cancelled).toEqual({ at: 80, reason: 'late' });
    expect(life.fulfilmentStatus).toBe('delivered');
  });

  it('in this story, fulfilment never moves back whatever the arrival order', () => {
    const ranks = ['open', 'acknowledged', 'partially_shipped', 'shipped', 'delivered'];
    const growing = story.filter((e) => e.body.type !== 'shipped' || e.eventId !== 's1b');
    fc.assert(
      fc.property(fc.shuffledSubarray(growing, { minLength: growing.length }), (arrival) => {
        let rank = 0;
        for (let n = 1; n <= arrival.length; n++) {
          const next = ranks.indexOf(projectOrderLife(lines, arrival.slice(0, n)).fulfilmentStatus);
          expect(next).toBeGreaterThanOrEqual(rank);
          rank = next;
        }
      }),
    );
  });

  it('keeps a delivery of an unknown shipment waiting, and applies it when the shipment arrives', () => {
    const delivered: ErpEvent = {
      eventId: 'd',
      occurredAt: 5,
      body: { type: 'delivered', shipmentId: 'SHX' },
    };
    expect([...projectOrderLife(lines, [delivered]).waiting]).toEqual(['d']);
    const shipped: ErpEvent = {
      eventId: 's',
      occurredAt: 9,
      body: { type: 'shipped', shipment: { id: 'SHX', lines: [{ lineNo: 1, quantity: 1 }] } },
    };
    const life = projectOrderLife(lines, [delivered, shipped]);
    expect(life.waiting.size).toBe(0);
    expect(life.shipments.get('SHX')?.deliveredAt).toBe(5);
  });

  it('refuses overshipping over all shipments, on the new event’s own path', () => {
    const first: ErpEvent = {
      eventId: 's',
      occurredAt: 1,
      body: { type: 'shipped', shipment: { id: 'S1', lines: [{ lineNo: 2, quantity: 3 }] } },
    };
    const second: ErpEvent = {
      eventId: 't',
      occurredAt: 2,
      body: {
        type: 'shipped',
        shipment: {
          id: 'S2',
          lines: [
            { lineNo: 1, quantity: 1 },
            { lineNo: 2, quantity: 2 },
            { lineNo: 3, quantity: 1 },
          ],
        },
      },
    };
    expect(refusedBy(second, lines, projectOrderLife(lines, [first, second])).map((i) => i.path)).toEqual([
      'shipment.lines.1.quantity',
      'shipment.lines.2.lineNo',
    ]);
  });
});

describe('where an invoice stands', () => {
  it('is open until paid, overdue once open past its due date; a credit note has no standing', () => {
    expect(invoiceStanding({ kind: 'invoice', openMinor: 5, dueDate: '2030-01-31' }, '2030-01-31')).toEqual({
      status: 'open',
      overdue: false,
    });
    expect(invoiceStanding({ kind: 'invoice', openMinor: 5, dueDate: '2030-01-31' }, '2030-02-01')).toEqual({
      status: 'open',
      overdue: true,
    });
    expect(invoiceStanding({ kind: 'invoice', openMinor: 0, dueDate: '2030-01-31' }, '2030-02-01')).toEqual({
      status: 'paid',
      overdue: false,
    });
    expect(invoiceStanding({ kind: 'credit_note', openMinor: null, dueDate: null }, '2030-02-01')).toEqual({
      status: null,
      overdue: false,
    });
  });
});

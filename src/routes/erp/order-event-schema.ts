import * as v from 'valibot';
import { ERP_EVENT_TYPES, type ErpEventType } from '../../domain/erp-terms';
import type { ErpEvent, ErpEventBody } from '../../domain/order-life';
import { MAX_QUANTITY } from '../../domain/pricing/engine';
import {
  CalendarDateSchema,
  CurrencySchema,
  InstantSchema,
  MoneyMinorSchema,
  QuantitySchema,
  text,
} from '../schemas';

/**
 * One ERP order event (docs/erp.md). One flat object rather than a union per type, so that every problem
 * is reported on its own field at once (a union can only say that no variant matched); a check then says
 * which fields the type needs and which it does not take.
 */

/** The ERP's own ids (events, shipments): they become part of our ids, so a tame alphabet. */
const ErpRef = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/, 'up to 100 letters, digits and . _ : / -'),
);
const LineNo = v.pipe(v.number('a number'), v.integer('a line number'), v.minValue(1), v.maxValue(10_000));
const ConfirmedQuantity = v.pipe(
  v.number('a number'),
  v.integer('a whole number of units'),
  v.minValue(0, 'at least 0 (0: the line will not be delivered)'),
  v.maxValue(MAX_QUANTITY),
);
const Url = text({ max: 2000 });

const amountsAddUp = <T extends { netMinor: number; taxMinor: number; grossMinor: number }>() =>
  v.rawCheck<T>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const d = dataset.value as T & { issueDate?: string; dueDate?: string; paidMinor?: number };
    const issue = (key: string, message: string) =>
      addIssue({
        message,
        path: [{ type: 'object', origin: 'value', input: d, key, value: d[key as keyof T] }],
      });
    if (d.grossMinor !== d.netMinor + d.taxMinor) issue('grossMinor', 'must equal netMinor + taxMinor');
    if (d.paidMinor !== undefined && d.paidMinor > d.grossMinor) issue('paidMinor', 'at most grossMinor');
    if (d.dueDate !== undefined && d.issueDate !== undefined && d.dueDate < d.issueDate)
      issue('dueDate', 'on or after issueDate');
  });

const documentEntries = {
  number: text({ max: 64 }),
  issueDate: CalendarDateSchema,
  currency: CurrencySchema,
  netMinor: MoneyMinorSchema,
  taxMinor: MoneyMinorSchema,
  grossMinor: MoneyMinorSchema,
  documentUrl: v.optional(Url),
};

const fields = {
  acknowledged: ['erpOrderNumber', 'lines'],
  shipped: ['shipment'],
  delivered: ['shipmentId'],
  invoiced: ['invoice'],
  credited: ['creditNote'],
  cancelled: ['reason'],
} as const satisfies Record<ErpEventType, readonly string[]>;
const required: Partial<Record<ErpEventType, string>> = {
  acknowledged: 'erpOrderNumber',
  shipped: 'shipment',
  invoiced: 'invoice',
  credited: 'creditNote',
};
const TYPE_FIELDS = new Set<string>(Object.values(fields).flat());

const entries = {
  eventId: ErpRef,
  type: v.picklist(ERP_EVENT_TYPES),
  occurredAt: InstantSchema,
  erpOrderNumber: v.optional(text({ max: 64 })),
  lines: v.optional(
    v.pipe(
      v.array(
        v.strictObject({
          lineNo: LineNo,
          quantity: ConfirmedQuantity,
          substituteSku: v.optional(text({ max: 64 })),
          expectedDate: v.optional(CalendarDateSchema),
        }),
      ),
      v.maxLength(1000),
    ),
  ),
  shipment: v.optional(
    v.strictObject({
      id: ErpRef,
      carrier: v.optional(text({ max: 100 })),
      trackingNumber: v.optional(text({ max: 100 })),
      trackingUrl: v.optional(Url),
      lines: v.pipe(
        v.array(v.strictObject({ lineNo: LineNo, quantity: QuantitySchema })),
        v.minLength(1, 'a shipment has at least one line'),
        v.maxLength(1000),
      ),
    }),
  ),
  shipmentId: v.optional(ErpRef),
  invoice: v.optional(
    v.pipe(
      v.strictObject({
        ...documentEntries,
        dueDate: CalendarDateSchema,
        paidMinor: v.optional(MoneyMinorSchema),
      }),
      amountsAddUp(),
    ),
  ),
  creditNote: v.optional(
    v.pipe(v.strictObject({ ...documentEntries, creditsNumber: text({ max: 64 }) }), amountsAddUp()),
  ),
  reason: v.optional(text({ max: 1000, min: 0, multiline: true })),
};

type Flat = v.InferOutput<v.StrictObjectSchema<typeof entries, undefined>>;

/** Each type takes its own fields only, and must have the one it is about. */
const fitsItsType = v.rawCheck<Flat>(({ dataset, addIssue }) => {
  if (!dataset.typed) return;
  const body = dataset.value;
  const own = new Set<string>(fields[body.type]);
  const issue = (key: string, message: string) =>
    addIssue({
      message,
      path: [{ type: 'object', origin: 'value', input: body, key, value: body[key as keyof Flat] }],
    });
  const needed = required[body.type];
  if (needed && body[needed as keyof Flat] === undefined) issue(needed, `required for a ${body.type} event`);
  for (const key of Object.keys(body))
    if (TYPE_FIELDS.has(key) && !own.has(key)) issue(key, `not part of a ${body.type} event`);
  const lineNos = (body.type === 'shipped' ? body.shipment?.lines : body.lines)?.map((l) => l.lineNo) ?? [];
  lineNos.forEach((n, i) => {
    if (lineNos.indexOf(n) !== i)
      issue(body.type === 'shipped' ? 'shipment' : 'lines', `line ${n} is named more than once`);
  });
});

export const ErpEventSchema = v.pipe(v.strictObject(entries), fitsItsType);
export type ErpEventInput = v.InferOutput<typeof ErpEventSchema>;

/** The checked body as the domain's event; the check above guarantees the type's own field is there. */
export function toErpEvent(input: ErpEventInput): ErpEvent {
  const { eventId, occurredAt } = input;
  const body = ((): ErpEventBody => {
    switch (input.type) {
      case 'acknowledged':
        return {
          type: 'acknowledged',
          erpOrderNumber: input.erpOrderNumber ?? missing('erpOrderNumber'),
          ...pick(input, 'lines'),
        };
      case 'shipped':
        return { type: 'shipped', shipment: input.shipment ?? missing('shipment') };
      case 'delivered':
        return { type: 'delivered', ...pick(input, 'shipmentId') };
      case 'invoiced':
        return { type: 'invoiced', invoice: input.invoice ?? missing('invoice') };
      case 'credited':
        return { type: 'credited', creditNote: input.creditNote ?? missing('creditNote') };
      case 'cancelled':
        return { type: 'cancelled', ...pick(input, 'reason') };
    }
  })();
  return { eventId, occurredAt, body };
}

const pick = <T extends object, K extends keyof T>(o: T, key: K): Partial<Pick<T, K>> =>
  o[key] === undefined ? {} : ({ [key]: o[key] } as Pick<T, K>);

function missing(field: string): never {
  throw new Error(`${field} passed the type check without being there`);
}

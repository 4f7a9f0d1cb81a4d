import * as v from 'valibot';
import { QUOTE_STATES, QUOTE_VERSION_KINDS, type QuoteState } from '../domain/quote-terms';
import { MAX_ATTACHMENTS, MAX_QUOTE_LINES } from '../domain/quotes';
import { PageParams } from '../http/paging';
import { CheckoutBody } from './checkout';
import { CalendarDateSchema, CartIdSchema, IdSchema, NoteSchema, QuantitySchema, text } from './schemas';

/** Bodies and answers of the quote API (docs/quotes.md). */

// a price field's own bounds are checked against the contract price in the domain (422 with the path)
const PriceSchema = v.pipe(v.number(), v.safeInteger('minor units are whole numbers'));
const LineNoSchema = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_QUOTE_LINES));
const MessageSchema = text({ max: 4000, multiline: true });
const lines = <T extends v.GenericSchema>(item: T) =>
  v.pipe(
    v.array(item),
    v.minLength(1, 'at least one line'),
    v.maxLength(MAX_QUOTE_LINES, `at most ${MAX_QUOTE_LINES} lines`),
  );

const Attachments = v.pipe(
  v.array(v.strictObject({ url: text({ max: 2000 }), name: v.optional(v.nullable(text({ max: 200 }))) })),
  v.maxLength(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} attachments`),
);

export const QuoteRequestBody = v.strictObject({
  /** the buyer's cart to ask about (`current` or a cart id); or `lines` */
  cartId: v.optional(CartIdSchema),
  lines: v.optional(
    lines(
      v.strictObject({
        sku: text({ max: 64 }),
        quantity: QuantitySchema,
        targetUnitPriceMinor: v.optional(v.nullable(PriceSchema)),
        note: v.optional(v.nullable(NoteSchema)),
      }),
    ),
  ),
  message: v.optional(v.nullable(MessageSchema)),
  wantedDeliveryDate: v.optional(CalendarDateSchema),
  attachments: v.optional(Attachments),
});

export const QuoteBody = v.strictObject({
  lines: lines(
    v.strictObject({
      lineNo: LineNoSchema,
      unitPriceMinor: v.optional(PriceSchema),
      discountBps: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))),
      quantity: v.optional(QuantitySchema),
    }),
  ),
  validUntil: CalendarDateSchema,
  paymentTerms: v.optional(v.nullable(text({ max: 500, multiline: true }))),
  deliveryTerms: v.optional(v.nullable(text({ max: 500, multiline: true }))),
  message: v.optional(v.nullable(MessageSchema)),
  attachments: v.optional(Attachments),
});

export const CounterBody = v.strictObject({
  lines: lines(
    v.strictObject({
      lineNo: LineNoSchema,
      quantity: v.optional(QuantitySchema),
      targetUnitPriceMinor: v.optional(v.nullable(PriceSchema)),
      note: v.optional(v.nullable(NoteSchema)),
    }),
  ),
  message: v.optional(v.nullable(MessageSchema)),
});

export const AcceptBody = v.strictObject({
  /** the version accepted: the current one */
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
  ...CheckoutBody.entries,
});

export const DeclineBody = v.strictObject({ reason: text({ max: 1000, multiline: true }) });
export const WithdrawBody = v.strictObject({
  reason: v.optional(v.nullable(text({ max: 1000, multiline: true }))),
});

export const QuoteParam = v.strictObject({ id: IdSchema });

const isState = (s: string): s is QuoteState => (QUOTE_STATES as readonly string[]).includes(s);
// checked as one string, so a bad value is reported on `state` itself
const StateList = v.pipe(
  v.string(),
  v.check((s) => s.split(',').every((x) => isState(x.trim())), `one or more of ${QUOTE_STATES.join(', ')}`),
  v.transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(isState),
  ),
);
export const QuoteListQuery = v.strictObject({ state: v.optional(StateList), ...PageParams });
export const RepQuoteListQuery = v.strictObject({
  state: v.optional(StateList),
  companyId: v.optional(IdSchema),
  ...PageParams,
});
export const QuoteCursor = v.object({ at: v.number(), id: v.string() });

const n = v.nullable(v.number());
export const QuoteLine = v.object({
  lineNo: v.number(),
  sku: v.string(),
  quantity: v.number(),
  targetUnitPriceMinor: n,
  unitPriceMinor: n,
  discountBps: n,
  contractUnitPriceMinor: n,
  note: v.nullable(v.string()),
  lineTotalMinor: n,
  contractLineTotalMinor: n,
  discountPercent: n,
  /** always null: the catalog holds no cost price (docs/quotes.md) */
  marginPercent: v.null(),
});

export const QuoteHeader = v.object({
  id: v.string(),
  companyId: v.string(),
  number: v.string(),
  state: v.picklist(QUOTE_STATES),
  requestedBy: v.string(),
  repUserId: v.nullable(v.string()),
  currency: v.string(),
  currentVersion: v.number(),
  validUntil: v.nullable(v.string()),
  wantedDeliveryDate: v.nullable(v.string()),
  sourceCartId: v.nullable(v.string()),
  orderId: v.nullable(v.string()),
  decisionReason: v.nullable(v.string()),
  requestedAt: v.number(),
  firstQuotedAt: n,
  decidedAt: n,
  updatedAt: v.number(),
});

export const Quote = v.object({
  ...QuoteHeader.entries,
  versions: v.array(
    v.object({
      version: v.number(),
      kind: v.picklist(QUOTE_VERSION_KINDS),
      authorId: v.string(),
      message: v.nullable(v.string()),
      validUntil: v.nullable(v.string()),
      paymentTerms: v.nullable(v.string()),
      deliveryTerms: v.nullable(v.string()),
      attachments: v.array(v.object({ url: v.string(), name: v.nullable(v.string()) })),
      createdAt: v.number(),
      lines: v.array(QuoteLine),
      totalMinor: n,
      contractTotalMinor: n,
    }),
  ),
});

export const AcceptedQuote = v.object({
  quote: Quote,
  order: v.object({ id: v.string(), status: v.string() }),
});

export const QuoteListItem = v.object({ ...QuoteHeader.entries, companyName: v.string() });

import * as v from 'valibot';
import { OUTCOMES } from '../domain/quick-order/outcomes';
import { Cart } from './cart-schemas';
import { CartIdSchema, NoteSchema, QuantitySchema, text } from './schemas';

/** Answers of quick order, list add-to-cart and reorder: one outcome per line (docs/quick-order.md). */
const Rule = v.picklist(['whole_units', 'pack', 'minimum', 'multiple']);
// money fields are absent without prices.view (src/http/prices-visibility.ts)
const Price = v.nullable(
  v.object({
    currency: v.string(),
    unitMinor: v.optional(v.number()),
    listMinor: v.optional(v.nullable(v.number())),
    lineTotalMinor: v.optional(v.nullable(v.number())),
    ruleId: v.optional(v.nullable(v.string())),
    tierMinQuantity: v.optional(v.number()),
  }),
);
const SalesRep = v.nullable(v.object({ name: v.string(), email: v.string() }));

export const ResolvedLine = v.object({
  line: v.number(),
  text: v.string(),
  reference: v.string(),
  note: v.nullable(v.string()),
  requestedQuantity: v.nullable(v.number()),
  outcome: v.picklist(OUTCOMES),
  sku: v.optional(v.string()),
  name: v.optional(v.string()),
  matchedBy: v.optional(v.picklist(['sku', 'company_part_number'])),
  partNumber: v.optional(v.nullable(v.string())),
  quantity: v.optional(v.number()),
  rules: v.optional(v.array(Rule)),
  message: v.optional(v.string()),
  reason: v.optional(v.string()),
  price: v.optional(Price),
  leadTimeDays: v.optional(v.number()),
  replacement: v.optional(
    v.object({ sku: v.string(), name: v.string(), quantity: v.number(), rules: v.array(Rule), price: Price }),
  ),
  closeMatches: v.optional(
    v.array(
      v.object({
        sku: v.string(),
        name: v.string(),
        matchedBy: v.picklist(['normalised', 'manufacturer_part_number', 'company_part_number', 'similar']),
        matched: v.string(),
      }),
    ),
  ),
  salesRep: v.optional(SalesRep),
  availableQuantity: v.optional(v.number()),
  nextAvailabilityDate: v.optional(v.nullable(v.string())),
  mergedInto: v.optional(v.number()),
});

const counts = Object.fromEntries(OUTCOMES.map((o) => [o, v.number()])) as Record<
  (typeof OUTCOMES)[number],
  v.NumberSchema<undefined>
>;
export const Summary = v.object({ lines: v.number(), ...counts });

export const Resolution = v.object({
  currency: v.string(),
  priceSource: v.picklist(['index', 'sql']),
  priceGeneration: v.nullable(v.number()),
  summary: Summary,
  lines: v.array(ResolvedLine),
});

/** What add-to-cart answers: each line with whether it went into the cart, and the cart. */
export const AddedToCart = v.object({
  currency: v.string(),
  summary: v.object({ ...Summary.entries, added: v.number() }),
  lines: v.array(v.object({ ...ResolvedLine.entries, added: v.boolean(), refusal: v.optional(v.string()) })),
  cart: Cart,
});

export const CartTarget = {
  /** the cart to add to: `current` (default) or a cart id */
  cartId: v.optional(CartIdSchema, 'current'),
};

export const QuickOrderLines = v.strictObject({
  ...CartTarget,
  lines: v.pipe(
    v.array(
      v.strictObject({
        /** a SKU (a close match or replacement chosen from the resolve answer), or the company's part number */
        sku: text({ max: 64 }),
        quantity: QuantitySchema,
        note: v.optional(v.nullable(NoteSchema)),
        /** the line number of the resolve answer, echoed back */
        line: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))),
      }),
    ),
    v.minLength(1, 'send at least one line'),
    v.maxLength(1_000, 'at most 1,000 lines per call'),
  ),
});

import * as v from 'valibot';

/** Response shapes of the cart routes (documentation; the values come from the services). */
const Header = {
  id: v.string(),
  ownerId: v.string(),
  name: v.nullable(v.string()),
  current: v.boolean(),
  shared: v.boolean(),
  version: v.number(),
  createdAt: v.number(),
  updatedAt: v.number(),
  // the sales rep who prepared the cart for its owner (docs/rep-workspace.md); null for the owner's own
  preparedBy: v.optional(v.nullable(v.string())),
};

export const CartSummary = v.object({ ...Header, lineCount: v.number() });

const Problem = v.object({
  code: v.picklist([
    'unknown_sku',
    'not_available',
    'obsolete',
    'not_orderable',
    'no_price',
    'below_minimum',
    'not_a_multiple',
    'short_stock',
  ]),
  replacement: v.optional(v.string()),
  nearestValidQuantity: v.optional(v.number()),
  availableQuantity: v.optional(v.number()),
  nextAvailabilityDate: v.optional(v.nullable(v.string())),
  salesRep: v.optional(v.nullable(v.object({ name: v.string(), email: v.string() }))),
});

// Money fields are absent for a caller without prices.view (src/http/prices-visibility.ts).
const Line = v.object({
  id: v.string(),
  sku: v.string(),
  quantity: v.number(),
  unitMinor: v.optional(v.nullable(v.number())),
  listMinor: v.optional(v.nullable(v.number())),
  lineTotalMinor: v.optional(v.nullable(v.number())),
  savingsMinor: v.optional(v.nullable(v.number())),
  tierMinQuantity: v.optional(v.nullable(v.number())),
  ruleId: v.optional(v.nullable(v.string())),
  ruleIds: v.optional(v.array(v.string())),
  leadTimeDays: v.number(),
  problems: v.array(Problem),
  /** the buyer's line note, kept through checkout into the order line */
  note: v.nullable(v.string()),
});

export const Cart = v.object({
  ...Header,
  currency: v.string(),
  priceSource: v.picklist(['index', 'sql']),
  priceGeneration: v.nullable(v.number()),
  lines: v.array(Line),
  offers: v.optional(
    v.object({
      applied: v.array(
        v.object({
          offerId: v.string(),
          name: v.string(),
          description: v.string(),
          discountMinor: v.number(),
          explanation: v.string(),
          lineIds: v.array(v.string()),
        }),
      ),
      hints: v.array(v.object({ offerId: v.string(), message: v.string() })),
    }),
  ),
  totals: v.object({
    subtotalMinor: v.optional(v.number()),
    offerDiscountMinor: v.optional(v.number()),
    totalMinor: v.optional(v.number()),
    savingsMinor: v.optional(v.number()),
    lineCount: v.number(),
    blockingLines: v.number(),
    orderable: v.boolean(),
  }),
});

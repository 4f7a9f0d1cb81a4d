import * as v from 'valibot';
import { ACCOUNT_SORTS } from '../services/rep/accounts';
import { ENTRY_SOURCES } from '../services/rep/assist-orders';
import { CheckoutBody } from './checkout';
import { IdSchema, NameSchema, NotedLineSchema, NoteSchema, text } from './schemas';

/** Request and response shapes of the rep's workspace (docs/rep-workspace.md). */

const OffsetSchema = v.optional(
  v.pipe(v.string(), v.toNumber(), v.integer('offset must be an integer'), v.minValue(0)),
  '0',
);
const LimitSchema = v.optional(
  v.pipe(v.string(), v.toNumber(), v.integer('limit must be an integer'), v.minValue(1), v.maxValue(200)),
  '50',
);

export const AccountsQuery = v.strictObject({
  repId: v.optional(IdSchema),
  q: v.optional(text({ max: 100 })),
  alert: v.optional(v.picklist(['reactivation'])),
  hasPending: v.optional(v.picklist(['true', 'false'])),
  sort: v.optional(v.picklist(ACCOUNT_SORTS), 'name'),
  order: v.optional(v.picklist(['asc', 'desc'])),
  offset: OffsetSchema,
  limit: LimitSchema,
});

const Account = v.object({
  id: v.string(),
  name: v.string(),
  status: v.picklist(['active', 'suspended']),
  currency: v.string(),
  repUserId: v.nullable(v.string()),
  lastOrderAt: v.nullable(v.number()),
  daysSinceLastOrder: v.nullable(v.number()),
  revenue30dMinor: v.number(),
  revenuePrevious30dMinor: v.number(),
  revenue90dMinor: v.number(),
  trendPercent: v.nullable(v.number()),
  cadenceDays: v.nullable(v.number()),
  alerts: v.array(v.picklist(['reactivation'])),
  openCarts: v.object({
    count: v.number(),
    valueMinor: v.number(),
    oldestAt: v.nullable(v.number()),
    asOf: v.nullable(v.number()),
  }),
  pendingApprovals: v.number(),
  quotesWaiting: v.number(),
  failedExports: v.number(),
  recurringProblems: v.number(),
});

export const AccountsPage = v.object({
  items: v.array(Account),
  total: v.number(),
  nextOffset: v.nullable(v.number()),
  // when the figures were computed (they are kept up to 15 s per server instance)
  figuresAt: v.number(),
});

const MAX_LINES = 1_000;
const Lines = v.pipe(
  v.array(NotedLineSchema),
  v.minLength(1, 'send at least one line'),
  v.maxLength(MAX_LINES, `at most ${MAX_LINES} lines`),
);

export const PrepareCartBody = v.strictObject({ forUserId: IdSchema, name: NameSchema, lines: Lines });

export const RepCheckoutBody = CheckoutBody;

export const EnteredOrderBody = v.strictObject({
  forUserId: IdSchema,
  source: v.picklist(ENTRY_SOURCES),
  lines: Lines,
  checkout: v.optional(CheckoutBody, {}),
  note: v.optional(NoteSchema),
});

export const CartsQuery = v.strictObject({ userId: v.optional(IdSchema) });

export const SentCart = v.object({
  cartId: v.string(),
  eventId: v.string(),
  sentTo: v.object({ id: v.string(), name: v.string(), email: v.string() }),
});

export const RepSettings = v.object({ repMayPlaceOrders: v.boolean(), repSeesCarts: v.boolean() });
export const RepSettingsPatch = v.pipe(
  v.strictObject({ repMayPlaceOrders: v.optional(v.boolean()), repSeesCarts: v.optional(v.boolean()) }),
  v.check((p) => Object.keys(p).length > 0, 'send repMayPlaceOrders, repSeesCarts or both'),
);

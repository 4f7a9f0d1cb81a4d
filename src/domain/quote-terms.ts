/**
 * The closed vocabulary of quotes (request for quote → negotiated quote → order) and the one table of
 * their legal transitions, shared by storage, services and API.
 */
export const QUOTE_STATES = [
  'requested',
  'quoted',
  'countered',
  'accepted',
  'ordered',
  'declined',
  'expired',
  'withdrawn',
] as const;
export type QuoteState = (typeof QUOTE_STATES)[number];

/** Who wrote a version: the buyer's request or counter, or the rep's quote or revision. */
export const QUOTE_VERSION_KINDS = ['request', 'quote', 'counter'] as const;
export type QuoteVersionKind = (typeof QUOTE_VERSION_KINDS)[number];

export const QUOTE_ACTIONS = [
  'quote', // the rep answers a request or a counter with prices (a new version)
  'counter', // the buyer proposes other quantities or prices on quoted lines (a new version)
  'accept', // the buyer accepts the current quote within its validity
  'order', // the accepted quote's order was placed (the system, right after accept)
  'decline', // the buyer declines the current quote, with a reason
  'withdraw', // the rep (or the requesting buyer, before any quote) takes it back
  'expire', // the cron, past the current quote's validity
] as const;
export type QuoteAction = (typeof QUOTE_ACTIONS)[number];

/** state → action → next state; a pair missing here is an illegal transition (409). */
export const QUOTE_TRANSITIONS: Readonly<Record<QuoteState, Partial<Record<QuoteAction, QuoteState>>>> = {
  requested: { quote: 'quoted', withdraw: 'withdrawn' },
  quoted: {
    quote: 'quoted',
    counter: 'countered',
    accept: 'accepted',
    decline: 'declined',
    withdraw: 'withdrawn',
    expire: 'expired',
  },
  countered: { quote: 'quoted', withdraw: 'withdrawn' },
  // accepted → ordered once the order exists; a retried accept finds the same order (idempotent key)
  accepted: { order: 'ordered' },
  ordered: {},
  declined: {},
  expired: {},
  withdrawn: {},
};

export const nextQuoteState = (state: QuoteState, action: QuoteAction): QuoteState | null =>
  QUOTE_TRANSITIONS[state][action] ?? null;

/** The states nothing can leave. */
export const FINAL_QUOTE_STATES: readonly QuoteState[] = ['ordered', 'declined', 'expired', 'withdrawn'];

/**
 * The closed vocabularies of orders, their approval and budget configuration and their notifications,
 * shared by storage and API.
 */
export const ORDER_STATUSES = ['pending_approval', 'placed', 'rejected', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * How an order was placed; the autonomy rate counts the customer's own channels. Orders placed before the
 * column existed are `web`.
 */
export const ORDER_CHANNELS = [
  'web',
  'punchout',
  'partner_api',
  'recurring',
  'quote',
  'rep_assisted',
  'rep_entered',
] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];

export const DELIVERY_MODES = ['standard', 'express', 'pickup'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const APPROVAL_POLICY_KINDS = [
  'amount',
  'two_levels',
  'cost_center',
  'categories',
  'first_order',
] as const;
export type ApprovalPolicyKind = (typeof APPROVAL_POLICY_KINDS)[number];

export const BUDGET_PERIODS = ['month', 'quarter', 'year'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

/** When checkout insists on a cost center: while the company has an active budget (default), always, never. */
export const COST_CENTER_RULES = ['when_budgeted', 'always', 'never'] as const;
export type CostCenterRule = (typeof COST_CENTER_RULES)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;
export type NotificationDeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Channels where the customer's own people or systems placed the order (the autonomy rate's numerator);
 * `quote`, `rep_assisted` and `rep_entered` involve the sales rep.
 */
const AUTONOMOUS_CHANNELS: ReadonlySet<OrderChannel> = new Set([
  'web',
  'punchout',
  'partner_api',
  'recurring',
]);
export const isAutonomousChannel = (channel: OrderChannel): boolean => AUTONOMOUS_CHANNELS.has(channel);

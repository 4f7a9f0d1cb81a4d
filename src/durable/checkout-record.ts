import type { ApprovalStep } from '../domain/approvals';
import type { CheckoutInput } from '../domain/checkout';
import { formatId } from '../domain/ids';
import type { OrderChannel } from '../domain/order-terms';

/**
 * The idempotency record of a checkout, one row per Idempotency-Key in the `checkouts` table (owned here).
 * A row `in_progress` is the cart's lock while its checkout runs; `done` keeps the answer for replays.
 */
export const CHECKOUT_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS checkouts (
    idempotency_key TEXT PRIMARY KEY, cart_id TEXT NOT NULL, user_id TEXT NOT NULL, order_id TEXT NOT NULL,
    state TEXT NOT NULL, decision TEXT, result TEXT, started_at INTEGER NOT NULL, finished_at INTEGER)`,
  'CREATE INDEX IF NOT EXISTS checkouts_cart ON checkouts (cart_id, state)',
];

/** Storage version 5: the cart version a checkout priced, so it never consumes a cart changed since. */
export const CHECKOUT_CART_VERSION = ['ALTER TABLE checkouts ADD COLUMN cart_version INTEGER'];

/** Storage version 6: the fingerprint of the request a key was first used for. */
export const CHECKOUT_FINGERPRINT = ['ALTER TABLE checkouts ADD COLUMN fingerprint TEXT'];

export interface CheckoutRequest {
  userId: string;
  /** a company admin may check out a colleague's shared cart (the ownership rule in cart-store.ts) */
  isAdmin: boolean;
  cartId: string;
  idempotencyKey: string;
  input: CheckoutInput;
  requestId: string;
  now: number;
  /** how the order is placed and what is behind it (a schedule's id); absent: `web` */
  channel?: { channel: OrderChannel; ref: string | null };
  /**
   * The order was approved in the partner's own system (a punch-out partner trusted for it): the company's
   * approval chain is not asked; budgets and spending caps are still charged, and a budget set to refuse
   * still refuses (checkout.ts `decide`).
   */
  trustedApproval?: boolean;
  /** a hash of what a line order's caller sent (line-orders.ts): then what the key stands for */
  content?: string;
  /**
   * The prices agreed for this cart's lines beforehand (an accepted quote, line-orders.ts): the cart must
   * hold exactly these lines, in this order, and they are charged at these unit prices instead of the
   * index's. Absent on every other checkout.
   */
  agreed?: AgreedLines;
}

/** Lines at unit prices agreed beforehand, in the currency they were agreed in. */
export interface AgreedLines {
  currency: string;
  lines: readonly { sku: string; quantity: number; unitPriceMinor: number }[];
}

export type PreviewRequest = Omit<
  CheckoutRequest,
  'idempotencyKey' | 'requestId' | 'channel' | 'trustedApproval' | 'content' | 'agreed'
>;

export interface CheckoutOutcome {
  status: 'placed' | 'pending_approval';
  orderId: string;
  currency: string;
  totalMinor: number;
  lineCount: number;
  priceGeneration: number | null;
  approvalSteps: ApprovalStep[];
}

/** What the object decided for the order, kept with the record so a resumed checkout reports the same steps. */
export interface CheckoutDecision {
  status: 'placed' | 'pending_approval';
  steps: ApprovalStep[];
  budget: { budgetId: string; periodKey: string } | null;
}

export interface CheckoutRow extends Record<string, SqlStorageValue> {
  idempotency_key: string;
  cart_id: string;
  user_id: string;
  order_id: string;
  state: 'in_progress' | 'done';
  decision: string | null;
  result: string | null;
  /** the cart version the order was priced from; null until decided (or on records older than version 5) */
  cart_version: number | null;
  /** SHA-256 of the canonical request (see `requestFingerprint`); null on records older than version 6 */
  fingerprint: string | null;
}

/** The order id of a checkout: the same company and Idempotency-Key always give the same id. */
export async function orderIdFor(companyId: string, idempotencyKey: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`${companyId}\n${idempotencyKey}`),
  );
  return formatId('ord', new Uint8Array(digest));
}

/** JSON with keys in order and absent fields left out: two equal requests give the same text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What an Idempotency-Key stands for: the cart, the user and the checkout body (after validation). The
 * same key with anything else is a different request, refused rather than answered with the first order.
 */
export async function requestFingerprint(
  req: Pick<CheckoutRequest, 'cartId' | 'userId' | 'input' | 'content'>,
) {
  // a line order's content (the partner's document or body) determines its user and input, which are
  // derived from it at the time (a default ship-to, a date already past): the content alone is compared
  const text =
    req.content === undefined
      ? canonical({ cartId: req.cartId, userId: req.userId, input: req.input })
      : canonical({ cartId: req.cartId, content: req.content });
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** True when a stored record was made for this request (records without a fingerprint: same cart and user). */
export const sameRequest = (row: CheckoutRow, req: CheckoutRequest, fingerprint: string): boolean =>
  row.fingerprint === null
    ? row.cart_id === req.cartId && row.user_id === req.userId
    : row.fingerprint === fingerprint;

export class CheckoutRecords {
  constructor(private readonly storage: DurableObjectStorage) {}

  private get sql() {
    return this.storage.sql;
  }

  get(key: string): CheckoutRow | undefined {
    return this.sql.exec<CheckoutRow>('SELECT * FROM checkouts WHERE idempotency_key = ?', key).toArray()[0];
  }

  /** Unfinished checkouts of the cart under other keys: running now, or interrupted. */
  othersInProgress(cartId: string, key: string): CheckoutRow[] {
    return this.sql
      .exec<CheckoutRow>(
        "SELECT * FROM checkouts WHERE cart_id = ? AND idempotency_key != ? AND state = 'in_progress'",
        cartId,
        key,
      )
      .toArray();
  }

  /** True once a checkout of the cart finished: the cart became an order. */
  orderedCart(cartId: string): boolean {
    return (
      this.sql.exec("SELECT 1 FROM checkouts WHERE cart_id = ? AND state = 'done'", cartId).toArray().length >
      0
    );
  }

  open(req: CheckoutRequest, orderId: string, fingerprint: string): void {
    this.sql.exec(
      "INSERT INTO checkouts (idempotency_key, cart_id, user_id, order_id, state, started_at, fingerprint) VALUES (?, ?, ?, ?, 'in_progress', ?, ?)",
      req.idempotencyKey,
      req.cartId,
      req.userId,
      orderId,
      req.now,
      fingerprint,
    );
  }

  decided(key: string, decision: CheckoutDecision, cartVersion: number): void {
    this.sql.exec(
      'UPDATE checkouts SET decision = ?, cart_version = ? WHERE idempotency_key = ?',
      JSON.stringify(decision),
      cartVersion,
      key,
    );
  }

  decisionOf(row: CheckoutRow): CheckoutDecision | null {
    return row.decision ? JSON.parse(row.decision) : null;
  }

  done(key: string, outcome: CheckoutOutcome, at: number): void {
    this.sql.exec(
      "UPDATE checkouts SET state = 'done', result = ?, finished_at = ? WHERE idempotency_key = ?",
      JSON.stringify(outcome),
      at,
      key,
    );
  }

  /** Forgets an unfinished checkout: nothing of it was kept, so its key can be used again. */
  drop(key: string): void {
    this.sql.exec("DELETE FROM checkouts WHERE idempotency_key = ? AND state = 'in_progress'", key);
  }
}

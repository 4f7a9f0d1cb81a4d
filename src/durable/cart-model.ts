import type { FieldIssue } from '../domain/errors';
import { fail, type ObjectFailure } from './result';

/**
 * What a cart is inside the company's object: its records, its table layout, the ownership rule and the
 * pure arithmetic of adding lines. The cart store (cart-store.ts) is the only writer of these tables.
 */
export const MAX_CART_LINES = 1_000;

export interface CartLineRecord {
  id: string;
  sku: string;
  quantity: number;
  /** the buyer's line note, kept through checkout into the order line */
  note: string | null;
  addedAt: number;
}

export interface CartRecord {
  id: string;
  ownerId: string;
  /** null for the owner's current cart */
  name: string | null;
  current: boolean;
  shared: boolean;
  version: number;
  createdAt: number;
  updatedAt: number;
  /**
   * the sales rep who prepared the cart for its owner (docs/rep-workspace.md); null for the owner's own.
   * Optional for carts made outside the store (a line order's preview): absent means null.
   */
  preparedBy?: string | null;
  lines: CartLineRecord[];
}

export interface CartSummary extends Omit<CartRecord, 'lines'> {
  lineCount: number;
}

export interface CartRow extends Record<string, SqlStorageValue> {
  id: string;
  owner_id: string;
  name: string | null;
  is_current: number;
  shared: number;
  version: number;
  created_at: number;
  updated_at: number;
  /** storage version 9; null on carts made before it and on every cart not prepared by a rep */
  prepared_by: string | null;
}

/** The cart without its lines, from its row. */
export const summaryOf = (row: CartRow): Omit<CartRecord, 'lines'> => ({
  id: row.id,
  ownerId: row.owner_id,
  name: row.name,
  current: row.is_current === 1,
  shared: row.shared === 1,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  preparedBy: row.prepared_by ?? null,
});

export const CART_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS carts (
    id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, name TEXT, is_current INTEGER NOT NULL DEFAULT 0,
    shared INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  'CREATE UNIQUE INDEX IF NOT EXISTS carts_one_current ON carts (owner_id) WHERE is_current = 1',
  'CREATE INDEX IF NOT EXISTS carts_owner ON carts (owner_id, updated_at)',
  `CREATE TABLE IF NOT EXISTS cart_lines (
    id TEXT PRIMARY KEY, cart_id TEXT NOT NULL REFERENCES carts(id) ON DELETE CASCADE, sku TEXT NOT NULL,
    quantity INTEGER NOT NULL, position INTEGER NOT NULL, added_at INTEGER NOT NULL)`,
  'CREATE UNIQUE INDEX IF NOT EXISTS cart_lines_sku ON cart_lines (cart_id, sku)',
];

/** Line notes ("pour le chantier Dupont"): a storage version of their own, after the existing ones. */
export const CART_LINE_NOTES = ['ALTER TABLE cart_lines ADD COLUMN note TEXT'];

/** Carts a sales rep prepared for a buyer (docs/rep-workspace.md): who prepared them, in a version of its own. */
export const CART_PREPARED_BY = ['ALTER TABLE carts ADD COLUMN prepared_by TEXT'];

/** A line to add: a SKU, a quantity and an optional note. */
export interface NewCartLine {
  sku: string;
  quantity: number;
  note?: string | null;
}

export const MAX_NOTE_LENGTH = 500;

/** A note added to a line that has one keeps both, once each, within the note's length. */
export function joinNotes(existing: string | null, added: string | null | undefined): string | null {
  if (!added) return existing;
  if (!existing || existing === added) return added;
  if (existing.split(' / ').includes(added)) return existing;
  return `${existing} / ${added}`.slice(0, MAX_NOTE_LENGTH);
}

/** What a caller wants to happen only if the cart is still at this version (If-Match). */
export type ExpectedVersion = number | undefined;

/** Who works on a cart, and whether they administer their company (`users.manage`). */
export interface CartActor {
  userId: string;
  isAdmin: boolean;
}

/**
 * The one ownership rule. A cart is seen, and its lines changed, by its owner and — once shared — by every
 * colleague who may manage carts. The cart itself is disposed of only by its owner or a company admin:
 * renamed, shared or unshared, deleted, or checked out (which consumes it). A colleague copies it first.
 */
export function refusedDisposal(
  cart: { ownerId: string },
  actor: CartActor,
  what: string,
): ObjectFailure | null {
  return cart.ownerId === actor.userId || actor.isAdmin
    ? null
    : fail('forbidden', `Only the cart's owner or a company admin may ${what} it; copy it to make it yours`);
}

/**
 * Which of `lines` fit in a cart holding `existing`, taken in order: a line that would take its SKU over
 * `maxQuantity`, or the cart over its line count, is refused with the reason; the others are merged.
 */
export function fitLines(
  existing: ReadonlyMap<string, { quantity: number }>,
  lines: readonly NewCartLine[],
  maxQuantity: number,
): { merged: Map<string, number>; refused: { index: number; message: string }[] } {
  const merged = new Map<string, number>();
  const refused: { index: number; message: string }[] = [];
  let count = existing.size;
  for (const [index, l] of lines.entries()) {
    const before = merged.get(l.sku) ?? existing.get(l.sku)?.quantity;
    const quantity = (before ?? 0) + l.quantity;
    if (quantity > maxQuantity) {
      refused.push({ index, message: `the cart would hold more than ${maxQuantity} of ${l.sku}` });
    } else if (before === undefined && count >= MAX_CART_LINES) {
      refused.push({ index, message: `a cart holds at most ${MAX_CART_LINES} lines` });
    } else {
      if (before === undefined) count++;
      merged.set(l.sku, quantity);
    }
  }
  return { merged, refused };
}

/**
 * The quantities after adding `lines` to a cart holding `existing` (a SKU already there adds up, and so do
 * repeats within the call), or every reason it cannot be done, with its field path.
 */
export function mergeLines(
  existing: ReadonlyMap<string, { quantity: number }>,
  lines: readonly NewCartLine[],
  maxQuantity: number,
): { merged: Map<string, number>; issues: FieldIssue[] } {
  const merged = new Map<string, number>();
  for (const l of lines)
    merged.set(l.sku, (merged.get(l.sku) ?? existing.get(l.sku)?.quantity ?? 0) + l.quantity);
  const issues = lines.flatMap((l, i) =>
    (merged.get(l.sku) ?? 0) > maxQuantity
      ? [{ path: `lines.${i}.quantity`, message: `the cart would hold more than ${maxQuantity} of ${l.sku}` }]
      : [],
  );
  const added = [...merged.keys()].filter((sku) => !existing.has(sku)).length;
  if (existing.size + added > MAX_CART_LINES) {
    issues.push({ path: 'lines', message: `a cart holds at most ${MAX_CART_LINES} lines` });
  }
  return { merged, issues };
}

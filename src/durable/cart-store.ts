import { newId } from '../lib/ids';
import {
  type CartActor,
  type CartRecord,
  type CartRow,
  type CartSummary,
  type ExpectedVersion,
  fitLines,
  joinNotes,
  mergeLines,
  type NewCartLine,
  refusedDisposal,
  summaryOf,
} from './cart-model';
import { fail, isFailure, type ObjectFailure, type ObjectResult, ok } from './result';

/**
 * Carts inside one company's Durable Object (its SQLite storage); this module owns the `carts` and
 * `cart_lines` tables, and other modules change them only through its methods. Every method runs
 * synchronously, so two requests for one cart can never interleave. Expected failures are values.
 */
export class CartStore {
  /** carts a running checkout holds: no write until it ends (in memory: an interrupted checkout holds nothing) */
  private readonly held = new Set<string>();

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private get sql() {
    return this.storage.sql;
  }

  private row(id: string): CartRow | undefined {
    return this.sql.exec<CartRow>('SELECT * FROM carts WHERE id = ?', id).toArray()[0];
  }

  private record(row: CartRow): CartRecord {
    const lines = this.sql
      .exec<{ id: string; sku: string; quantity: number; note: string | null; added_at: number }>(
        'SELECT id, sku, quantity, note, added_at FROM cart_lines WHERE cart_id = ? ORDER BY position, id',
        row.id,
      )
      .toArray()
      .map((l) => ({ id: l.id, sku: l.sku, quantity: l.quantity, note: l.note, addedAt: l.added_at }));
    return { ...summaryOf(row), lines };
  }

  /** A cart the user may see: their own, or one shared with the company. Others' private carts do not exist. */
  private visible(userId: string, cartId: string): CartRow | ObjectFailure {
    const row = this.row(cartId);
    if (!row || (row.owner_id !== userId && row.shared !== 1)) return fail('not_found', 'Cart not found');
    return row;
  }

  private writable(userId: string, cartId: string, expected: ExpectedVersion): CartRow | ObjectFailure {
    const row = this.visible(userId, cartId);
    if (isFailure(row)) return row;
    if (this.held.has(cartId)) {
      return fail('cart_locked', 'This cart is being checked out; nothing in it changes until that ends');
    }
    if (expected !== undefined && expected !== row.version) {
      return fail('conflict', `The cart changed since version ${expected}; it is at version ${row.version}`);
    }
    return row;
  }

  private bump(cartId: string): void {
    this.sql.exec('UPDATE carts SET version = version + 1, updated_at = ? WHERE id = ?', this.now(), cartId);
  }

  list(userId: string): CartSummary[] {
    return this.sql
      .exec<CartRow & { line_count: number }>(
        `SELECT c.*, (SELECT count(*) FROM cart_lines l WHERE l.cart_id = c.id) AS line_count
         FROM carts c WHERE c.owner_id = ? OR c.shared = 1 ORDER BY c.is_current DESC, c.updated_at DESC, c.id`,
        userId,
      )
      .toArray()
      .map((r) => ({ ...summaryOf(r), lineCount: r.line_count }));
  }

  /** The user's current cart, created empty on first use. */
  current(userId: string): CartRecord {
    const existing = this.sql
      .exec<CartRow>('SELECT * FROM carts WHERE owner_id = ? AND is_current = 1', userId)
      .toArray()[0];
    if (existing) return this.record(existing);
    const id = newId('cart');
    const at = this.now();
    this.sql.exec(
      'INSERT INTO carts (id, owner_id, name, is_current, shared, version, created_at, updated_at) VALUES (?, ?, NULL, 1, 0, 1, ?, ?)',
      id,
      userId,
      at,
      at,
    );
    return this.get(userId, id) as CartRecord;
  }

  get(userId: string, cartId: string): CartRecord | ObjectFailure {
    const row = this.visible(userId, cartId);
    return isFailure(row) ? row : this.record(row);
  }

  /** A named, saved cart; `copyFrom` copies the lines of a cart the user can see. */
  create(
    userId: string,
    input: { name: string; shared: boolean; copyFrom?: string },
  ): ObjectResult<CartRecord> {
    const source = input.copyFrom ? this.visible(userId, input.copyFrom) : undefined;
    if (source && isFailure(source)) {
      return fail('unprocessable', 'The cart to copy does not exist', [
        { path: 'copyFrom', message: 'no such cart' },
      ]);
    }
    const id = newId('cart');
    const at = this.now();
    this.storage.transactionSync(() => {
      this.sql.exec(
        'INSERT INTO carts (id, owner_id, name, is_current, shared, version, created_at, updated_at) VALUES (?, ?, ?, 0, ?, 1, ?, ?)',
        id,
        userId,
        input.name,
        input.shared ? 1 : 0,
        at,
        at,
      );
      if (source) {
        for (const line of this.record(source).lines) {
          this.insertLine(id, line, at);
        }
      }
    });
    return ok(this.get(userId, id) as CartRecord);
  }

  /**
   * A cart with a given id, owner and lines, made once: the cart a recurring order's occurrence is checked
   * out from (durable/recurring.ts). Not shared, not current; checkout consumes it like any other.
   */
  ensure(
    id: string,
    ownerId: string,
    name: string,
    lines: readonly { sku: string; quantity: number; note?: string | null }[],
  ): void {
    if (this.row(id)) return;
    const at = this.now();
    this.storage.transactionSync(() => {
      this.sql.exec(
        'INSERT INTO carts (id, owner_id, name, is_current, shared, version, created_at, updated_at) VALUES (?, ?, ?, 0, 0, 1, ?, ?)',
        id,
        ownerId,
        name,
        at,
        at,
      );
      for (const line of lines)
        this.insertLine(id, { sku: line.sku, quantity: line.quantity, note: line.note ?? null }, at);
    });
  }

  /**
   * A named cart a sales rep prepares for `ownerId` (docs/rep-workspace.md): the owner's like any other,
   * marked with who prepared it; all lines or none.
   */
  prepare(
    ownerId: string,
    preparedBy: string,
    name: string,
    lines: readonly NewCartLine[],
    maxQuantity: number,
  ): ObjectResult<CartRecord> {
    const { merged, issues } = mergeLines(new Map(), lines, maxQuantity);
    if (issues.length > 0) return fail('unprocessable', 'The lines cannot be added', issues);
    const id = newId('cart');
    const at = this.now();
    this.sql.exec(
      'INSERT INTO carts (id, owner_id, name, is_current, shared, version, created_at, updated_at, prepared_by) VALUES (?, ?, ?, 0, 0, 1, ?, ?, ?)',
      id,
      ownerId,
      name,
      at,
      at,
      preparedBy,
    );
    this.writeLines(id, new Map(), lines, merged);
    return ok(this.get(ownerId, id) as CartRecord);
  }

  /** Any cart of the company by id, whoever owns it: for the supplier's read-only views, never for writes. */
  peek(cartId: string): CartRecord | ObjectFailure {
    const row = this.row(cartId);
    return row ? this.record(row) : fail('not_found', 'Cart not found');
  }

  /** Every cart of the company (or of one owner), newest change first: the supplier's read-only list. */
  listAll(ownerId: string | null): CartSummary[] {
    return this.sql
      .exec<CartRow & { line_count: number }>(
        `SELECT c.*, (SELECT count(*) FROM cart_lines l WHERE l.cart_id = c.id) AS line_count
         FROM carts c WHERE ? IS NULL OR c.owner_id = ? ORDER BY c.updated_at DESC, c.id`,
        ownerId,
        ownerId,
      )
      .toArray()
      .map((r) => ({ ...summaryOf(r), lineCount: r.line_count }));
  }

  /** The carts holding at least one line, with their lines, and when their oldest line was added. */
  open(): { cart: CartRecord; oldestLineAt: number }[] {
    return this.sql
      .exec<CartRow & { oldest: number }>(
        `SELECT c.*, min(l.added_at) AS oldest FROM carts c JOIN cart_lines l ON l.cart_id = c.id
         GROUP BY c.id ORDER BY c.id`,
      )
      .toArray()
      .map((r) => ({ cart: this.record(r), oldestLineAt: r.oldest }));
  }

  /** Drops a cart made by `ensure` whose checkout did not happen (unless a checkout holds it right now). */
  discard(id: string): void {
    if (!this.held.has(id)) this.storage.transactionSync(() => this.drop(id));
  }

  update(
    actor: CartActor,
    cartId: string,
    expected: ExpectedVersion,
    changes: { name?: string; shared?: boolean },
  ): ObjectResult<CartRecord> {
    const row = this.writable(actor.userId, cartId, expected);
    if (isFailure(row)) return row;
    const refused = refusedDisposal(summaryOf(row), actor, 'rename, share or unshare');
    if (refused) return refused;
    if (row.is_current === 1 && (changes.name !== undefined || changes.shared)) {
      return fail(
        'conflict',
        'The current cart has no name and is not shared; save a copy under a name instead',
      );
    }
    this.storage.transactionSync(() => {
      if (changes.name !== undefined)
        this.sql.exec('UPDATE carts SET name = ? WHERE id = ?', changes.name, cartId);
      if (changes.shared !== undefined)
        this.sql.exec('UPDATE carts SET shared = ? WHERE id = ?', changes.shared ? 1 : 0, cartId);
      this.bump(cartId);
    });
    return ok(this.get(actor.userId, cartId) as CartRecord);
  }

  remove(actor: CartActor, cartId: string, expected: ExpectedVersion): ObjectResult<null> {
    const row = this.writable(actor.userId, cartId, expected);
    if (isFailure(row)) return row;
    const refused = refusedDisposal(summaryOf(row), actor, 'delete');
    if (refused) return refused;
    this.storage.transactionSync(() => this.drop(cartId));
    return ok(null);
  }

  /** A running checkout holds the cart: every write to it is refused until `release`. */
  hold(cartId: string): void {
    this.held.add(cartId);
  }

  release(cartId: string): void {
    this.held.delete(cartId);
  }

  /**
   * Checkout's end: the cart became an order and goes, but only if it is still at the version the order
   * was priced from. A cart changed since (lines added after an interrupted checkout) is kept whole, so
   * nothing a user was told was saved disappears. `version` null: a record from before versions were kept.
   */
  consume(cartId: string, version: number | null): boolean {
    const row = this.row(cartId);
    if (row && version !== null && row.version !== version) return false;
    this.drop(cartId);
    return true;
  }

  private drop(cartId: string): void {
    this.sql.exec('DELETE FROM cart_lines WHERE cart_id = ?', cartId);
    this.sql.exec('DELETE FROM carts WHERE id = ?', cartId);
  }

  private insertLine(cartId: string, line: NewCartLine, at: number): void {
    const position =
      this.sql
        .exec<{ p: number | null }>('SELECT max(position) AS p FROM cart_lines WHERE cart_id = ?', cartId)
        .one().p ?? 0;
    this.sql.exec(
      'INSERT INTO cart_lines (id, cart_id, sku, quantity, note, position, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      newId('line'),
      cartId,
      line.sku,
      line.quantity,
      line.note ?? null,
      position + 1,
      at,
    );
  }

  /** Writes merged quantities (and notes) of new lines into the cart and bumps its version, in one transaction. */
  private writeLines(
    cartId: string,
    existing: ReadonlyMap<string, { id: string; note: string | null }>,
    lines: readonly NewCartLine[],
    merged: ReadonlyMap<string, number>,
  ): void {
    const at = this.now();
    const notes = new Map<string, string | null>();
    for (const l of lines) {
      if (!merged.has(l.sku)) continue;
      notes.set(l.sku, joinNotes(notes.get(l.sku) ?? existing.get(l.sku)?.note ?? null, l.note));
    }
    this.storage.transactionSync(() => {
      for (const [sku, quantity] of merged) {
        const line = existing.get(sku);
        const note = notes.get(sku) ?? null;
        if (line)
          this.sql.exec('UPDATE cart_lines SET quantity = ?, note = ? WHERE id = ?', quantity, note, line.id);
        else this.insertLine(cartId, { sku, quantity, note }, at);
      }
      this.bump(cartId);
    });
  }

  /** Adds lines; a SKU already in the cart has its quantity increased. All or nothing. */
  addLines(
    userId: string,
    cartId: string,
    expected: ExpectedVersion,
    lines: readonly NewCartLine[],
    maxQuantity: number,
  ): ObjectResult<CartRecord> {
    const row = this.writable(userId, cartId, expected);
    if (isFailure(row)) return row;
    const existing = new Map(this.record(row).lines.map((l) => [l.sku, l]));
    const { merged, issues } = mergeLines(existing, lines, maxQuantity);
    if (issues.length > 0) return fail('unprocessable', 'The lines cannot be added', issues);
    this.writeLines(cartId, existing, lines, merged);
    return ok(this.get(userId, cartId) as CartRecord);
  }

  /**
   * Adds the lines that fit, in order, and says which did not and why (a SKU over the maximum quantity, or
   * the cart full). The version moves only when something was added.
   */
  addLinesPartially(
    userId: string,
    cartId: string,
    expected: ExpectedVersion,
    lines: readonly NewCartLine[],
    maxQuantity: number,
  ): ObjectResult<{ cart: CartRecord; refused: { index: number; message: string }[] }> {
    const row = this.writable(userId, cartId, expected);
    if (isFailure(row)) return row;
    const existing = new Map(this.record(row).lines.map((l) => [l.sku, l]));
    const { merged, refused } = fitLines(existing, lines, maxQuantity);
    const refusedAt = new Set(refused.map((r) => r.index));
    if (merged.size > 0) {
      const kept = lines.filter((_, i) => !refusedAt.has(i));
      this.writeLines(cartId, existing, kept, merged);
    }
    return ok({ cart: this.get(userId, cartId) as CartRecord, refused });
  }

  updateLine(
    userId: string,
    cartId: string,
    lineId: string,
    expected: ExpectedVersion,
    change: { quantity?: number; note?: string | null },
  ): ObjectResult<CartRecord> {
    return this.changeLine(userId, cartId, lineId, expected, () => {
      if (change.quantity !== undefined)
        this.sql.exec('UPDATE cart_lines SET quantity = ? WHERE id = ?', change.quantity, lineId);
      if (change.note !== undefined)
        this.sql.exec('UPDATE cart_lines SET note = ? WHERE id = ?', change.note, lineId);
    });
  }

  removeLine(
    userId: string,
    cartId: string,
    lineId: string,
    expected: ExpectedVersion,
  ): ObjectResult<CartRecord> {
    return this.changeLine(userId, cartId, lineId, expected, () =>
      this.sql.exec('DELETE FROM cart_lines WHERE id = ?', lineId),
    );
  }

  /** One existing line of a writable cart, changed and the version bumped in one transaction. */
  private changeLine(
    userId: string,
    cartId: string,
    lineId: string,
    expected: ExpectedVersion,
    change: () => void,
  ): ObjectResult<CartRecord> {
    const row = this.writable(userId, cartId, expected);
    if (isFailure(row)) return row;
    const found = this.sql
      .exec('SELECT id FROM cart_lines WHERE id = ? AND cart_id = ?', lineId, cartId)
      .toArray();
    if (found.length === 0) return fail('not_found', 'Cart line not found');
    this.storage.transactionSync(() => {
      change();
      this.bump(cartId);
    });
    return ok(this.get(userId, cartId) as CartRecord);
  }
}

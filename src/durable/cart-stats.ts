import type { Database } from '../db/client';
import { upsertCartStats } from '../db/queries/cart-stats';
import { log } from '../lib/log';
import { armAlarm } from './alarm';
import type { CartPricer } from './cart-pricer';
import type { CartStore } from './cart-store';

/** The summary is written at most this often; the rep's workspace says figures may be this old. */
export const CART_STATS_EVERY_MS = 60_000;
/** A first change waits this long, so a burst of edits (a cart being filled) costs one write. */
const CART_STATS_SETTLE_MS = 5_000;

/**
 * The company's open carts summarised into D1 (`company_cart_stats`) for the rep's workspace, which must
 * not call every company's object per request (docs/rep-workspace.md). A cart change marks the summary
 * due (in storage, so an evicted object still writes it) and asks for the object's alarm; the alarm writes
 * it, at most once per `CART_STATS_EVERY_MS`.
 */
export class CartStats {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly db: Database,
    private readonly companyId: string,
    private readonly carts: CartStore,
    private readonly pricer: CartPricer,
  ) {}

  private meta(key: string): number | null {
    const row = this.storage.sql
      .exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key)
      .toArray()[0];
    return row ? Number(row.value) : null;
  }

  private setMeta(key: string, value: number | null): void {
    if (value === null) this.storage.sql.exec('DELETE FROM meta WHERE key = ?', key);
    else
      this.storage.sql.exec(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        key,
        String(value),
      );
  }

  private dueAt(now: number): number {
    return Math.max(
      now + CART_STATS_SETTLE_MS,
      (this.meta('cart_stats_written_at') ?? 0) + CART_STATS_EVERY_MS,
    );
  }

  /** A cart changed: the summary is due, written by the alarm. */
  async changed(now: number = Date.now()): Promise<void> {
    this.setMeta('cart_stats_dirty', 1);
    await armAlarm(this.storage, this.dueAt(now));
  }

  /** The alarm: writes the summary when one is due and the last is a minute old; otherwise asks again. */
  async flush(now: number): Promise<void> {
    if (this.meta('cart_stats_dirty') === null) return;
    const writtenAt = this.meta('cart_stats_written_at') ?? 0;
    if (now < writtenAt + CART_STATS_EVERY_MS) {
      await armAlarm(this.storage, writtenAt + CART_STATS_EVERY_MS);
      return;
    }
    this.setMeta('cart_stats_dirty', null);
    try {
      await this.write(now);
      this.setMeta('cart_stats_written_at', now);
    } catch (err) {
      this.setMeta('cart_stats_dirty', 1);
      log('warn', 'cart summary not written; retried', { companyId: this.companyId, message: String(err) });
      await armAlarm(this.storage, now + CART_STATS_EVERY_MS);
    }
  }

  private async write(now: number): Promise<void> {
    const open = this.carts.open();
    let value = 0;
    let currency: string | null = null;
    for (const { cart } of open) {
      const priced = await this.pricer.price(cart, now);
      value += priced.totals.totalMinor;
      currency = priced.currency;
    }
    const oldest = open.reduce<number | null>(
      (min, o) => (min === null || o.oldestLineAt < min ? o.oldestLineAt : min),
      null,
    );
    await upsertCartStats(this.db, {
      companyId: this.companyId,
      openCarts: open.length,
      openValueMinor: value,
      currency,
      oldestCartAt: oldest,
      updatedAt: now,
    });
  }
}

import { and, eq, inArray, lt, lte } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { punchoutLog, punchoutSessions } from '../../db/schema';
import { PUNCHOUT_LOG_RETENTION_MS } from '../../domain/punchout-terms';
import { companyObject } from '../../durable/client';
import type { Env } from '../../env';
import { log } from '../../lib/log';

/**
 * The nightly punch-out clean-up (docs/punchout.md, "Retention"): log rows past their 30 days go, and
 * sessions past their end become `expired` with their carts deleted from the company's object. Order
 * requests (punchout_order_requests) stay: they make a repeated OrderRequest answer its first answer and
 * let a later change or cancel request find its order, whenever the buyer's system sends it.
 */
const BATCH = 500;

export interface PunchoutRetentionResult {
  logRowsDeleted: number;
  sessionsExpired: number;
  cartsDeleted: number;
}

/**
 * In slices of BATCH rows, so that a month of heavy traffic never makes one statement too large for D1; the
 * slice is chosen by a subquery, so the statement binds two values however many rows it deletes.
 */
async function deleteOldLogRows(db: Database, cutoff: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const gone = await db
      .delete(punchoutLog)
      .where(
        inArray(
          punchoutLog.id,
          db
            .select({ id: punchoutLog.id })
            .from(punchoutLog)
            .where(lt(punchoutLog.createdAt, cutoff))
            .limit(BATCH),
        ),
      )
      .returning({ id: punchoutLog.id });
    deleted += gone.length;
    if (gone.length < BATCH) return deleted;
  }
}

/**
 * A session cart is deleted as its owner (the session's user). A cart already gone (deleted by the buyer)
 * is fine; any other refusal keeps the session as it is, for the next night.
 */
async function expireSessions(env: Env, db: Database, now: number) {
  const s = punchoutSessions;
  let expired = 0;
  let cartsDeleted = 0;
  let skipped = new Set<string>();
  for (;;) {
    const due = (
      await db
        .select({ id: s.id, companyId: s.companyId, userId: s.userId, cartId: s.cartId })
        .from(s)
        .where(and(inArray(s.state, ['open', 'active']), lte(s.expiresAt, now)))
        .limit(BATCH + skipped.size)
    ).filter((row) => !skipped.has(row.id));
    if (due.length === 0) return { expired, cartsDeleted };
    for (const session of due) {
      const deleted = await companyObject(env, { companyId: session.companyId, db }).deleteCart(
        { userId: session.userId, isAdmin: false },
        session.cartId,
        undefined,
      );
      if (!deleted.ok && deleted.code !== 'not_found') {
        log('warn', 'punch-out session cart not deleted', { sessionId: session.id, code: deleted.code });
        skipped = new Set([...skipped, session.id]);
        continue;
      }
      if (deleted.ok) cartsDeleted += 1;
      await db
        .update(s)
        .set({ state: 'expired', codeHash: null, shopKeyHash: null })
        .where(and(eq(s.id, session.id), inArray(s.state, ['open', 'active'])));
      expired += 1;
    }
  }
}

export async function punchoutRetention(
  env: Env,
  db: Database,
  now: number,
): Promise<PunchoutRetentionResult> {
  const logRowsDeleted = await deleteOldLogRows(db, now - PUNCHOUT_LOG_RETENTION_MS);
  const { expired, cartsDeleted } = await expireSessions(env, db, now);
  if (logRowsDeleted + expired > 0)
    log('info', 'punch-out retention', { logRowsDeleted, sessionsExpired: expired, cartsDeleted });
  return { logRowsDeleted, sessionsExpired: expired, cartsDeleted };
}

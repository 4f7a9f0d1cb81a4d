import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import {
  expiredQuotes,
  getQuote,
  type QuoteRow,
  runTransition,
  transitionStatements,
} from '../../db/queries/quotes';
import { quotes } from '../../db/schema';
import { AppError } from '../../domain/errors';
import { nextQuoteState } from '../../domain/quote-terms';
import { utcDate } from '../../domain/quotes';
import type { Actor } from '../audit';
import { auditRow, type QuoteActor, quoteNotification } from './records';
import { changedMeanwhile, illegal } from './respond';

/** The expiry of a quoted quote past its validity (the cron, or an accept that came too late). */
export async function expireQuote(db: Database, q: QuoteRow, actor: QuoteActor): Promise<boolean> {
  if (q.state !== 'quoted') return false;
  return runTransition(
    db,
    transitionStatements(
      db,
      { id: q.id, states: ['quoted'], version: q.currentVersion },
      { state: 'expired', decidedAt: actor.now, updatedAt: actor.now },
      {
        audit: [
          auditRow(actor, {
            companyId: q.companyId,
            action: 'quote.expire',
            quoteId: q.id,
            summary: `Quote ${q.number} expired (valid until ${q.validUntil === null ? '-' : utcDate(q.validUntil)})`,
          }),
        ],
        notifications: [quoteNotification(q, 'quote.expired', q.currentVersion, 'expired', actor.now)],
      },
    ),
  );
}

/** The cron's sweep: every quoted quote past its validity expires, once (a repeat finds nothing to do). */
export async function expireDueQuotes(db: Database, now: number, requestId: string): Promise<number> {
  let expired = 0;
  for (;;) {
    const due = await expiredQuotes(db, now, 100);
    for (const q of due)
      if (await expireQuote(db, q, { system: 'system:quote-expiry', requestId, now })) expired++;
    if (due.length < 100) return expired;
  }
}

/** The buyer declines the current quote, with a reason. */
export async function declineQuote(db: Database, q: QuoteRow, actor: Actor, reason: string) {
  await closeQuote(db, q, actor, 'decline', reason, `Declined ${q.number}: ${reason.slice(0, 200)}`);
}

/**
 * The rep takes a quote back while it is open; the buyer who asked may take their request back while it
 * waits for the rep (requested or countered), not a quote the rep made (they decline that).
 */
export async function withdrawQuote(db: Database, q: QuoteRow, actor: Actor, reason: string | null) {
  if (!nextQuoteState(q.state, 'withdraw')) illegal(q, 'withdraw');
  const rep = actor.principal.permissions.has('quotes.respond');
  if (!rep) {
    if (actor.principal.id !== q.requestedBy)
      throw new AppError('forbidden', 'Only the buyer who asked for this quote may withdraw it');
    if (q.state !== 'requested' && q.state !== 'countered')
      throw new AppError('conflict', 'A quote the rep made is declined, not withdrawn', [
        { path: 'state', message: `the quote is ${q.state}` },
      ]);
  }
  const summary = `Withdrew ${q.number}${reason ? `: ${reason.slice(0, 200)}` : ''}`;
  await closeQuote(db, q, actor, 'withdraw', reason, summary);
}

/** A decision that ends the negotiation: the state, the reason, its audit row and its event in one write. */
async function closeQuote(
  db: Database,
  q: QuoteRow,
  actor: Actor,
  action: 'decline' | 'withdraw',
  reason: string | null,
  summary: string,
) {
  const next = nextQuoteState(q.state, action);
  if (!next) illegal(q, action);
  const event = action === 'decline' ? 'quote.declined' : 'quote.withdrawn';
  const won = await runTransition(
    db,
    transitionStatements(
      db,
      { id: q.id, states: [q.state], version: q.currentVersion },
      { state: next, decisionReason: reason, decidedAt: actor.now, updatedAt: actor.now },
      {
        audit: [
          auditRow(actor, { companyId: q.companyId, action: `quote.${action}`, quoteId: q.id, summary }),
        ],
        notifications: [quoteNotification(q, event, q.currentVersion, next, actor.now, { reason })],
      },
    ),
  );
  if (!won) changedMeanwhile();
}

/** Claims a quoted quote for its accept: one statement, so of two accepts at once exactly one claims it. */
export async function claimForAccept(db: Database, q: QuoteRow, now: number): Promise<boolean> {
  const rows = await db
    .update(quotes)
    .set({ state: 'accepted', decidedAt: now, updatedAt: now })
    .where(and(eq(quotes.id, q.id), eq(quotes.state, 'quoted'), eq(quotes.currentVersion, q.currentVersion)))
    .returning({ id: quotes.id });
  return rows.length === 1;
}

/** Back to quoted after the order could not be placed for a reason the buyer can fix (nothing else changed). */
export async function releaseAccept(db: Database, q: QuoteRow, now: number) {
  await db
    .update(quotes)
    .set({ state: 'quoted', decidedAt: null, updatedAt: now })
    .where(
      and(eq(quotes.id, q.id), eq(quotes.state, 'accepted'), eq(quotes.currentVersion, q.currentVersion)),
    );
}

export const reread = async (db: Database, q: QuoteRow) => (await getQuote(db, q.companyId, q.id)) ?? q;

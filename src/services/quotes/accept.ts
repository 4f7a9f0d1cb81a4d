import type { Database } from '../../db/client';
import { linesOfVersion, type QuoteRow, runTransition, transitionStatements } from '../../db/queries/quotes';
import type { CheckoutInput } from '../../domain/checkout';
import { AppError } from '../../domain/errors';
import { utcDate } from '../../domain/quotes';
import type { Env } from '../../env';
import type { Actor } from '../audit';
import { claimForAccept, expireQuote, releaseAccept, reread } from './decide';
import { placeQuotedOrder } from './place-order';
import { auditRow, quoteNotification } from './records';
import { illegal } from './respond';

export interface AcceptContext {
  db: Database;
  organization: Env['ORGANIZATION'];
  actor: Actor;
}

/** Refusals the buyer can fix and retry (ship-to, cost center, budget): the quote goes back to quoted. */
const FIXABLE = new Set(['validation_failed', 'unprocessable', 'forbidden']);

const sameAccept = (q: QuoteRow, version: number) =>
  (q.state === 'accepted' || q.state === 'ordered') && q.currentVersion === version;

/**
 * Accepts the current version and places its order (docs/quotes.md, "Accept"). The claim quoted→accepted
 * is one conditional update: of two accepts at once one claims, the other finds it accepted and asks the
 * company's object for the same order (its key is the quote's), so both answer one order. A retried accept
 * of an accepted or ordered quote answers that order too.
 */
export async function acceptQuote(
  ctx: AcceptContext,
  q: QuoteRow,
  body: { version: number; input: CheckoutInput },
): Promise<{ quote: QuoteRow; orderId: string; created: boolean }> {
  const now = ctx.actor.now;
  if (sameAccept(q, body.version)) return finish(ctx, q, body.input, false);
  if (q.state !== 'quoted') illegal(q, 'accept');
  if (body.version !== q.currentVersion) {
    throw new AppError('conflict', `Version ${body.version} is not the current quote`, [
      { path: 'version', message: `the current version is ${q.currentVersion}` },
    ]);
  }
  if (q.validUntil !== null && now > q.validUntil) {
    // the validity ran out, not the buyer's doing: the expiry is the system's, as the cron's would be
    await expireQuote(ctx.db, q, { system: 'system:quote-expiry', requestId: ctx.actor.requestId, now });
    throw new AppError('conflict', `The quote expired: it was valid until ${utcDate(q.validUntil)}`, [
      { path: 'state', message: 'expired' },
    ]);
  }
  if (await claimForAccept(ctx.db, q, now)) return finish(ctx, { ...q, state: 'accepted' }, body.input, true);
  const latest = await reread(ctx.db, q);
  if (sameAccept(latest, body.version)) return finish(ctx, latest, body.input, false);
  return illegal(latest, 'accept');
}

async function finish(ctx: AcceptContext, q: QuoteRow, input: CheckoutInput, claimed: boolean) {
  if (q.state === 'ordered' && q.orderId) return { quote: q, orderId: q.orderId, created: false };
  const lines = await linesOfVersion(ctx.db, q.id, q.currentVersion);
  let placed: Awaited<ReturnType<typeof placeQuotedOrder>>;
  try {
    placed = await placeQuotedOrder(
      { organization: ctx.organization },
      {
        companyId: q.companyId,
        quoteId: q.id,
        quoteNumber: q.number,
        version: q.currentVersion,
        buyerId: ctx.actor.principal.id,
        currency: q.currency,
        lines: lines.map((l) => ({
          lineNo: l.lineNo,
          sku: l.sku,
          quantity: l.quantity,
          unitPriceMinor: l.unitPriceMinor ?? 0,
        })),
        validUntil: q.validUntil ?? ctx.actor.now,
        input,
        requestId: ctx.actor.requestId,
        now: ctx.actor.now,
      },
    );
  } catch (err) {
    if (claimed && err instanceof AppError && FIXABLE.has(err.code))
      await releaseAccept(ctx.db, q, ctx.actor.now);
    throw err;
  }
  const at = ctx.actor.now;
  const summary = { orderId: placed.orderId, orderStatus: placed.status, totalMinor: placed.totalMinor };
  await runTransition(
    ctx.db,
    transitionStatements(
      ctx.db,
      { id: q.id, states: ['accepted'], version: q.currentVersion },
      { state: 'ordered', orderId: placed.orderId, updatedAt: at },
      {
        audit: [
          auditRow(ctx.actor, {
            companyId: q.companyId,
            action: 'quote.accept',
            quoteId: q.id,
            summary: `Accepted ${q.number} version ${q.currentVersion}`,
          }),
          auditRow(ctx.actor, {
            companyId: q.companyId,
            action: 'quote.order',
            quoteId: q.id,
            summary: `Ordered ${q.number}: order ${placed.orderId} (${placed.status})`,
          }),
        ],
        notifications: [
          quoteNotification(q, 'quote.accepted', q.currentVersion, 'accepted', at),
          quoteNotification(q, 'quote.ordered', q.currentVersion, 'ordered', at, summary),
        ],
      },
    ),
  );
  // whoever finished first wrote the transition; every caller answers the one order
  const latest = await reread(ctx.db, q);
  return { quote: latest, orderId: placed.orderId, created: claimed };
}

import type { Database } from '../../db/client';
import { getQuote, type QuoteRow, quoteHistory } from '../../db/queries/quotes';
import { AppError } from '../../domain/errors';
import type { QuoteState } from '../../domain/quote-terms';
import { comparisonOf, type QuoteLineView, totalsOf, utcDate } from '../../domain/quotes';
import { newId } from '../../lib/ids';
import type { Actor } from '../audit';

/** The quote events a company's webhook receives (docs/api.md, "Notifications"). */
export type QuoteEvent =
  | 'quote.requested'
  | 'quote.quoted'
  | 'quote.countered'
  | 'quote.accepted'
  | 'quote.ordered'
  | 'quote.declined'
  | 'quote.expired'
  | 'quote.withdrawn';

/** Who did it: a person or key of a request, or the system (the expiry cron). */
export type QuoteActor = Actor | { system: string; requestId: string; now: number };

export function auditRow(
  actor: QuoteActor,
  e: { companyId: string; action: string; quoteId: string; summary: string },
) {
  const person = 'principal' in actor;
  return {
    id: newId('aud'),
    at: actor.now,
    actorId: person ? actor.principal.id : actor.system,
    actorKind: person ? actor.principal.kind : ('system' as const),
    actingForId: person ? (actor.actingForId ?? null) : null,
    requestId: actor.requestId,
    companyId: e.companyId,
    action: e.action,
    targetType: 'quote',
    targetId: e.quoteId,
    summary: e.summary,
  };
}

/**
 * The outbox row of a quote event. Its id is the event's: one per quote, event and version, so the relay
 * and the webhook receiver see each transition once.
 */
export function quoteNotification(
  q: Pick<QuoteRow, 'id' | 'companyId' | 'number'>,
  event: QuoteEvent,
  version: number,
  state: QuoteState,
  at: number,
  extra: Record<string, unknown> = {},
) {
  const id = `obx_${q.id.slice(4)}_${event.replace('.', '_')}_v${version}`;
  const payload = { quoteId: q.id, number: q.number, state, version, ...extra };
  return {
    id,
    topic: 'notification',
    companyId: q.companyId,
    aggregateId: q.id,
    payload: { eventId: id, companyId: q.companyId, event, payload },
    createdAt: at,
    // written through a guarded INSERT … SELECT, which takes no column defaults
    dispatchedAt: null,
    attempts: 0,
  };
}

export async function quoteOr404(db: Database, companyId: string, id: string): Promise<QuoteRow> {
  const q = await getQuote(db, companyId, id);
  if (!q) throw new AppError('not_found', 'Quote not found');
  return q;
}

const dateOf = (at: number | null) => (at === null ? null : utcDate(at));

export function headerView(q: QuoteRow) {
  return {
    id: q.id,
    companyId: q.companyId,
    number: q.number,
    state: q.state,
    requestedBy: q.requestedBy,
    repUserId: q.repUserId,
    currency: q.currency,
    currentVersion: q.currentVersion,
    validUntil: dateOf(q.validUntil),
    wantedDeliveryDate: q.wantedDeliveryDate,
    sourceCartId: q.sourceCartId,
    orderId: q.orderId,
    decisionReason: q.decisionReason,
    requestedAt: q.requestedAt,
    firstQuotedAt: q.firstQuotedAt,
    decidedAt: q.decidedAt,
    updatedAt: q.updatedAt,
  };
}

export const lineView = (l: QuoteLineView) => ({
  lineNo: l.lineNo,
  sku: l.sku,
  quantity: l.quantity,
  targetUnitPriceMinor: l.targetUnitPriceMinor,
  unitPriceMinor: l.unitPriceMinor,
  discountBps: l.discountBps,
  contractUnitPriceMinor: l.contractUnitPriceMinor,
  note: l.note,
  ...comparisonOf(l),
});

/** A quote with every version (oldest first) and the lines of each, the current version's totals. */
export async function quoteView(db: Database, q: QuoteRow) {
  const { versions, lines } = await quoteHistory(db, q.id);
  const views = versions.map((v) => {
    const own = lines.filter((l) => l.version === v.version);
    return {
      version: v.version,
      kind: v.kind,
      authorId: v.authorId,
      message: v.message,
      validUntil: dateOf(v.validUntil),
      paymentTerms: v.paymentTerms,
      deliveryTerms: v.deliveryTerms,
      attachments: v.attachments,
      createdAt: v.createdAt,
      lines: own.map(lineView),
      ...totalsOf(own),
    };
  });
  return { ...headerView(q), versions: views };
}

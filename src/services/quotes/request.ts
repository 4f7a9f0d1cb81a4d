import type { Database } from '../../db/client';
import {
  getQuote,
  linesOfVersion,
  newQuoteStatements,
  nextQuoteNumber,
  type QuoteRow,
  quoteCompany,
  quoteHistory,
} from '../../db/queries/quotes';
import { AppError, type FieldIssue } from '../../domain/errors';
import { formatId } from '../../domain/ids';
import { partnerLineIssues } from '../../domain/partner-lines';
import { attachmentIssues, wantedDateIssue } from '../../domain/quotes';
import { type CompanyObject, resolveCartId, unwrap } from '../../durable/client';
import { newId } from '../../lib/ids';
import type { Actor } from '../audit';
import { auditRow, quoteNotification } from './records';

export interface RequestLine {
  sku: string;
  quantity: number;
  targetUnitPriceMinor?: number | null;
  note?: string | null;
}

export interface QuoteRequestInput {
  cartId?: string;
  lines?: RequestLine[];
  message?: string | null;
  wantedDeliveryDate?: string;
  attachments?: { url: string; name?: string | null }[];
}

const sha256 = async (text: string) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

/** What a request said, as compared for a repeated Idempotency-Key (a cart by its id, not its lines). */
const fingerprint = (r: {
  cartId: string | null;
  lines: readonly RequestLine[] | null;
  message: string | null;
  wanted: string | null;
  attachments: readonly { url: string; name: string | null }[];
}) =>
  JSON.stringify([
    r.cartId,
    r.lines?.map((l) => [l.sku, l.quantity, l.targetUnitPriceMinor ?? null, l.note ?? null]) ?? null,
    r.message,
    r.wanted,
    r.attachments.map((a) => [a.url, a.name]),
  ]);

async function storedFingerprint(db: Database, q: QuoteRow): Promise<string> {
  const { versions } = await quoteHistory(db, q.id);
  const first = versions[0];
  const lines = q.sourceCartId ? null : await linesOfVersion(db, q.id, 1);
  return fingerprint({
    cartId: q.sourceCartId,
    lines,
    message: first?.message ?? null,
    wanted: q.wantedDeliveryDate,
    attachments: first?.attachments ?? [],
  });
}

export interface RequestContext {
  db: Database;
  object: CompanyObject;
  companyId: string;
  actor: Actor;
  idempotencyKey: string | null;
}

/**
 * A buyer asks their rep for a quote, from a cart or from lines. Everything is checked before anything is
 * written (attachments' links, the wanted date, every SKU against the company's assortment); the quote,
 * its first version and lines, the audit row and the `quote.requested` event are one batch.
 */
export async function requestQuote(ctx: RequestContext, input: QuoteRequestInput) {
  const { db, object, companyId, actor } = ctx;
  const now = actor.now;
  const userId = actor.principal.id;
  const issues: FieldIssue[] = [];
  if ((input.cartId === undefined) === (input.lines === undefined))
    issues.push({ path: 'lines', message: 'send either cartId or lines' });
  const attachments = (input.attachments ?? []).map((a) => ({ url: a.url, name: a.name ?? null }));
  issues.push(...attachmentIssues(attachments), ...wantedDateIssue(input.wantedDeliveryDate, now));
  if (issues.length > 0) throw new AppError('unprocessable', 'The quote request cannot be made', issues);

  const cartId = input.cartId === undefined ? null : await resolveCartId(object, userId, input.cartId);
  const asked = { cartId, lines: input.lines ?? null, message: input.message ?? null };
  const print = fingerprint({ ...asked, wanted: input.wantedDeliveryDate ?? null, attachments });
  const id = ctx.idempotencyKey
    ? formatId('quo', await sha256(`${companyId}\n${userId}\n${ctx.idempotencyKey}`))
    : newId('quo');
  const replay = async () => {
    const earlier = await getQuote(db, companyId, id);
    if (!earlier) return null;
    if ((await storedFingerprint(db, earlier)) !== print)
      throw new AppError(
        'idempotency_key_reused',
        'This key already made a quote request with other content',
      );
    return earlier;
  };
  if (ctx.idempotencyKey) {
    const earlier = await replay();
    if (earlier) return { quote: earlier, created: false };
  }

  let lines: RequestLine[];
  if (cartId !== null) {
    const cart = unwrap(await object.getCart(userId, cartId, now));
    lines = cart.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, note: l.note ?? null }));
    if (lines.length === 0)
      throw new AppError('unprocessable', 'The cart is empty', [
        { path: 'cartId', message: 'the cart has no lines' },
      ]);
  } else {
    lines = input.lines ?? [];
  }
  const priced = await object.priceLines(
    userId,
    lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    now,
  );
  const lineIssues = partnerLineIssues(
    lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPriceMinor: null, unit: null })),
    priced.lines.map((l) => ({ unitMinor: l.unitMinor, problems: l.problems, unit: null })),
    priced.currency,
    0,
  );
  if (lineIssues.length > 0) {
    throw new AppError(
      'unprocessable',
      'Some lines cannot be quoted',
      lineIssues.map((i) => ({ path: `lines.${i.index}.${i.field}`, message: i.message })),
    );
  }

  const company = await quoteCompany(db, companyId);
  for (let attempt = 0; ; attempt++) {
    const number = await nextQuoteNumber(db, companyId);
    const quote = {
      id,
      companyId,
      number,
      state: 'requested' as const,
      requestedBy: userId,
      repUserId: company?.salesRepUserId ?? null,
      currency: priced.currency,
      currentVersion: 1,
      validUntil: null,
      wantedDeliveryDate: input.wantedDeliveryDate ?? null,
      sourceCartId: cartId,
      orderId: null,
      decisionReason: null,
      requestedAt: now,
      firstQuotedAt: null,
      decidedAt: null,
      updatedAt: now,
    };
    const statements = newQuoteStatements(
      db,
      quote,
      {
        quoteId: id,
        version: 1,
        kind: 'request',
        authorId: userId,
        message: asked.message,
        validUntil: null,
        paymentTerms: null,
        deliveryTerms: null,
        attachments,
        createdAt: now,
      },
      lines.map((l, i) => ({
        quoteId: id,
        version: 1,
        lineNo: i + 1,
        sku: l.sku,
        quantity: l.quantity,
        targetUnitPriceMinor: l.targetUnitPriceMinor ?? null,
        unitPriceMinor: null,
        discountBps: null,
        contractUnitPriceMinor: priced.lines[i]?.unitMinor ?? null,
        note: l.note ?? null,
      })),
      auditRow(actor, {
        companyId,
        action: 'quote.request',
        quoteId: id,
        summary: `Requested quote ${number} (${lines.length} line(s))`,
      }),
      quoteNotification(quote, 'quote.requested', 1, 'requested', now, { lineCount: lines.length }),
    );
    try {
      await db.batch(statements);
      return { quote, created: true };
    } catch (err) {
      // the same key at once (the quote exists now), or a number taken meanwhile (try the next one)
      const earlier = ctx.idempotencyKey ? await replay() : null;
      if (earlier) return { quote: earlier, created: false };
      if (attempt >= 3) throw err;
    }
  }
}

import type { Database } from '../../db/client';
import {
  linesOfVersion,
  type QuoteLineRow,
  type QuoteRow,
  runTransition,
  transitionStatements,
} from '../../db/queries/quotes';
import { AppError, type FieldIssue } from '../../domain/errors';
import { partnerLineIssues } from '../../domain/partner-lines';
import { nextQuoteState, type QuoteAction } from '../../domain/quote-terms';
import {
  attachmentIssues,
  endOfDay,
  priceQuotedLine,
  unknownLineIssues,
  validityIssue,
} from '../../domain/quotes';
import type { CompanyObject } from '../../durable/client';
import type { Actor } from '../audit';
import { auditRow, quoteNotification } from './records';

export interface QuoteContext {
  db: Database;
  object: CompanyObject;
  actor: Actor;
}

/** 409 naming the state the quote is in, for an action its state does not allow. */
export function illegal(q: QuoteRow, action: QuoteAction): never {
  throw new AppError(
    'conflict',
    `A ${q.state} quote cannot be ${action === 'quote' ? 'quoted' : `${action}ed`}`,
    [{ path: 'state', message: `the quote is ${q.state}` }],
  );
}

export function changedMeanwhile(): never {
  throw new AppError('conflict', 'The quote changed meanwhile; read it again', [
    { path: 'version', message: 'not the current version any more' },
  ]);
}

/** Line numbers sent twice, and (when every line must be named) the lines left out. */
export function namingIssues(
  sent: readonly { lineNo: number }[],
  current: readonly QuoteLineRow[],
  all: boolean,
) {
  const issues: FieldIssue[] = unknownLineIssues(sent, new Set(current.map((l) => l.lineNo)));
  sent.forEach((l, i) => {
    if (sent.findIndex((x) => x.lineNo === l.lineNo) !== i)
      issues.push({ path: `lines.${i}.lineNo`, message: `line ${l.lineNo} named twice` });
  });
  const named = new Set(sent.map((l) => l.lineNo));
  const missing = current.filter((l) => !named.has(l.lineNo)).map((l) => l.lineNo);
  if (all && missing.length > 0)
    issues.push({
      path: 'lines',
      message: `price every line of the quote; missing line(s) ${missing.join(', ')}`,
    });
  return issues;
}

/** The company's price of each line now (the contract price) and whether it can be ordered at that quantity. */
export async function contractPrices(
  ctx: QuoteContext,
  q: QuoteRow,
  lines: readonly { sku: string; quantity: number }[],
  at: readonly number[],
) {
  const priced = await ctx.object.priceLines(
    q.requestedBy,
    lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    ctx.actor.now,
  );
  const issues = partnerLineIssues(
    lines.map((l) => ({ ...l, unitPriceMinor: null, unit: null })),
    priced.lines.map((l) => ({ unitMinor: l.unitMinor, problems: l.problems, unit: null })),
    priced.currency,
    0,
  ).map((i) => ({ path: `lines.${at[i.index] ?? i.index}.${i.field}`, message: i.message }));
  return { prices: priced.lines.map((l) => l.unitMinor), issues };
}

export interface QuoteInput {
  lines: { lineNo: number; unitPriceMinor?: number; discountBps?: number; quantity?: number }[];
  validUntil: string;
  paymentTerms?: string | null;
  deliveryTerms?: string | null;
  message?: string | null;
  attachments?: { url: string; name?: string | null }[];
}

/** The rep prices every line of the current version (a request or the buyer's counter): a new version. */
export async function quoteLines(ctx: QuoteContext, q: QuoteRow, input: QuoteInput) {
  const next = nextQuoteState(q.state, 'quote');
  if (!next) illegal(q, 'quote');
  const now = ctx.actor.now;
  const current = await linesOfVersion(ctx.db, q.id, q.currentVersion);
  const attachments = (input.attachments ?? []).map((a) => ({ url: a.url, name: a.name ?? null }));
  const issues = [
    ...namingIssues(input.lines, current, true),
    ...validityIssue(input.validUntil, now),
    ...attachmentIssues(attachments),
  ];
  // prices are judged only on lines that exist; the dates and links are reported with them
  if (issues.some((i) => i.path.startsWith('lines')))
    throw new AppError('unprocessable', 'The quote cannot be made', issues);
  const sentAt = new Map(input.lines.map((l, i) => [l.lineNo, i]));
  const merged = current.map((l) => {
    const sent = input.lines[sentAt.get(l.lineNo) ?? -1];
    return { line: l, sent, quantity: sent?.quantity ?? l.quantity };
  });
  const at = merged.map((m) => sentAt.get(m.line.lineNo) ?? -1);
  const contract = await contractPrices(
    ctx,
    q,
    merged.map((m) => ({ sku: m.line.sku, quantity: m.quantity })),
    at,
  );
  issues.push(...contract.issues);
  const version = q.currentVersion + 1;
  const rows = merged.map((m, i) => {
    const price = priceQuotedLine(m.sent ?? {}, contract.prices[i] ?? null, `lines.${at[i]}`);
    if (!price.ok) issues.push(price.issue);
    return {
      quoteId: q.id,
      version,
      lineNo: m.line.lineNo,
      sku: m.line.sku,
      quantity: m.quantity,
      targetUnitPriceMinor: m.line.targetUnitPriceMinor,
      unitPriceMinor: price.ok ? price.unitPriceMinor : null,
      discountBps: price.ok ? price.discountBps : null,
      contractUnitPriceMinor: contract.prices[i] ?? null,
      note: m.line.note,
    };
  });
  if (issues.length > 0) throw new AppError('unprocessable', 'The quote cannot be made', issues);
  const validUntil = endOfDay(input.validUntil);
  const total = rows.reduce((s, r) => s + (r.unitPriceMinor ?? 0) * r.quantity, 0);
  const won = await runTransition(
    ctx.db,
    transitionStatements(
      ctx.db,
      { id: q.id, states: [q.state], version: q.currentVersion },
      {
        state: next,
        currentVersion: version,
        validUntil,
        firstQuotedAt: q.firstQuotedAt ?? now,
        updatedAt: now,
      },
      {
        version: {
          quoteId: q.id,
          version,
          kind: 'quote',
          authorId: ctx.actor.principal.id,
          message: input.message ?? null,
          validUntil,
          paymentTerms: input.paymentTerms ?? null,
          deliveryTerms: input.deliveryTerms ?? null,
          attachments,
          createdAt: now,
        },
        lines: rows,
        audit: [
          auditRow(ctx.actor, {
            companyId: q.companyId,
            action: 'quote.quote',
            quoteId: q.id,
            summary: `Quoted ${q.number} version ${version}: ${total} ${q.currency} minor, valid until ${input.validUntil}`,
          }),
        ],
        notifications: [
          quoteNotification(q, 'quote.quoted', version, next, now, {
            totalMinor: total,
            currency: q.currency,
            validUntil: input.validUntil,
          }),
        ],
      },
    ),
  );
  if (!won) changedMeanwhile();
}

import { linesOfVersion, type QuoteRow, runTransition, transitionStatements } from '../../db/queries/quotes';
import { AppError } from '../../domain/errors';
import { nextQuoteState } from '../../domain/quote-terms';
import { auditRow, quoteNotification } from './records';
import { changedMeanwhile, contractPrices, illegal, namingIssues, type QuoteContext } from './respond';

export interface CounterInput {
  lines: { lineNo: number; quantity?: number; targetUnitPriceMinor?: number | null; note?: string | null }[];
  message?: string | null;
}

/** The buyer answers a quote with other quantities or target prices on some of its lines: a new version. */
export async function counterQuote(ctx: QuoteContext, q: QuoteRow, input: CounterInput) {
  const next = nextQuoteState(q.state, 'counter');
  if (!next) illegal(q, 'counter');
  const now = ctx.actor.now;
  const current = await linesOfVersion(ctx.db, q.id, q.currentVersion);
  const issues = namingIssues(input.lines, current, false);
  input.lines.forEach((l, i) => {
    if (l.quantity === undefined && l.targetUnitPriceMinor === undefined && l.note === undefined)
      issues.push({ path: `lines.${i}`, message: 'change the quantity, the target price or the note' });
  });
  if (issues.length > 0) throw new AppError('unprocessable', 'The counter cannot be made', issues);
  const sentAt = new Map(input.lines.map((l, i) => [l.lineNo, i]));
  const version = q.currentVersion + 1;
  const rows = current.map((l) => {
    const sent = input.lines[sentAt.get(l.lineNo) ?? -1];
    return {
      quoteId: q.id,
      version,
      lineNo: l.lineNo,
      sku: l.sku,
      quantity: sent?.quantity ?? l.quantity,
      targetUnitPriceMinor:
        sent?.targetUnitPriceMinor === undefined ? l.targetUnitPriceMinor : sent.targetUnitPriceMinor,
      unitPriceMinor: null,
      discountBps: null,
      contractUnitPriceMinor: l.contractUnitPriceMinor,
      note: sent?.note === undefined ? l.note : sent.note,
    };
  });
  const at = rows.map((r) => sentAt.get(r.lineNo) ?? -1);
  const contract = await contractPrices(ctx, q, rows, at);
  if (contract.issues.length > 0)
    throw new AppError('unprocessable', 'The counter cannot be made', contract.issues);
  const won = await runTransition(
    ctx.db,
    transitionStatements(
      ctx.db,
      { id: q.id, states: [q.state], version: q.currentVersion },
      { state: next, currentVersion: version, updatedAt: now },
      {
        version: {
          quoteId: q.id,
          version,
          kind: 'counter',
          authorId: ctx.actor.principal.id,
          message: input.message ?? null,
          validUntil: null,
          paymentTerms: null,
          deliveryTerms: null,
          attachments: [],
          createdAt: now,
        },
        lines: rows.map((r, i) => ({
          ...r,
          contractUnitPriceMinor: contract.prices[i] ?? r.contractUnitPriceMinor,
        })),
        audit: [
          auditRow(ctx.actor, {
            companyId: q.companyId,
            action: 'quote.counter',
            quoteId: q.id,
            summary: `Countered ${q.number} on line(s) ${input.lines.map((l) => l.lineNo).join(', ')}`,
          }),
        ],
        notifications: [
          quoteNotification(q, 'quote.countered', version, next, now, { lines: input.lines.length }),
        ],
      },
    ),
  );
  if (!won) changedMeanwhile();
}

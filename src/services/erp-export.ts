import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { runBatch } from '../db/queries/bulk';
import { getExport } from '../db/queries/erp-exports';
import { erpExports, orders, outbox } from '../db/schema';
import { type ErpVerdict, retryDelay, verdictOf } from '../domain/erp-export-policy';
import type { ExportKind } from '../domain/erp-terms';
import type { Env } from '../env';
import { raiseAlert } from './alerts';
import { exportTransition, orderExportId } from './erp-export-records';
import { orderDocument } from './erp-order-document';
import { erpConfigured, relayOrderExports } from './outbox-relay';
import { type FetchLike, fetchPublic, urlPolicyFor } from './public-fetch';

/** What the `erp-export` consumer does with a message. */
export type ExportOutcome =
  | { done: true }
  | { retryInSeconds: number; reason: string }
  /** retrying cannot help (the export does not exist): dead-letter now, with the reason */
  | { deadLetter: string };

export const ERP_TIMEOUT_MS = 10_000;
const ANSWER_KEPT = 1_000;
/** while something must happen first (an ERP configured, the order's own export sent) */
const WAIT_SECONDS = { noErp: 300, orderFirst: 60 };

interface ErpRequest {
  path: string;
  idempotencyKey: string;
  body: unknown;
}

const PATHS: Record<Exclude<ExportKind, 'order'>, string> = {
  cancellation: 'cancellation',
  receipt: 'receipts',
  problem_report: 'problem-reports',
};

/** The call for an export, as docs/erp.md's wire table has it; undefined when what it sends is gone. */
async function requestFor(db: Database, e: { id: string; kind: ExportKind; orderId: string }) {
  if (e.kind === 'order') {
    const document = await orderDocument(db, e.orderId);
    return document && { path: '/orders', idempotencyKey: e.orderId, body: document };
  }
  const [row] = await db.select({ payload: outbox.payload }).from(outbox).where(eq(outbox.id, e.id));
  const body = row?.payload.body;
  if (!body) return undefined;
  return {
    path: `/orders/${encodeURIComponent(e.orderId)}/${PATHS[e.kind]}`,
    idempotencyKey: e.id,
    body,
  } satisfies ErpRequest;
}

/** The ERP's answer, or why there was none (`retryable`: a timeout or a network error, not a refusal). */
type Answer =
  | { status: number; body: string; retryAfter: string | null }
  | { status: null; error: string; retryable: boolean };

async function post(env: Env, req: ErpRequest, fetcher?: FetchLike): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'idempotency-key': req.idempotencyKey,
  };
  if (env.ERP_API_TOKEN) headers.authorization = `Bearer ${env.ERP_API_TOKEN}`;
  try {
    const outcome = await fetchPublic(
      `${env.ERP_BASE_URL.replace(/\/+$/, '')}${req.path}`,
      {
        method: 'POST',
        headers,
        body: JSON.stringify(req.body),
        signal: AbortSignal.timeout(ERP_TIMEOUT_MS),
      },
      urlPolicyFor(env.ENVIRONMENT),
      fetcher,
    );
    // a configuration error (a private ERP address in production): no retry makes it allowed
    if (!outcome.ok) return { status: null, error: `refused: ${outcome.refused}`, retryable: false };
    const res = outcome.response;
    return {
      status: res.status,
      body: (await res.text()).slice(0, ANSWER_KEPT),
      retryAfter: res.headers.get('retry-after'),
    };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const error = timedOut
      ? `timed out after ${ERP_TIMEOUT_MS / 1000} s`
      : `network error: ${err instanceof Error ? err.message : String(err)}`;
    return { status: null, error: error.slice(0, ANSWER_KEPT), retryable: true };
  }
}

/** The verdict on an answer, and what the export keeps of it: the status and the first 1,000 characters. */
function judge(kind: ExportKind, answer: Answer) {
  if (answer.status === null)
    return {
      verdict: (answer.retryable ? 'retry' : 'failed') as ErpVerdict,
      error: answer.error,
      retryAfter: null,
      body: '',
    };
  const verdict = verdictOf(kind, answer.status);
  const error = `HTTP ${answer.status}${answer.body ? `: ${answer.body}` : ''}`;
  // a 2xx keeps no error; a 409 or 404 taken as "the ERP has it" keeps what the ERP said
  const kept = answer.status >= 200 && answer.status <= 299 ? null : error;
  return { verdict, error: kept, retryAfter: answer.retryAfter, body: answer.body };
}

const erpOrderNumberIn = (body: string): string | null => {
  try {
    const parsed: unknown = JSON.parse(body);
    const n = (parsed as { erpOrderNumber?: unknown } | null)?.erpOrderNumber;
    return typeof n === 'string' && n !== '' ? n.slice(0, 100) : null;
  } catch {
    return null;
  }
};

/**
 * One delivery of an `erp-export` message: sends the export to the ERP once, unless it is no longer
 * pending (sent, acknowledged or failed already: a redelivery changes nothing). The ERP is always called
 * with the same Idempotency-Key for the same export, so an export sent twice (a message delivered twice at
 * once, a lost answer) is one order in the ERP.
 */
export async function runExport(
  env: Env,
  db: Database,
  exportId: string,
  now: number,
  /** which delivery of the message this is: the backoff grows with it (a re-drive starts again at 1) */
  delivery = 1,
  random: () => number = Math.random,
  fetcher?: FetchLike,
): Promise<ExportOutcome> {
  const row = await getExport(db, exportId);
  if (!row) return { deadLetter: `no export ${exportId}` };
  if (row.state !== 'pending') return { done: true };
  if (!erpConfigured(env)) return { retryInSeconds: WAIT_SECONDS.noErp, reason: 'no ERP configured' };
  if (row.kind !== 'order') {
    const own = await getExport(db, orderExportId(row.orderId));
    if (!own || own.state === 'pending')
      return { retryInSeconds: WAIT_SECONDS.orderFirst, reason: 'the order itself is not sent yet' };
  }
  const req = await requestFor(db, row);
  if (!req) return { deadLetter: `nothing to send for export ${exportId}: its order or body is gone` };

  const [counted] = await db
    .update(erpExports)
    .set({ attempts: sql`${erpExports.attempts} + 1`, lastAttemptAt: now })
    .where(eq(erpExports.id, exportId))
    .returning({ attempts: erpExports.attempts });
  const attempt = counted?.attempts ?? row.attempts + 1;
  const answer = await post(env, req, fetcher);
  const { verdict, error, retryAfter, body } = judge(row.kind, answer);
  const status = answer.status;
  const at = Date.now();
  const base = {
    exportId,
    orderId: row.orderId,
    companyId: row.companyId,
    kind: row.kind,
    at,
    eventKey: attempt,
  };

  if (verdict === 'retry') {
    await db
      .update(erpExports)
      .set({ lastStatusCode: status, lastError: error, updatedAt: at })
      .where(and(eq(erpExports.id, exportId), eq(erpExports.state, 'pending')));
    return {
      retryInSeconds: retryDelay(delivery, retryAfter, at, random()),
      reason: error ?? `HTTP ${status}`,
    };
  }
  if (verdict === 'sent') {
    const erpNumber = row.kind === 'order' ? erpOrderNumberIn(body) : null;
    await runBatch(db, [
      ...exportTransition(db, {
        ...base,
        from: ['pending'],
        to: 'sent',
        note: `HTTP ${status}${erpNumber ? `, ERP order ${erpNumber}` : ''}`,
        set: { lastStatusCode: status, lastError: error, sentAt: at },
      }),
      ...(erpNumber
        ? [
            db
              .update(orders)
              .set({ erpOrderNumber: erpNumber })
              .where(and(eq(orders.id, row.orderId), isNull(orders.erpOrderNumber))),
          ]
        : []),
    ]);
    // what waited for the order to reach the ERP (a cancellation) may go now
    if (row.kind === 'order') await relayOrderExports(env, row.companyId, row.orderId, db, true);
    return { done: true };
  }
  await runBatch(
    db,
    exportTransition(db, {
      ...base,
      from: ['pending'],
      to: 'failed',
      note: error,
      set: { lastStatusCode: status, lastError: error },
    }),
  );
  await raiseAlert(env, {
    kind: 'erp_export.failed',
    subject: exportId,
    detail: `The ERP refused the ${row.kind} export of order ${row.orderId}: ${error}`,
  });
  return { done: true };
}

/**
 * The `erp-export-dlq` consumer's part: retries are exhausted. A pending export becomes `failed` (the
 * order's export state with it) and an alert goes out; a redelivered dead letter changes nothing.
 */
export async function exportDeadLettered(env: Env, db: Database, exportId: string) {
  const row = await getExport(db, exportId);
  if (row?.state !== 'pending') return;
  const at = Date.now();
  const error = `retries exhausted after ${row.attempts} attempts${row.lastError ? `; last: ${row.lastError}` : ''}`;
  await runBatch(
    db,
    exportTransition(db, {
      exportId,
      orderId: row.orderId,
      companyId: row.companyId,
      kind: row.kind,
      from: ['pending'],
      to: 'failed',
      at,
      eventKey: `dlq${row.attempts}`,
      note: error.slice(0, ANSWER_KEPT),
      set: { lastError: error.slice(0, ANSWER_KEPT) },
    }),
  );
  await raiseAlert(env, {
    kind: 'erp_export.dead_lettered',
    subject: exportId,
    detail: `The ${row.kind} export of order ${row.orderId} could not be delivered: ${error}`,
  });
}

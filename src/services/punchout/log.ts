import type { Database } from '../../db/client';
import { punchoutLog } from '../../db/schema';
import { redact } from '../../domain/punchout/redact';
import { newId } from '../../lib/ids';
import { describeError, log } from '../../lib/log';

/**
 * The punch-out log (docs/punchout.md): every request and answer as exchanged, secrets redacted, kept 30
 * days (the nightly run deletes older rows). Writing it never fails the exchange it records.
 */
export interface LogEntry {
  kind: string;
  direction: 'in' | 'out';
  status: number;
  body: string;
  partnerId?: string | null;
  companyId?: string | null;
  sessionId?: string | null;
  payloadId?: string | null;
  buyerCookie?: string | null;
  requestId?: string | null;
  at: number;
}

// redaction is pure text work: it lives in the domain, where it is tested on its own
export { redact };

export function logInsert(db: Database, e: LogEntry) {
  return db.insert(punchoutLog).values({
    id: newId('plog'),
    partnerId: e.partnerId ?? null,
    companyId: e.companyId ?? null,
    sessionId: e.sessionId ?? null,
    kind: e.kind,
    direction: e.direction,
    payloadId: e.payloadId?.slice(0, 250) ?? null,
    buyerCookie: e.buyerCookie?.slice(0, 250) ?? null,
    status: e.status,
    body: redact(e.body),
    requestId: e.requestId ?? null,
    createdAt: e.at,
  });
}

/** Records exchanges; a failure is logged, not thrown (the partner's answer matters more than our log). */
export async function recordExchanges(db: Database, entries: readonly LogEntry[]): Promise<void> {
  const [first, ...rest] = entries.map((e) => logInsert(db, e));
  if (!first) return;
  try {
    await db.batch([first, ...rest]);
  } catch (err) {
    log('error', 'punchout log write failed', describeError(err));
  }
}

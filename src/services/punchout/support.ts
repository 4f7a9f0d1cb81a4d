import { and, desc, eq, getTableColumns, gt, gte, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { punchoutLog, punchoutSessions } from '../../db/schema';
import { notFound } from '../../domain/errors';
import type { PunchoutSessionState } from '../../domain/punchout-terms';

/**
 * Support views of punch-out (docs/punchout.md, "Administration and support"): the exchange log, searched
 * by partner, company, BuyerCookie or payloadID (newest first, bodies only one at a time), and sessions.
 */
type Before = { at: number; id: string };

const newestFirst = (column: typeof punchoutLog.createdAt, id: typeof punchoutLog.id, before?: Before) =>
  before ? or(lt(column, before.at), and(eq(column, before.at), lt(id, before.id))) : undefined;

export interface LogFilter {
  partnerId?: string;
  companyId?: string;
  buyerCookie?: string;
  payloadId?: string;
  kind?: string;
  from?: number;
  to?: number;
  before?: Before;
  limit: number;
}

const { body: _body, ...summaryColumns } = getTableColumns(punchoutLog);

export async function listLog(db: Database, f: LogFilter) {
  const l = punchoutLog;
  const conditions: (SQL | undefined)[] = [
    f.partnerId ? eq(l.partnerId, f.partnerId) : undefined,
    f.companyId ? eq(l.companyId, f.companyId) : undefined,
    f.buyerCookie ? eq(l.buyerCookie, f.buyerCookie) : undefined,
    f.payloadId ? eq(l.payloadId, f.payloadId) : undefined,
    f.kind ? eq(l.kind, f.kind) : undefined,
    f.from !== undefined ? gte(l.createdAt, f.from) : undefined,
    f.to !== undefined ? lte(l.createdAt, f.to) : undefined,
    newestFirst(l.createdAt, l.id, f.before),
  ];
  return db
    .select({ ...summaryColumns, bodyLength: sql<number>`length(${l.body})` })
    .from(l)
    .where(and(...conditions))
    .orderBy(desc(l.createdAt), desc(l.id))
    .limit(f.limit);
}

/** One exchange with its body (redacted when it was written). */
export async function getLogEntry(db: Database, id: string) {
  const [row] = await db.select().from(punchoutLog).where(eq(punchoutLog.id, id));
  if (!row) throw notFound('Punch-out log entry');
  return { ...row, bodyLength: row.body.length };
}

export interface SessionFilter {
  partnerId?: string;
  companyId?: string;
  state?: PunchoutSessionState;
  before?: Before;
  limit: number;
}

// the code and shop-key hashes stay on the server: support needs the state, not the keys
const { codeHash: _code, shopKeyHash: _shop, ...sessionColumns } = getTableColumns(punchoutSessions);

const s = punchoutSessions;
const pastEnd = (now: number) => and(inArray(s.state, ['open', 'active']), lte(s.expiresAt, now));

/** A session past its end is `expired` here even before the nightly run writes it so. */
function stateIs(state: PunchoutSessionState, now: number) {
  if (state === 'expired') return or(eq(s.state, 'expired'), pastEnd(now));
  if (state === 'transferred') return eq(s.state, state);
  return and(eq(s.state, state), gt(s.expiresAt, now));
}

export async function listSessions(db: Database, f: SessionFilter, now: number) {
  const conditions: (SQL | undefined)[] = [
    f.partnerId ? eq(s.partnerId, f.partnerId) : undefined,
    f.companyId ? eq(s.companyId, f.companyId) : undefined,
    f.state ? stateIs(f.state, now) : undefined,
    f.before
      ? or(lt(s.createdAt, f.before.at), and(eq(s.createdAt, f.before.at), lt(s.id, f.before.id)))
      : undefined,
  ];
  const rows = await db
    .select(sessionColumns)
    .from(s)
    .where(and(...conditions))
    .orderBy(desc(s.createdAt), desc(s.id))
    .limit(f.limit);
  return rows.map((row) =>
    (row.state === 'open' || row.state === 'active') && row.expiresAt <= now
      ? { ...row, state: 'expired' as const }
      : row,
  );
}

import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import * as v from 'valibot';
import { listAudit } from '../db/queries/audit';
import { AppError } from '../domain/errors';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, encodeCursor, LimitSchema } from '../http/paging';
import { onInvalid } from '../http/validate';
import { text } from './schemas';

const Instant = v.pipe(
  v.string(),
  v.isoTimestamp('an ISO 8601 timestamp, e.g. 2026-11-22T10:00:00Z'),
  v.transform((s) => Date.parse(s)),
);
const Query = v.strictObject({
  actor: v.optional(text({ max: 100 })),
  action: v.optional(text({ max: 100 })),
  target: v.optional(text({ max: 100 })),
  from: v.optional(Instant),
  to: v.optional(Instant),
  limit: LimitSchema,
  cursor: v.optional(v.string()),
});
const Cursor = v.object({ at: v.number(), id: v.string() });
const Entry = v.object({
  id: v.string(),
  at: v.string(),
  actorId: v.string(),
  actorKind: v.picklist(['user', 'api_key', 'system', 'anonymous']),
  actingForId: v.nullable(v.string()),
  companyId: v.nullable(v.string()),
  action: v.string(),
  targetType: v.string(),
  targetId: v.string(),
  summary: v.string(),
  requestId: v.string(),
});

export const auditRoutes = new Hono<AppEnv>().get(
  '/',
  doc({
    tags: ['Audit'],
    summary: "The company's audit trail, newest first",
    ok: v.object({ items: v.array(Entry), nextCursor: v.nullable(v.string()) }),
  }),
  requirePermission('audit.view'),
  validator('query', Query, onInvalid),
  async (c) => {
    const q = c.req.valid('query');
    if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
      throw new AppError('validation_failed', 'The date range is empty', [
        { path: 'from', message: 'must not be after "to"' },
      ]);
    }
    const scope = scopeOf(c);
    const rows = await listAudit(scope.db, {
      companyId: scope.companyId,
      actorId: q.actor,
      action: q.action,
      targetId: q.target,
      from: q.from,
      to: q.to,
      before: decodeCursor(Cursor, q.cursor),
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return c.json({
      items: page.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null,
    });
  },
);

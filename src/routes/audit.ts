import { Hono } from 'hono';
import * as v from 'valibot';
import { listAudit } from '../db/queries/audit';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { validQuery } from '../http/validate';
import { InstantSchema, instantWindow, text } from './schemas';

const Query = v.pipe(
  v.strictObject({
    actor: v.optional(text({ max: 100 })),
    action: v.optional(text({ max: 100 })),
    target: v.optional(text({ max: 100 })),
    from: v.optional(InstantSchema),
    to: v.optional(InstantSchema),
    ...PageParams,
  }),
  instantWindow('from', 'to', { strict: false }),
);
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
    ok: pageOf(Entry),
  }),
  requirePermission('audit.view'),
  validQuery(Query),
  async (c) => {
    const q = c.req.valid('query');
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
    const page = keysetPage(rows, q.limit, (last) => ({ at: last.at, id: last.id }));
    return c.json({ ...page, items: page.items.map((r) => ({ ...r, at: new Date(r.at).toISOString() })) });
  },
);

import { Hono } from 'hono';
import * as v from 'valibot';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { auditInsert } from '../services/audit';
import { requestSearchRebuild, searchIndexStatus } from '../services/search/status';

/** The search index's state and a manual rebuild, for the supplier's staff. */
const tags = ['Supplier administration'];
const Status = v.object({
  state: v.picklist(['missing', 'building', 'stale', 'failed', 'current']),
  generation: v.nullable(v.number()),
  requestedGeneration: v.number(),
  buildingGeneration: v.nullable(v.number()),
  requestedAt: v.nullable(v.number()),
  builtAt: v.nullable(v.number()),
  ageSeconds: v.nullable(v.number()),
  buildMs: v.nullable(v.number()),
  docCount: v.nullable(v.number()),
  bytes: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
  stalenessBoundSeconds: v.number(),
});

export const adminSearchIndexRoutes = new Hono<AppEnv>()
  .get(
    '/search/index',
    doc({
      tags,
      summary: 'The catalog search index: generation, age, size, state and the bound on its staleness',
      description:
        '`stalenessBoundSeconds`: how long a catalog change takes at most to reach searches when nothing fails (build request delay + the last build time + the readers’ pointer cache).',
      ok: Status,
    }),
    requirePermission('accounts.view'),
    async (c) => c.json(await searchIndexStatus(c.var.services.search, c.var.services.now())),
  )
  .post(
    '/search/index/rebuild',
    doc({
      tags,
      summary: 'Rebuild the catalog search index now',
      status: 202,
      ok: v.object({ requestedGeneration: v.number() }),
    }),
    requirePermission('platform.admin'),
    async (c) => {
      const actor = actorOf(c);
      const requestedGeneration = await requestSearchRebuild(
        c.var.services.search,
        `requested by ${actor.principal.id}`,
        actor.now,
      );
      await auditInsert(c.var.services.db, actor, {
        companyId: null,
        action: 'search_index.rebuild',
        targetType: 'search_index',
        targetId: 'catalog',
        summary: `Requested a rebuild of the catalog search index (generation ${requestedGeneration})`,
      });
      return c.json({ requestedGeneration }, 202);
    },
  );

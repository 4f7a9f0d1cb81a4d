import { Hono } from 'hono';
import { forbidden } from '../domain/errors';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { validBody } from '../http/validate';
import { readRepSettings, updateRepSettings } from '../services/rep/settings';
import { RepSettings, RepSettingsPatch } from './rep-schemas';

const tags = ['Company'];
const SETTINGS =
  '`repMayPlaceOrders`: the company’s sales rep may check out carts they prepared for a buyer and enter orders taken by phone, email or at the counter, as the buyer (otherwise the rep prepares carts the buyer orders). `repSeesCarts`: the rep may read the company’s carts. Both off by default (docs/rep-workspace.md).';

/** What the company lets its sales rep do; read by its administrator and by the rep, set by the administrator. */
export const repSettingsRoutes = new Hono<AppEnv>()
  .get(
    '/rep-settings',
    doc({ tags, summary: 'What the company’s sales rep may do', description: SETTINGS, ok: RepSettings }),
    async (c, next) => {
      const p = c.var.principal.permissions;
      if (!p.has('users.manage') && !p.has('orders.assist'))
        throw forbidden('This needs the "users.manage" permission');
      await next();
    },
    async (c) => c.json(await readRepSettings(scopeOf(c))),
  )
  .patch(
    '/rep-settings',
    doc({
      tags,
      summary: 'Change what the company’s sales rep may do',
      description: SETTINGS,
      ok: RepSettings,
    }),
    requirePermission('users.manage'),
    validBody(RepSettingsPatch),
    async (c) => c.json(await updateRepSettings(scopeOf(c), actorOf(c), c.req.valid('json'))),
  );

import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';
import { authenticated, jsonBodyGuards, requirePermission } from '../../http/middleware';
import { erpImportRoutes } from './imports';
import { erpItemRoutes } from './items';
import { erpOrderEventRoutes } from './order-events';

/**
 * The ERP's own API (docs/erp.md): a platform API key with scope `erp:write` (or a platform admin). Imports
 * take CSV, NDJSON and JSON bodies of up to 50 MB, streamed; every other route is the usual JSON of at most
 * 1 MiB.
 */
export function erpApi() {
  const api = new Hono<AppEnv>();
  api.use('*', async (c, next) =>
    c.req.path.startsWith('/erp/v1/imports') ? next() : jsonBodyGuards(c, next),
  );
  api.use('*', authenticated, requirePermission('erp.write'));
  api.route('/imports', erpImportRoutes);
  api.route('/', erpItemRoutes);
  api.route('/orders', erpOrderEventRoutes);
  return api;
}

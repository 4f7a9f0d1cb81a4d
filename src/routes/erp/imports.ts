import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';

/** POST /erp/v1/imports/{kind}, GET /erp/v1/imports/{id} and its rejects. */
export const erpImportRoutes = new Hono<AppEnv>();

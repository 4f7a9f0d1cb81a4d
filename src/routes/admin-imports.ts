import { Hono } from 'hono';
import type { AppEnv } from '../http/context';

/** /v1/admin/imports (the ERP's import jobs, for platform admins). */
export const adminImportRoutes = new Hono<AppEnv>();

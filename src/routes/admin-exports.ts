import { Hono } from 'hono';
import type { AppEnv } from '../http/context';

/** /v1/admin/exports and POST /v1/admin/orders/{id}/export (ERP export state and re-drive). */
export const adminExportRoutes = new Hono<AppEnv>();

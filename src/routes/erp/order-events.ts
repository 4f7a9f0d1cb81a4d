import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';

/** POST /erp/v1/orders/{id}/events. */
export const erpOrderEventRoutes = new Hono<AppEnv>();

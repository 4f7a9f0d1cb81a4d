import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';

/** PUT /erp/v1/stock/{sku} and PUT /erp/v1/list-prices/{sku}. */
export const erpItemRoutes = new Hono<AppEnv>();

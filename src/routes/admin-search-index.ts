import { Hono } from 'hono';
import type { AppEnv } from '../http/context';

/** The search index's state and a manual rebuild, for the supplier's staff. */
export const adminSearchIndexRoutes = new Hono<AppEnv>();

import { Hono } from 'hono';
import type { AppEnv } from '../http/context';

/** Catalog search: GET /v1/search and /v1/search/suggest (docs/search.md). */
export const searchRoutes = new Hono<AppEnv>();

import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';

export const cxmlOrderRoutes = new Hono<AppEnv>();

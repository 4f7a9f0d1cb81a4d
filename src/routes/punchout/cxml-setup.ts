import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';

export const cxmlSetupRoutes = new Hono<AppEnv>();

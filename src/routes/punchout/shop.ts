import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';

export const shopRoutes = new Hono<AppEnv>();

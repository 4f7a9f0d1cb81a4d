import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';

export const sessionRoutes = new Hono<AppEnv>();

import { Hono } from 'hono';
import type { AppEnv } from '../http/context';

export const adminPunchoutRoutes = new Hono<AppEnv>();

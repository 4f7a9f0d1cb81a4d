import { Hono } from 'hono';
import type { AppEnv } from '../http/context';

export const partnerOrderRoutes = new Hono<AppEnv>();

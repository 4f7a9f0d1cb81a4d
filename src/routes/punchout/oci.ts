import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';

export const ociRoutes = new Hono<AppEnv>();

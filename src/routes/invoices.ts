import { Hono } from 'hono';
import type { AppEnv } from '../http/context';

/** /v1/invoices (invoices and credit notes of the caller's company). */
export const invoiceRoutes = new Hono<AppEnv>();

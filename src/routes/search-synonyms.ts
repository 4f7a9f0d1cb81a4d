import { Hono } from 'hono';
import type { AppEnv } from '../http/context';

/** Catalog-wide search synonyms, kept by the supplier's staff (mounted under /v1/admin). */
export const adminSearchSynonymRoutes = new Hono<AppEnv>();

/** A company's own search synonyms, kept by its administrators (mounted under /v1/company). */
export const companySearchSynonymRoutes = new Hono<AppEnv>();

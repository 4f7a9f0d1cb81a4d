import type { Database } from './client';

/**
 * The company a request acts for, resolved once by the tenant middleware. Scoped queries take this,
 * never a raw company id from the request, so "which company" cannot be forgotten or spoofed per handler.
 */
export interface CompanyScope {
  readonly companyId: string;
  readonly db: Database;
}

import { createMiddleware } from 'hono/factory';
import { companyObject } from '../durable/client';
import type { AppEnv } from '../http/context';
import { scopeOf } from '../http/middleware';
import { describeError, log } from '../lib/log';

/**
 * On a route that writes the company's checkout configuration (addresses, cost centers, budgets and their
 * settings, approval policies, users' limits): once the write succeeded, the company's object, which
 * decides checkouts with its own copy (durable/company-facts.ts), is told before the answer leaves, so the
 * next checkout decides with the change. Should the object not answer, the change stands (it is written)
 * and reaches checkouts within COMPANY_FACTS_MAX_AGE_MS; the failure is logged.
 */
export const tellsCompanyObject = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.status >= 300) return;
  try {
    await companyObject(c.env, scopeOf(c)).companyFactsChanged();
  } catch (err) {
    log('error', 'company object not told of a configuration change', {
      requestId: c.get('requestId'),
      companyId: scopeOf(c).companyId,
      ...describeError(err),
    });
  }
});

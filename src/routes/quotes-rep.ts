import { Hono } from 'hono';
import { listQuotes } from '../db/queries/quotes';
import { actsForAnyCompany } from '../domain/principal';
import type { QuoteState } from '../domain/quote-terms';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, pageOf } from '../http/paging';
import { validQuery } from '../http/validate';
import { headerView } from '../services/quotes/records';
import { QuoteCursor, QuoteListItem, RepQuoteListQuery } from './quotes-schemas';

/** What waits for the rep unless asked otherwise: requests and counters. */
const WAITING: readonly QuoteState[] = ['requested', 'countered'];

/**
 * The rep's quote inbox across their accounts (mounted under /v1/rep): the quotes of the companies whose
 * sales rep they are; a platform admin sees every company's. Not company-scoped: it spans companies.
 */
export const repQuoteRoutes = new Hono<AppEnv>().get(
  '/quotes',
  doc({
    tags: ['Quotes'],
    summary: 'The quotes waiting for me across my accounts (requested and countered unless `state` says)',
    description:
      'A sales rep sees the quotes of the companies they are the rep of; a platform admin every company’s. Filters: `state` (comma-separated), `companyId`. Newest request first, keyset paged.',
    ok: pageOf(QuoteListItem),
  }),
  requirePermission('quotes.respond'),
  validQuery(RepQuoteListQuery),
  async (c) => {
    const q = c.req.valid('query');
    const { principal, services } = c.var;
    const rows = await listQuotes(services.db, {
      companyId: q.companyId,
      accountsOf: actsForAnyCompany(principal) ? undefined : principal.id,
      states: q.state ?? WAITING,
      before: decodeCursor(QuoteCursor, q.cursor),
      limit: q.limit,
    });
    const page = keysetPage(rows, q.limit, (r) => ({ at: r.quote.requestedAt, id: r.quote.id }));
    return c.json({
      ...page,
      items: page.items.map((r) => ({ ...headerView(r.quote), companyName: r.companyName })),
    });
  },
);

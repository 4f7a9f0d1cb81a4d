import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { AppError } from './domain/errors';
import type { AppEnv } from './http/context';
import {
  authenticated,
  companyScoped,
  jsonBodyGuards,
  punchoutConfined,
  requestLog,
  services,
} from './http/middleware';
import { handleError } from './http/problem';
import { securityHeaders } from './http/security-headers';
import { adminRoutes } from './routes/admin';
import { adminExportRoutes } from './routes/admin-exports';
import { adminImportRoutes } from './routes/admin-imports';
import { offerRoutes } from './routes/admin-offers';
import { adminPriceIndexRoutes } from './routes/admin-price-index';
import { pricingAdminRoutes } from './routes/admin-pricing';
import { adminPunchoutRoutes } from './routes/admin-punchout';
import { adminSearchIndexRoutes } from './routes/admin-search-index';
import { approvalRoutes, delegationRoutes } from './routes/approvals';
import { auditRoutes } from './routes/audit';
import { loginRoutes, meRoutes } from './routes/auth';
import { cartRoutes } from './routes/carts';
import { catalogRoutes } from './routes/catalog';
import { catalogFrequentRoutes } from './routes/catalog-frequent';
import { checkoutRoutes } from './routes/checkout';
import { companyProfileRoutes } from './routes/company';
import { companyApprovalRoutes } from './routes/company-approvals';
import { companyBudgetRoutes } from './routes/company-budgets';
import { companyNotificationRoutes } from './routes/company-notifications';
import { companyPartNumberRoutes } from './routes/company-part-numbers';
import { companyPlaceRoutes } from './routes/company-places';
import { companyUserRoutes } from './routes/company-users';
import { docsRoutes } from './routes/docs';
import { erpApi } from './routes/erp';
import { acceptInvitationRoutes, companyInvitationRoutes } from './routes/invitations';
import { invoiceRoutes } from './routes/invoices';
import { adminKpiRoutes, companyKpiRoutes, repKpiRoutes } from './routes/kpis';
import { listActionRoutes } from './routes/list-actions';
import { listRoutes } from './routes/lists';
import { orderRoutes } from './routes/orders';
import { partnerOrderRoutes } from './routes/partner-orders';
import { priceRoutes } from './routes/prices';
import { punchoutApi } from './routes/punchout';
import { quickOrderRoutes } from './routes/quick-order';
import { quoteRoutes } from './routes/quotes';
import { repQuoteRoutes } from './routes/quotes-rep';
import { recurringOrderRoutes } from './routes/recurring-orders';
import { repAccountRoutes, repAssistRoutes } from './routes/rep';
import { repSettingsRoutes } from './routes/rep-settings';
import { searchRoutes } from './routes/search';
import { adminSearchSynonymRoutes, companySearchSynonymRoutes } from './routes/search-synonyms';
import { benchRoutes, systemRoutes } from './routes/system';

/** Routes below require credentials; tenant-scoped ones resolve their company once, in `companyScoped`. */
function v1() {
  const api = new Hono<AppEnv>();
  api.use(authenticated, punchoutConfined);
  api.route('/', meRoutes);
  api.use('/catalog/frequently-ordered', companyScoped);
  api.route('/catalog', catalogFrequentRoutes);
  api.route('/catalog', catalogRoutes);
  api.route('/prices', priceRoutes);
  api.route('/search', searchRoutes);
  // carts and checkout share the prefix: the tenant scope is set for both here, and each route states its
  // own permission (cart.manage or order.place), so neither borrows the other's
  api.use('/carts', companyScoped);
  api.use('/carts/*', companyScoped);
  api.route('/carts', cartRoutes);
  api.route('/carts', checkoutRoutes);
  api.route('/orders', orderRoutes);
  api.use('/partner/*', companyScoped);
  api.route('/partner', partnerOrderRoutes);
  api.use('/quick-order/*', companyScoped);
  api.route('/quick-order', quickOrderRoutes);
  api.use('/lists', companyScoped);
  api.use('/lists/*', companyScoped);
  api.route('/lists', listRoutes);
  api.route('/lists', listActionRoutes);
  api.use('/invoices', companyScoped);
  api.use('/invoices/*', companyScoped);
  api.route('/invoices', invoiceRoutes);
  api.route('/approvals', approvalRoutes);
  api.route('/delegations', delegationRoutes);
  api.route('/recurring-orders', recurringOrderRoutes);
  api.use('/quotes', companyScoped);
  api.use('/quotes/*', companyScoped);
  api.route('/quotes', quoteRoutes);
  api.route('/rep', repQuoteRoutes);
  api.use('/company/*', companyScoped);
  api.use('/company', companyScoped);
  api.route('/company', companyProfileRoutes);
  api.route('/company', companyUserRoutes);
  api.route('/company', companyInvitationRoutes);
  api.route('/company', companyPlaceRoutes);
  api.route('/company', companyApprovalRoutes);
  api.route('/company', companyBudgetRoutes);
  api.route('/company', companyNotificationRoutes);
  api.route('/company', companyPartNumberRoutes);
  api.route('/company', companySearchSynonymRoutes);
  api.route('/company', companyKpiRoutes);

  api.route('/company', repSettingsRoutes);
  // the rep's workspace: the dashboard spans the rep's accounts; assisted ordering acts for one (X-Company-Id)
  api.route('/rep', repAccountRoutes);
  api.use('/rep/carts', companyScoped);
  api.use('/rep/carts/*', companyScoped);
  api.use('/rep/orders', companyScoped);
  api.route('/rep', repAssistRoutes);
  api.use('/audit', companyScoped);
  api.route('/audit', auditRoutes);
  api.route('/admin', adminRoutes);
  api.route('/admin', pricingAdminRoutes);
  api.route('/admin', adminPriceIndexRoutes);
  api.route('/admin', offerRoutes);
  api.route('/admin', adminImportRoutes);
  api.route('/admin', adminExportRoutes);
  api.route('/admin', adminPunchoutRoutes);
  api.route('/admin', adminSearchIndexRoutes);
  api.route('/admin', adminSearchSynonymRoutes);
  api.route('/admin', adminKpiRoutes);
  api.route('/rep', repKpiRoutes);
  return api;
}

export function createApp() {
  const app = new Hono<AppEnv>();
  app.use(securityHeaders, requestId({ headerName: 'x-request-id' }), requestLog, services);
  // The JSON API's body rules; the ERP's imports (/erp/v1) and punch-out (/punchout) mount their own.
  app.use('/v1/*', jsonBodyGuards);
  app.onError(handleError);
  app.notFound(() => {
    throw new AppError('not_found', 'No such route');
  });
  app.route('/_bench', benchRoutes);
  app.route('/v1', loginRoutes);
  app.route('/v1', acceptInvitationRoutes);
  app.route('/v1', v1());
  app.route('/erp/v1', erpApi());
  app.route('/punchout', punchoutApi());
  app.route('/', systemRoutes(app));
  app.route('/', docsRoutes);
  return app;
}

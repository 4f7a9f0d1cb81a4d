import { eq } from 'drizzle-orm';
import { getPriceList, visibleCompanies } from '../../db/queries/pricing-admin';
import { companies } from '../../db/schema';
import { notFound } from '../../domain/errors';
import { type Actor, auditInsert } from '../audit';
import type { PricingDeps } from '../pricing/deps';
import { invalidate, issue, rejectUnknown, repIdOf } from './common';

/**
 * Names the price list a company (and its children without one of their own) prices from, or clears it
 * (null: the default list of its currency). A sales rep reaches only their accounts; others are a 404.
 */
export async function setCompanyPriceList(
  deps: PricingDeps,
  actor: Actor,
  companyId: string,
  priceListId: string | null,
) {
  const { db } = deps;
  const company = (await visibleCompanies(db, [companyId], repIdOf(actor.principal))).get(companyId);
  if (!company) throw notFound('Company');
  if (priceListId !== null) {
    const list = await getPriceList(db, priceListId);
    const problem = !list
      ? 'no such price list'
      : list.status !== 'active'
        ? 'the price list is archived'
        : list.currency !== company.defaultCurrency
          ? `the price list is in ${list.currency}, the company buys in ${company.defaultCurrency}`
          : null;
    if (problem)
      rejectUnknown('The price list cannot be used for this company', [issue('priceListId', problem)]);
  }
  await db.batch([
    db.update(companies).set({ priceListId }).where(eq(companies.id, companyId)),
    auditInsert(db, actor, {
      companyId,
      action: 'company.pricing_update',
      targetType: 'company',
      targetId: companyId,
      summary: priceListId
        ? `Set the price list of ${company.name} to ${priceListId}`
        : `Cleared the price list of ${company.name} (currency default applies)`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'assignments' }], `price list of ${companyId} changed`, actor.now);
  return { companyId, priceListId };
}

import {
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNotNull,
  isNull,
  lte,
  or,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { CartOffer } from '../../domain/offers';
import type { Database } from '../client';
import { cartOffers, companies, customerGroupMembers } from '../schema';

export type CartOfferRow = typeof cartOffers.$inferSelect;

const offerFields = {
  ...getTableColumns(cartOffers),
  // the sales rep of the offer's company, to decide access (never returned)
  companyRepId: sql<
    string | null
  >`(SELECT c.sales_rep_user_id FROM companies c WHERE c.id = cart_offers.company_id)`,
};

export type OfferView = NonNullable<Awaited<ReturnType<typeof getOffer>>>;

export async function getOffer(db: Database, id: string) {
  const [row] = await db.select(offerFields).from(cartOffers).where(eq(cartOffers.id, id)).limit(1);
  return row;
}

export interface OfferFilter {
  companyId?: string;
  groupId?: string;
  /** company: attached to one company; group: to one group; global: every customer */
  scope?: 'company' | 'group' | 'global';
  kind?: CartOfferRow['kind'];
  status?: CartOfferRow['status'];
  /** null: everything (platform admin); a rep sees their accounts' offers, group and global ones */
  repId: string | null;
  after?: { name: string; id: string };
  limit: number;
}

const SCOPE: Record<NonNullable<OfferFilter['scope']>, SQL | undefined> = {
  company: isNotNull(cartOffers.companyId),
  group: isNotNull(cartOffers.groupId),
  global: and(isNull(cartOffers.companyId), isNull(cartOffers.groupId)),
};

export const listOffers = (db: Database, f: OfferFilter) =>
  db
    .select(offerFields)
    .from(cartOffers)
    .where(
      and(
        f.repId
          ? or(
              isNull(cartOffers.companyId),
              inArray(
                cartOffers.companyId,
                db.select({ id: companies.id }).from(companies).where(eq(companies.salesRepUserId, f.repId)),
              ),
            )
          : undefined,
        f.companyId ? eq(cartOffers.companyId, f.companyId) : undefined,
        f.groupId ? eq(cartOffers.groupId, f.groupId) : undefined,
        f.scope ? SCOPE[f.scope] : undefined,
        f.kind ? eq(cartOffers.kind, f.kind) : undefined,
        f.status ? eq(cartOffers.status, f.status) : undefined,
        f.after
          ? or(
              gt(cartOffers.name, f.after.name),
              and(eq(cartOffers.name, f.after.name), gt(cartOffers.id, f.after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(cartOffers.name), asc(cartOffers.id))
    .limit(f.limit);

export const toCartOffer = (r: CartOfferRow): CartOffer => ({
  id: r.id,
  name: r.name,
  description: r.description,
  kind: r.kind,
  currency: r.currency,
  thresholdMinor: r.thresholdMinor,
  discountBp: r.discountBp,
  targetType: r.targetType,
  target: r.target,
  buyQuantity: r.buyQuantity,
  freeQuantity: r.freeQuantity,
  maxApplications: r.maxApplications,
  priority: r.priority,
  combinable: r.combinable,
  validFrom: r.validFrom,
  validTo: r.validTo,
});

/**
 * The active offers in force at `now` for a company buying in `currency`: its own company offers, those of
 * the given customer groups (resolved by the caller, as for pricing inputs), and the global ones. Highest
 * priority first, then id. `applyOffers` checks currency and window again; this only keeps the read small.
 */
export async function activeOffersFor(
  db: Database,
  q: { companyId: string; groupIds: readonly string[]; currency: string; now: number },
): Promise<CartOffer[]> {
  const groupIds = [...new Set(q.groupIds)];
  const rows = await db
    .select()
    .from(cartOffers)
    .where(
      and(
        eq(cartOffers.status, 'active'),
        eq(cartOffers.currency, q.currency),
        or(isNull(cartOffers.validFrom), lte(cartOffers.validFrom, q.now)),
        or(isNull(cartOffers.validTo), gt(cartOffers.validTo, q.now)),
        or(
          eq(cartOffers.companyId, q.companyId),
          groupIds.length > 0 ? inArray(cartOffers.groupId, groupIds) : undefined,
          and(isNull(cartOffers.companyId), isNull(cartOffers.groupId)),
        ),
      ),
    )
    .orderBy(desc(cartOffers.priority), asc(cartOffers.id));
  return rows.map(toCartOffer);
}

/**
 * A company's customer groups as pricing resolves them: its own memberships, or, if it has none, those of
 * its nearest ancestor that has some (docs/pricing.md, "Who gets what").
 */
export async function groupsOfCompany(db: Database, companyId: string): Promise<string[]> {
  const chain: string[] = [];
  let next: string | null = companyId;
  while (next && !chain.includes(next) && chain.length < 16) {
    chain.push(next);
    const [row] = await db
      .select({ parentId: companies.parentId })
      .from(companies)
      .where(eq(companies.id, next))
      .limit(1);
    next = row?.parentId ?? null;
  }
  const members = await db
    .select({ groupId: customerGroupMembers.groupId, companyId: customerGroupMembers.companyId })
    .from(customerGroupMembers)
    .where(inArray(customerGroupMembers.companyId, chain));
  const nearest = chain.find((id) => members.some((m) => m.companyId === id));
  return members
    .filter((m) => m.companyId === nearest)
    .map((m) => m.groupId)
    .sort();
}

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
import type { BatchRows } from './bulk';

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

/** Most companies a company's groups are looked up through: itself and its ancestors (as pricing does). */
const MAX_CHAIN = 16;

/** The company and its ancestors as an SQL subquery: one recursive read instead of one read per level. */
const chainOf = (companyId: string) =>
  sql`(WITH RECURSIVE chain(id, depth) AS (SELECT ${companyId}, 0 UNION ALL SELECT c.parent_id, chain.depth + 1 FROM companies c JOIN chain ON c.id = chain.id WHERE c.parent_id IS NOT NULL AND chain.depth < ${sql.raw(String(MAX_CHAIN - 1))}) SELECT id FROM chain)`;

/**
 * The reads behind `companyOffersFrom`, for one `batchRead` with whatever else the caller needs: the
 * company's ancestry, the group memberships along it, and every active offer not yet ended that the company
 * could get (its own, those of any group along its ancestry, the global ones). Groups are narrowed and
 * currency and start checked in code (`applyOffers` checks currency and window again at the instant it
 * prices), so nothing here waits for an earlier answer.
 */
export function companyOfferQueries(db: Database, companyId: string, now: number) {
  const groupsAlongChain = db
    .select({ groupId: customerGroupMembers.groupId })
    .from(customerGroupMembers)
    .where(inArray(customerGroupMembers.companyId, chainOf(companyId)));
  return {
    chain: db
      .select({ id: companies.id, parentId: companies.parentId })
      .from(companies)
      .where(inArray(companies.id, chainOf(companyId))),
    members: db
      .select({ groupId: customerGroupMembers.groupId, companyId: customerGroupMembers.companyId })
      .from(customerGroupMembers)
      .where(inArray(customerGroupMembers.companyId, chainOf(companyId))),
    offers: db
      .select()
      .from(cartOffers)
      .where(
        and(
          eq(cartOffers.status, 'active'),
          or(isNull(cartOffers.validTo), gt(cartOffers.validTo, now)),
          or(
            eq(cartOffers.companyId, companyId),
            inArray(cartOffers.groupId, groupsAlongChain),
            and(isNull(cartOffers.companyId), isNull(cartOffers.groupId)),
          ),
        ),
      )
      .orderBy(desc(cartOffers.priority), asc(cartOffers.id)),
  };
}

/**
 * A company's customer groups as pricing resolves them: its own memberships, or, if it has none, those of
 * its nearest ancestor that has some (docs/pricing.md, "Who gets what").
 */
export function nearestGroups(
  companyId: string,
  chainRows: readonly { id: string; parentId: string | null }[],
  members: readonly { groupId: string; companyId: string }[],
): string[] {
  const parentOf = new Map(chainRows.map((r) => [r.id, r.parentId]));
  const chain: string[] = [];
  let next: string | null = companyId;
  while (next && !chain.includes(next) && chain.length < MAX_CHAIN) {
    chain.push(next);
    next = parentOf.get(next) ?? null;
  }
  const nearest = chain.find((id) => members.some((m) => m.companyId === id));
  return members
    .filter((m) => m.companyId === nearest)
    .map((m) => m.groupId)
    .sort();
}

/** The offers the company gets, from the rows of `companyOfferQueries`: its own, its groups', the global ones. */
export function companyOffersFrom(
  companyId: string,
  rows: BatchRows<ReturnType<typeof companyOfferQueries>>,
): CartOffer[] {
  const groups = new Set(nearestGroups(companyId, rows.chain, rows.members));
  return rows.offers
    .filter(
      (o) =>
        o.companyId === companyId ||
        (o.groupId !== null && groups.has(o.groupId)) ||
        (o.companyId === null && o.groupId === null),
    )
    .map(toCartOffer);
}

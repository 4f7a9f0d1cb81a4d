import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { getOffer, listOffers, type OfferFilter, type OfferView } from '../db/queries/offers';
import { getGroup, visibleCompanies } from '../db/queries/pricing-admin';
import { cartOffers } from '../db/schema';
import { conflict, forbidden, notFound } from '../domain/errors';
import type { OfferKind } from '../domain/offers';
import type { TargetType } from '../domain/pricing/targets';
import type { Principal } from '../domain/principal';
import { newId } from '../lib/ids';
import { type Actor, auditInsert, describeChanges } from './audit';
import {
  changed,
  type Issue,
  isPlatformAdmin,
  issue,
  rejectInvalid,
  rejectUnknown,
  repIdOf,
  windowIssues,
} from './pricing-admin/common';
import { missingTargets, targetShapeIssues } from './pricing-admin/targets';

/**
 * Supplier administration of cart offers (docs/offers.md). Offers are read when a cart is priced, not
 * compiled into the price index, so a change needs no index invalidation.
 */
export interface OfferInput {
  name: string;
  description?: string;
  currency: string;
  companyId?: string | null;
  groupId?: string | null;
  kind: OfferKind;
  thresholdMinor?: number | null;
  discountBp?: number | null;
  targetType?: TargetType | null;
  target?: string | null;
  buyQuantity?: number | null;
  freeQuantity?: number | null;
  maxApplications?: number | null;
  priority?: number;
  combinable?: boolean;
  validFrom?: number | null;
  validTo?: number | null;
}

const GROUP_OR_GLOBAL = 'Group and global offers are maintained by platform administrators';

const present = ({ companyRepId: _rep, ...row }: OfferView) => row;

/** A sales rep reads their accounts' offers and every group or global one; another company's is a 404. */
async function readableOffer(db: Database, principal: Principal, id: string) {
  const row = await getOffer(db, id);
  if (!row) throw notFound('Offer');
  if (!isPlatformAdmin(principal) && row.companyId !== null && row.companyRepId !== principal.id)
    throw notFound('Offer');
  return row;
}

/** …and writes only their accounts' offers (group and global ones: 403); archived offers are read-only. */
async function writableOffer(db: Database, principal: Principal, id: string) {
  const row = await readableOffer(db, principal, id);
  if (row.companyId === null && !isPlatformAdmin(principal)) throw forbidden(GROUP_OR_GLOBAL);
  if (row.status === 'archived') throw conflict(`Offer ${row.name} is archived`);
  return row;
}

export const getOfferFor = async (db: Database, principal: Principal, id: string) =>
  present(await readableOffer(db, principal, id));

export const listOffersFor = async (db: Database, principal: Principal, filter: Omit<OfferFilter, 'repId'>) =>
  (await listOffers(db, { ...filter, repId: repIdOf(principal) })).map(present);

const isSet = (value: unknown): boolean => value !== undefined && value !== null;

const THRESHOLD_FIELDS = ['thresholdMinor', 'discountBp'] as const;
const BXGY_FIELDS = ['targetType', 'target', 'buyQuantity', 'freeQuantity', 'maxApplications'] as const;
const BXGY_REQUIRED = ['targetType', 'buyQuantity', 'freeQuantity'] as const;

/** The kind's own fields present, the other kind's absent (null); then target, scope and window. */
function shapeIssues(o: Partial<OfferInput> & Pick<OfferInput, 'kind'>): Issue[] {
  const threshold = o.kind === 'spend_threshold';
  const out: Issue[] = [
    ...(threshold ? THRESHOLD_FIELDS : BXGY_REQUIRED)
      .filter((field) => !isSet(o[field]))
      .map((field) => issue(field, `required when kind is "${o.kind}"`)),
    ...(threshold ? BXGY_FIELDS : THRESHOLD_FIELDS)
      .filter((field) => isSet(o[field]))
      .map((field) => issue(field, `must be absent when kind is "${o.kind}"`)),
  ];
  if (!threshold && o.targetType)
    out.push(...targetShapeIssues('', { targetType: o.targetType, target: o.target }));
  if (o.companyId && o.groupId) out.push(issue('groupId', 'send either companyId or groupId, not both'));
  out.push(...windowIssues('', o));
  return out;
}

type Checked = Partial<OfferInput> & Pick<OfferInput, 'kind' | 'currency'>;

/**
 * Shape (400), then who may write it (group and global offers: platform admins, 403), then references
 * (422): the group exists, the company is visible and buys in the offer's currency, the target exists.
 */
async function checkOffer(db: Database, principal: Principal, o: Checked, checkTarget: boolean) {
  rejectInvalid(shapeIssues(o));
  if (!o.companyId && !isPlatformAdmin(principal)) throw forbidden(GROUP_OR_GLOBAL);
  const unknown: Issue[] = [];
  if (o.groupId && !(await getGroup(db, o.groupId))) unknown.push(issue('groupId', 'no such customer group'));
  if (o.companyId) {
    const company = (await visibleCompanies(db, [o.companyId], repIdOf(principal))).get(o.companyId);
    if (!company) unknown.push(issue('companyId', 'no such company'));
    else if (company.defaultCurrency !== o.currency)
      unknown.push(issue('currency', `the company buys in ${company.defaultCurrency}`));
  }
  if (checkTarget && o.kind === 'buy_x_get_y' && o.targetType)
    unknown.push(...(await missingTargets(db, [{ path: 'target', kind: o.targetType, value: o.target }])));
  rejectUnknown('The offer names something that does not exist or does not fit', unknown);
}

const scopeOf = (o: { companyId?: string | null; groupId?: string | null }): string =>
  o.companyId ?? o.groupId ?? 'every customer';

export async function createOffer(db: Database, actor: Actor, input: OfferInput) {
  await checkOffer(db, actor.principal, input, true);
  const id = newId('off');
  await db.batch([
    db.insert(cartOffers).values({ ...input, id, createdAt: actor.now, updatedAt: actor.now }),
    auditInsert(db, actor, {
      companyId: input.companyId ?? null,
      action: 'offer.create',
      targetType: 'cart_offer',
      targetId: id,
      summary: `Created offer ${input.name} (${input.kind}, ${input.currency}) for ${scopeOf(input)}`,
    }),
  ]);
  return getOfferFor(db, actor.principal, id);
}

export async function updateOffer(db: Database, actor: Actor, id: string, changes: Partial<OfferInput>) {
  const existing = await writableOffer(db, actor.principal, id);
  const merged = { ...existing, ...changes };
  await checkOffer(db, actor.principal, merged, changed(existing, merged, ['kind', 'targetType', 'target']));
  await db.batch([
    db
      .update(cartOffers)
      .set({ ...changes, updatedAt: actor.now })
      .where(eq(cartOffers.id, id)),
    auditInsert(db, actor, {
      companyId: merged.companyId,
      action: 'offer.update',
      targetType: 'cart_offer',
      targetId: id,
      summary: `Updated offer ${existing.name}: ${describeChanges(changes)}`,
    }),
  ]);
  return getOfferFor(db, actor.principal, id);
}

/** Archived offers stop applying to carts at once; the row stays for the record (orders may name it). */
export async function archiveOffer(db: Database, actor: Actor, id: string) {
  const existing = await writableOffer(db, actor.principal, id);
  await db.batch([
    db.update(cartOffers).set({ status: 'archived', updatedAt: actor.now }).where(eq(cartOffers.id, id)),
    auditInsert(db, actor, {
      companyId: existing.companyId,
      action: 'offer.archive',
      targetType: 'cart_offer',
      targetId: id,
      summary: `Archived offer ${existing.name}`,
    }),
  ]);
}

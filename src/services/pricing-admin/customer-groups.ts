import { eq } from 'drizzle-orm';
import { chunks, PARAMS_PER_QUERY, runBatch } from '../../db/queries/bulk';
import { getGroup, groupInUse, groupMembers, visibleCompanies } from '../../db/queries/pricing-admin';
import { customerGroupMembers, customerGroups } from '../../db/schema';
import { conflict, notFound } from '../../domain/errors';
import { newId } from '../../lib/ids';
import { type Actor, auditInsert } from '../audit';
import type { PricingDeps } from '../pricing/deps';
import { type Issue, invalidate, issue, rejectInvalid, rejectUnknown } from './common';

export async function getGroupWithMembers(deps: PricingDeps, id: string) {
  const group = await getGroup(deps.db, id);
  if (!group) throw notFound('Customer group');
  return { ...group, members: await groupMembers(deps.db, id) };
}

export async function createGroup(deps: PricingDeps, actor: Actor, input: { name: string }) {
  const { db } = deps;
  const id = newId('grp');
  await db.batch([
    db.insert(customerGroups).values({ id, name: input.name, createdAt: actor.now, updatedAt: actor.now }),
    auditInsert(db, actor, {
      companyId: null,
      action: 'customer_group.create',
      targetType: 'customer_group',
      targetId: id,
      summary: `Created customer group ${input.name}`,
    }),
  ]);
  return getGroupWithMembers(deps, id);
}

/** A rename changes nobody's prices: no invalidation. */
export async function renameGroup(deps: PricingDeps, actor: Actor, id: string, input: { name: string }) {
  const { db } = deps;
  const existing = await getGroup(db, id);
  if (!existing) throw notFound('Customer group');
  await db.batch([
    db
      .update(customerGroups)
      .set({ name: input.name, updatedAt: actor.now })
      .where(eq(customerGroups.id, id)),
    auditInsert(db, actor, {
      companyId: null,
      action: 'customer_group.update',
      targetType: 'customer_group',
      targetId: id,
      summary: `Renamed customer group ${existing.name} to ${input.name}`,
    }),
  ]);
  return getGroupWithMembers(deps, id);
}

export async function deleteGroup(deps: PricingDeps, actor: Actor, id: string) {
  const { db } = deps;
  const existing = await getGroupWithMembers(deps, id);
  if (await groupInUse(db, id))
    throw conflict(`Customer group ${existing.name} is used by contracts or assortment rules`);
  await db.batch([
    db.delete(customerGroupMembers).where(eq(customerGroupMembers.groupId, id)),
    db.delete(customerGroups).where(eq(customerGroups.id, id)),
    auditInsert(db, actor, {
      companyId: null,
      action: 'customer_group.delete',
      targetType: 'customer_group',
      targetId: id,
      summary: `Deleted customer group ${existing.name} (${existing.members.length} member(s))`,
    }),
  ]);
  const changes = existing.members.length > 0 ? [{ kind: 'assignments' as const }] : [];
  await invalidate(deps, changes, `customer group ${id} deleted`, actor.now);
}

const MEMBER_ROWS_PER_STATEMENT = PARAMS_PER_QUERY / 2;

/** Replaces the member set: duplicates are a 400, unknown companies a 422, each with its `companyIds.N`. */
export async function setMembers(deps: PricingDeps, actor: Actor, id: string, companyIds: readonly string[]) {
  const { db } = deps;
  const existing = await getGroupWithMembers(deps, id);
  const seen = new Set<string>();
  const duplicates: Issue[] = [];
  companyIds.forEach((companyId, i) => {
    if (seen.has(companyId)) duplicates.push(issue(`companyIds.${i}`, `${companyId} appears more than once`));
    seen.add(companyId);
  });
  rejectInvalid(duplicates);
  const known = await visibleCompanies(db, companyIds, null);
  rejectUnknown(
    'Some companies do not exist',
    companyIds.flatMap((companyId, i) =>
      known.has(companyId) ? [] : [issue(`companyIds.${i}`, 'no such company')],
    ),
  );
  const before = new Set(existing.members.map((m) => m.id));
  const added = companyIds.filter((c) => !before.has(c)).length;
  const removed = existing.members.filter((m) => !seen.has(m.id)).length;
  await runBatch(db, [
    db.delete(customerGroupMembers).where(eq(customerGroupMembers.groupId, id)),
    ...chunks(companyIds, MEMBER_ROWS_PER_STATEMENT).map((chunk) =>
      db.insert(customerGroupMembers).values(chunk.map((companyId) => ({ groupId: id, companyId }))),
    ),
    db.update(customerGroups).set({ updatedAt: actor.now }).where(eq(customerGroups.id, id)),
    auditInsert(db, actor, {
      companyId: null,
      action: 'customer_group.members_set',
      targetType: 'customer_group',
      targetId: id,
      summary: `Set ${companyIds.length} member(s) of customer group ${existing.name} (+${added}, -${removed})`,
    }),
  ]);
  const changes = added + removed > 0 ? [{ kind: 'assignments' as const }] : [];
  await invalidate(deps, changes, `members of customer group ${id} changed`, actor.now);
  return getGroupWithMembers(deps, id);
}

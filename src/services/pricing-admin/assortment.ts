import { eq } from 'drizzle-orm';
import {
  type AssortmentFilter,
  getAssortmentRule,
  getGroup,
  listAssortmentRules,
  visibleCompanies,
} from '../../db/queries/pricing-admin';
import { assortmentRules } from '../../db/schema';
import { forbidden, notFound } from '../../domain/errors';
import type { TargetType } from '../../domain/pricing/targets';
import type { Principal } from '../../domain/principal';
import { newId } from '../../lib/ids';
import { type Actor, auditInsert, describeChanges } from '../audit';
import type { PricingDeps } from '../pricing/deps';
import type { PricingChange } from '../pricing/invalidation';
import {
  changed,
  type Issue,
  invalidate,
  isPlatformAdmin,
  issue,
  rejectInvalid,
  rejectUnknown,
  repIdOf,
} from './common';
import { missingTargets, targetShapeIssues } from './targets';

export interface AssortmentInput {
  scopeType: 'company' | 'group' | 'region';
  companyId?: string | null;
  groupId?: string | null;
  region?: string | null;
  effect: 'include' | 'exclude' | 'not_orderable' | 'lead_time';
  targetType: TargetType;
  target?: string | null;
  leadTimeDays?: number | null;
  note?: string | null;
}

const SCOPE_FIELD = { company: 'companyId', group: 'groupId', region: 'region' } as const;
const given = (x: unknown) => x !== undefined && x !== null;

/** The field of the scope is required and the other two absent; a lead time goes with `lead_time` only. */
function shapeIssues(r: AssortmentInput): Issue[] {
  const out: Issue[] = [];
  for (const field of Object.values(SCOPE_FIELD)) {
    const wanted = SCOPE_FIELD[r.scopeType] === field;
    if (wanted && !given(r[field])) out.push(issue(field, `required when scopeType is "${r.scopeType}"`));
    if (!wanted && given(r[field]))
      out.push(issue(field, `must be absent when scopeType is "${r.scopeType}"`));
  }
  if (r.effect === 'lead_time' && !given(r.leadTimeDays))
    out.push(issue('leadTimeDays', 'required when effect is "lead_time"'));
  if (r.effect !== 'lead_time' && given(r.leadTimeDays))
    out.push(issue('leadTimeDays', 'only for effect "lead_time"'));
  return [...out, ...targetShapeIssues('', r)];
}

/** Group and region rules are the platform admins'; a rep writes rules of their own accounts only. */
async function checkRule(deps: PricingDeps, principal: Principal, r: AssortmentInput, checkTarget: boolean) {
  rejectInvalid(shapeIssues(r));
  if (r.scopeType !== 'company' && !isPlatformAdmin(principal))
    throw forbidden('Group and region rules are maintained by platform administrators');
  const unknown: Issue[] = [];
  if (r.companyId && !(await visibleCompanies(deps.db, [r.companyId], repIdOf(principal))).has(r.companyId))
    unknown.push(issue('companyId', 'no such company'));
  if (r.groupId && !(await getGroup(deps.db, r.groupId)))
    unknown.push(issue('groupId', 'no such customer group'));
  if (checkTarget)
    unknown.push(
      ...(await missingTargets(deps.db, [{ path: 'target', kind: r.targetType, value: r.target }])),
    );
  rejectUnknown('The rule references records that do not exist', unknown);
}

async function readable(deps: PricingDeps, principal: Principal, id: string) {
  const found = await getAssortmentRule(deps.db, id);
  if (!found) throw notFound('Assortment rule');
  if (!isPlatformAdmin(principal) && found.rule.companyId !== null && found.companyRepId !== principal.id)
    throw notFound('Assortment rule');
  return found.rule;
}

async function writable(deps: PricingDeps, principal: Principal, id: string) {
  const rule = await readable(deps, principal, id);
  if (rule.scopeType !== 'company' && !isPlatformAdmin(principal))
    throw forbidden('Group and region rules are maintained by platform administrators');
  return rule;
}

export const getAssortmentRuleFor = readable;

export const listAssortmentRulesFor = (
  deps: PricingDeps,
  principal: Principal,
  filter: Omit<AssortmentFilter, 'repId'>,
) => listAssortmentRules(deps.db, { ...filter, repId: repIdOf(principal) });

const describe = (r: AssortmentInput) =>
  `${r.effect} ${r.target ?? 'everything'} for ${r.companyId ?? r.groupId ?? r.region}`;

export async function createAssortmentRule(deps: PricingDeps, actor: Actor, input: AssortmentInput) {
  await checkRule(deps, actor.principal, input, true);
  const { db } = deps;
  const id = newId('asr');
  await db.batch([
    db.insert(assortmentRules).values({ ...input, id, createdAt: actor.now, updatedAt: actor.now }),
    auditInsert(db, actor, {
      companyId: input.companyId ?? null,
      action: 'assortment_rule.create',
      targetType: 'assortment_rule',
      targetId: id,
      summary: `Created assortment rule: ${describe(input)}`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'assignments' }], `assortment rule ${id} created`, actor.now);
  return readable(deps, actor.principal, id);
}

export async function updateAssortmentRule(
  deps: PricingDeps,
  actor: Actor,
  id: string,
  changes: Partial<AssortmentInput>,
) {
  const existing = await writable(deps, actor.principal, id);
  const merged = { ...existing, ...changes };
  await checkRule(deps, actor.principal, merged, changed(existing, merged, ['targetType', 'target']));
  const { db } = deps;
  await db.batch([
    db
      .update(assortmentRules)
      .set({ ...changes, updatedAt: actor.now })
      .where(eq(assortmentRules.id, id)),
    auditInsert(db, actor, {
      companyId: merged.companyId,
      action: 'assortment_rule.update',
      targetType: 'assortment_rule',
      targetId: id,
      summary: `Updated assortment rule (${describe(existing)}): ${describeChanges(changes)}`,
    }),
  ]);
  const effects: PricingChange[] = [];
  if (changed(existing, merged, ['scopeType', 'companyId', 'groupId', 'region']))
    effects.push({ kind: 'assignments' });
  if (changed(existing, merged, ['effect', 'targetType', 'target', 'leadTimeDays']))
    effects.push({ kind: 'assortment_rule', ruleId: id });
  await invalidate(deps, effects, `assortment rule ${id} updated`, actor.now);
  return readable(deps, actor.principal, id);
}

export async function deleteAssortmentRule(deps: PricingDeps, actor: Actor, id: string) {
  const existing = await writable(deps, actor.principal, id);
  const { db } = deps;
  await db.batch([
    db.delete(assortmentRules).where(eq(assortmentRules.id, id)),
    auditInsert(db, actor, {
      companyId: existing.companyId,
      action: 'assortment_rule.delete',
      targetType: 'assortment_rule',
      targetId: id,
      summary: `Deleted assortment rule: ${describe(existing)}`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'assignments' }], `assortment rule ${id} deleted`, actor.now);
}

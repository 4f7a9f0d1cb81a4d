import { and, eq } from 'drizzle-orm';
import { chunks, JSON_ROWS_PER_STATEMENT, runBatch } from '../../db/queries/bulk';
import { getRule, insertRules, type PriceRuleRow, rulesPage } from '../../db/queries/pricing-admin';
import { priceRules } from '../../db/schema';
import { notFound } from '../../domain/errors';
import type { AppliesTo } from '../../domain/pricing/engine';
import type { TargetType } from '../../domain/pricing/targets';
import type { Principal } from '../../domain/principal';
import { newId } from '../../lib/ids';
import { type Actor, auditInsert, describeChanges } from '../audit';
import type { PricingDeps } from '../pricing/deps';
import { changed, type Issue, invalidate, issue, rejectInvalid, rejectUnknown, windowIssues } from './common';
import { readableContract, writableContract } from './contracts';
import { missingTargets, targetShapeIssues } from './targets';

export interface RuleInput {
  targetType: TargetType;
  target?: string | null;
  kind: 'net_price' | 'discount';
  amountMinor?: number | null;
  discountBp?: number | null;
  appliesTo?: AppliesTo;
  minQuantity?: number;
  priority?: number;
  validFrom?: number | null;
  validTo?: number | null;
  label?: string | null;
}

const given = (x: unknown) => x !== undefined && x !== null;

/** What the schema cannot check field by field: the target, the amount that goes with the kind, the window. */
export function ruleShapeIssues(prefix: string, r: RuleInput): Issue[] {
  const out = [...targetShapeIssues(prefix, r), ...windowIssues(prefix, r)];
  const [needed, forbidden] =
    r.kind === 'net_price'
      ? (['amountMinor', 'discountBp'] as const)
      : (['discountBp', 'amountMinor'] as const);
  if (!given(r[needed])) out.push(issue(`${prefix}${needed}`, `required when kind is "${r.kind}"`));
  if (given(r[forbidden]))
    out.push(issue(`${prefix}${forbidden}`, `must be absent when kind is "${r.kind}"`));
  // a net price is a price, not taken off anything
  if (r.kind === 'net_price' && r.appliesTo === 'contract')
    out.push(issue(`${prefix}appliesTo`, 'must be "list" or absent when kind is "net_price"'));
  return out;
}

export async function listRules(
  deps: PricingDeps,
  principal: Principal,
  contractId: string,
  afterId: string | undefined,
  limit: number,
) {
  await readableContract(deps, principal, contractId);
  return rulesPage(deps.db, contractId, afterId, limit);
}

/**
 * Adds up to 5,000 rules in one atomic batch: any shape error (400) or missing SKU, family, category or
 * brand (422, `rules.N.target`) anywhere and none is written.
 */
export async function createRules(deps: PricingDeps, actor: Actor, contractId: string, rules: RuleInput[]) {
  const contract = await writableContract(deps, actor.principal, contractId);
  rejectInvalid(rules.flatMap((r, i) => ruleShapeIssues(`rules.${i}.`, r)));
  const refs = rules.map((r, i) => ({ path: `rules.${i}.target`, kind: r.targetType, value: r.target }));
  rejectUnknown('Some rules target things that do not exist', await missingTargets(deps.db, refs));
  const rows: PriceRuleRow[] = rules.map((r) => ({
    id: newId('rule'),
    contractId,
    targetType: r.targetType,
    target: r.target ?? null,
    kind: r.kind,
    amountMinor: r.amountMinor ?? null,
    discountBp: r.discountBp ?? null,
    appliesTo: r.appliesTo ?? 'list',
    minQuantity: r.minQuantity ?? 1,
    priority: r.priority ?? 0,
    validFrom: r.validFrom ?? null,
    validTo: r.validTo ?? null,
    label: r.label ?? null,
    erpKey: null,
    erpVersion: null,
    createdAt: actor.now,
    updatedAt: actor.now,
  }));
  const { db } = deps;
  await runBatch(db, [
    ...chunks(rows, JSON_ROWS_PER_STATEMENT).map((chunk) => insertRules(db, chunk)),
    auditInsert(db, actor, {
      companyId: contract.companyId,
      action: 'price_rule.create',
      targetType: 'contract',
      targetId: contractId,
      summary: `Added ${rows.length} rule(s) to contract ${contract.name}`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'contract', contractId }], `rules of ${contractId} added`, actor.now);
  return rows;
}

async function ruleOf(deps: PricingDeps, actor: Actor, contractId: string, ruleId: string) {
  const contract = await writableContract(deps, actor.principal, contractId);
  const rule = await getRule(deps.db, contractId, ruleId);
  if (!rule) throw notFound('Rule');
  return { contract, rule };
}

export async function updateRule(
  deps: PricingDeps,
  actor: Actor,
  contractId: string,
  ruleId: string,
  changes: Partial<RuleInput>,
) {
  const { contract, rule } = await ruleOf(deps, actor, contractId, ruleId);
  const merged = { ...rule, ...changes };
  rejectInvalid(ruleShapeIssues('', merged));
  if (changed(rule, merged, ['targetType', 'target'])) {
    const refs = [{ path: 'target', kind: merged.targetType, value: merged.target }];
    rejectUnknown('The rule targets something that does not exist', await missingTargets(deps.db, refs));
  }
  const { db } = deps;
  const where = and(eq(priceRules.id, ruleId), eq(priceRules.contractId, contractId));
  await db.batch([
    db
      .update(priceRules)
      .set({ ...changes, updatedAt: actor.now })
      .where(where),
    auditInsert(db, actor, {
      companyId: contract.companyId,
      action: 'price_rule.update',
      targetType: 'price_rule',
      targetId: ruleId,
      summary: `Updated a rule of contract ${contract.name}: ${describeChanges(changes)}`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'contract', contractId }], `rule ${ruleId} updated`, actor.now);
  return getRule(db, contractId, ruleId);
}

export async function deleteRule(deps: PricingDeps, actor: Actor, contractId: string, ruleId: string) {
  const { contract, rule } = await ruleOf(deps, actor, contractId, ruleId);
  const { db } = deps;
  await db.batch([
    db.delete(priceRules).where(and(eq(priceRules.id, ruleId), eq(priceRules.contractId, contractId))),
    auditInsert(db, actor, {
      companyId: contract.companyId,
      action: 'price_rule.delete',
      targetType: 'price_rule',
      targetId: ruleId,
      summary: `Removed the ${rule.kind} rule on ${rule.target ?? 'everything'} from contract ${contract.name}`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'contract', contractId }], `rule ${ruleId} deleted`, actor.now);
}

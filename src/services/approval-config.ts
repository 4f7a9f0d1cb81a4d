import { and, eq } from 'drizzle-orm';
import {
  type ApprovalPolicyRow,
  activeCostCenter,
  activeUserIds,
  budgetOf,
  existingCategoryPaths,
  getApprovalPolicy,
  getBudget,
} from '../db/queries/approval-config';
import { getCompany } from '../db/queries/companies';
import { listCompanyRoles } from '../db/queries/company-roles';
import { approvalPolicies, budgets } from '../db/schema-orders';
import type { CompanyScope } from '../db/scope';
import { AppError, conflict, type FieldIssue, notFound } from '../domain/errors';
import { formatMinor } from '../domain/money';
import { newId } from '../lib/ids';
import { type Actor, auditInsert, describeChanges } from './audit';

type Status = 'active' | 'archived';
type Kind = ApprovalPolicyRow['kind'];
export interface StepInput {
  role?: string;
  userIds?: string[];
  required: number;
}
export interface PolicyInput {
  name: string;
  kind: Kind;
  thresholdMinor?: number;
  secondThresholdMinor?: number;
  costCenterId?: string;
  categories?: string[];
  steps: StepInput[];
}
export type PolicyChanges = Partial<Omit<PolicyInput, 'kind'>> & { status?: Status };

const SHAPE_FIELDS = ['thresholdMinor', 'secondThresholdMinor', 'costCenterId', 'categories'] as const;
type ShapeField = (typeof SHAPE_FIELDS)[number];
const FIELDS_OF: Record<Kind, readonly ShapeField[]> = {
  amount: ['thresholdMinor'],
  two_levels: ['thresholdMinor', 'secondThresholdMinor'],
  cost_center: ['costCenterId'],
  categories: ['categories'],
  first_order: [],
};
/** How many steps each shape uses; the others take a chain of 1 to 3. */
const STEP_COUNT: Partial<Record<Kind, number>> = { amount: 1, two_levels: 2 };

const issue = (path: string, message: string): FieldIssue & { in: 'body' } => ({ in: 'body', path, message });

/** Fields that depend on each other or on the kind: 400, like a schema error. */
function rejectInvalid(issues: FieldIssue[]): void {
  if (issues.length > 0)
    throw new AppError('validation_failed', `${issues.length} invalid field(s) in the request body`, issues);
}

interface Shape {
  kind: Kind;
  steps: StepInput[];
  thresholdMinor?: number | null;
  secondThresholdMinor?: number | null;
  costCenterId?: string | null;
  categories?: string[] | null;
}

function shapeIssues(p: Shape): FieldIssue[] {
  const issues = SHAPE_FIELDS.flatMap((field) => {
    const used = FIELDS_OF[p.kind].includes(field);
    const set = p[field] !== undefined && p[field] !== null;
    if (used && !set) return [issue(field, `required for ${p.kind} policies`)];
    if (!used && set) return [issue(field, `not used by ${p.kind} policies`)];
    return [];
  });
  const { thresholdMinor: first, secondThresholdMinor: second } = p;
  if (p.kind === 'two_levels' && first != null && second != null && second <= first)
    issues.push(issue('secondThresholdMinor', 'must be above thresholdMinor'));
  const count = STEP_COUNT[p.kind];
  if (count !== undefined && p.steps.length !== count)
    issues.push(issue('steps', `${p.kind} policies have exactly ${count} step(s)`));
  const seen = p.steps.map((s) => JSON.stringify([s.role ?? null, [...(s.userIds ?? [])].sort()]));
  seen.forEach((sig, i) => {
    const j = seen.indexOf(sig);
    if (j < i) issues.push(issue(`steps.${i}`, `asks the same approvers as step ${j}`));
  });
  return issues;
}

/** References to records that must exist in this company: 422 with every offending path. */
async function checkReferences(scope: CompanyScope, p: Partial<PolicyInput>): Promise<void> {
  const issues: FieldIssue[] = [];
  if (p.costCenterId && !(await activeCostCenter(scope, p.costCenterId)))
    issues.push(issue('costCenterId', 'no active cost center of this company'));
  if (p.categories) {
    const found = await existingCategoryPaths(scope, p.categories);
    p.categories.forEach((path, i) => {
      if (!found.has(path)) issues.push(issue(`categories.${i}`, `no category ${path}`));
    });
  }
  if (p.steps) {
    const steps = p.steps;
    const [roleKeys, userIds] = await Promise.all([
      steps.some((s) => s.role)
        ? listCompanyRoles(scope).then((r) => new Set(r.map((x) => x.key)))
        : new Set(),
      activeUserIds(
        scope,
        steps.flatMap((s) => s.userIds ?? []),
      ),
    ]);
    steps.forEach((s, i) => {
      if (s.role && !roleKeys.has(s.role))
        issues.push(issue(`steps.${i}.role`, `no role ${s.role} in this company`));
      (s.userIds ?? []).forEach((id, m) => {
        if (!userIds.has(id)) issues.push(issue(`steps.${i}.userIds.${m}`, 'no active user of this company'));
      });
    });
  }
  if (issues.length > 0) throw new AppError('unprocessable', 'Some referenced records do not exist', issues);
}

async function existingPolicy(scope: CompanyScope, id: string) {
  const row = await getApprovalPolicy(scope, id);
  if (!row) throw notFound('Approval policy');
  return row;
}

export async function createApprovalPolicy(scope: CompanyScope, actor: Actor, input: PolicyInput) {
  rejectInvalid(shapeIssues(input));
  await checkReferences(scope, input);
  const id = newId('apr');
  const { db, companyId } = scope;
  await db.batch([
    db.insert(approvalPolicies).values({
      ...input,
      id,
      companyId,
      createdAt: actor.now,
      updatedAt: actor.now,
    }),
    auditInsert(db, actor, {
      companyId,
      action: 'approval_policy.create',
      targetType: 'approval_policy',
      targetId: id,
      summary: `Created approval policy ${input.name} (${input.kind})`,
    }),
  ]);
  return existingPolicy(scope, id);
}

/** The kind is fixed; the merged policy must still have its kind's shape. Unsent references are not re-checked. */
export async function updateApprovalPolicy(
  scope: CompanyScope,
  actor: Actor,
  id: string,
  changes: PolicyChanges,
) {
  const existing = await existingPolicy(scope, id);
  rejectInvalid(shapeIssues({ ...existing, ...changes }));
  await checkReferences(scope, changes);
  const { db, companyId } = scope;
  await db.batch([
    db
      .update(approvalPolicies)
      .set({ ...changes, updatedAt: actor.now })
      .where(and(eq(approvalPolicies.id, id), eq(approvalPolicies.companyId, companyId))),
    auditInsert(db, actor, {
      companyId,
      action: 'approval_policy.update',
      targetType: 'approval_policy',
      targetId: id,
      summary: `Updated approval policy ${existing.name}: ${describeChanges(changes)}`,
    }),
  ]);
  return existingPolicy(scope, id);
}

export async function archiveApprovalPolicy(scope: CompanyScope, actor: Actor, id: string): Promise<void> {
  const existing = await existingPolicy(scope, id);
  if (existing.status === 'archived') throw conflict(`Approval policy ${existing.name} is already archived`);
  const { db, companyId } = scope;
  await db.batch([
    db
      .update(approvalPolicies)
      .set({ status: 'archived', updatedAt: actor.now })
      .where(and(eq(approvalPolicies.id, id), eq(approvalPolicies.companyId, companyId))),
    auditInsert(db, actor, {
      companyId,
      action: 'approval_policy.archive',
      targetType: 'approval_policy',
      targetId: id,
      summary: `Archived approval policy ${existing.name}`,
    }),
  ]);
}

export interface BudgetInput {
  costCenterId: string;
  period: 'month' | 'quarter' | 'year';
  amountMinor: number;
  currency: string;
  onExceed?: 'finance_approval' | 'refuse';
}
export type BudgetChanges = Partial<Pick<BudgetInput, 'amountMinor' | 'currency' | 'onExceed'>> & {
  status?: Status;
};

async function checkCurrency(scope: CompanyScope, currency: string): Promise<void> {
  const company = await getCompany(scope.db, scope.companyId);
  if (company && company.defaultCurrency !== currency)
    throw new AppError('unprocessable', 'The budget is not in the company currency', [
      issue('currency', `the company buys in ${company.defaultCurrency}`),
    ]);
}

async function existingBudget(scope: CompanyScope, id: string) {
  const row = await getBudget(scope, id);
  if (!row) throw notFound('Budget');
  return row;
}

const money = (minor: number, currency: string) => `${formatMinor({ minor, currency })} ${currency}`;

export async function createBudget(scope: CompanyScope, actor: Actor, input: BudgetInput) {
  const cc = await activeCostCenter(scope, input.costCenterId);
  if (!cc)
    throw new AppError('unprocessable', 'Unknown cost center', [
      issue('costCenterId', 'no active cost center of this company'),
    ]);
  await checkCurrency(scope, input.currency);
  const taken = await budgetOf(scope, input.costCenterId, input.period);
  if (taken)
    throw conflict(
      taken.status === 'archived'
        ? `An archived ${input.period} budget exists for ${cc.code} (${taken.id}): reactivate it with PATCH`
        : `${cc.code} already has a ${input.period} budget (${taken.id})`,
    );
  const id = newId('bud');
  const { db, companyId } = scope;
  await db.batch([
    db.insert(budgets).values({ ...input, id, companyId, createdAt: actor.now, updatedAt: actor.now }),
    auditInsert(db, actor, {
      companyId,
      action: 'budget.create',
      targetType: 'budget',
      targetId: id,
      summary: `Created ${input.period} budget of ${money(input.amountMinor, input.currency)} for ${cc.code}`,
    }),
  ]);
  return existingBudget(scope, id);
}

export async function updateBudget(scope: CompanyScope, actor: Actor, id: string, changes: BudgetChanges) {
  const existing = await existingBudget(scope, id);
  if (changes.currency) await checkCurrency(scope, changes.currency);
  const { db, companyId } = scope;
  await db.batch([
    db
      .update(budgets)
      .set({ ...changes, updatedAt: actor.now })
      .where(and(eq(budgets.id, id), eq(budgets.companyId, companyId))),
    auditInsert(db, actor, {
      companyId,
      action: 'budget.update',
      targetType: 'budget',
      targetId: id,
      summary: `Updated ${existing.period} budget ${id}: ${describeChanges(changes)}`,
    }),
  ]);
  return existingBudget(scope, id);
}

export async function archiveBudget(scope: CompanyScope, actor: Actor, id: string): Promise<void> {
  const existing = await existingBudget(scope, id);
  if (existing.status === 'archived') throw conflict('The budget is already archived');
  const { db, companyId } = scope;
  await db.batch([
    db
      .update(budgets)
      .set({ status: 'archived', updatedAt: actor.now })
      .where(and(eq(budgets.id, id), eq(budgets.companyId, companyId))),
    auditInsert(db, actor, {
      companyId,
      action: 'budget.archive',
      targetType: 'budget',
      targetId: id,
      summary: `Archived ${existing.period} budget ${id}`,
    }),
  ]);
}

import { Hono, type MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import * as v from 'valibot';
import { getApprovalPolicy, listApprovalPolicies } from '../db/queries/approval-config';
import { forbidden, notFound } from '../domain/errors';
import { APPROVAL_POLICY_KINDS } from '../domain/order-terms';
import type { Permission } from '../domain/permissions';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { validBody, validParams, validQuery } from '../http/validate';
import {
  archiveApprovalPolicy,
  createApprovalPolicy,
  updateApprovalPolicy,
} from '../services/approval-config';
import { tellsCompanyObject } from './company-facts';
import { IdParam, IdSchema, MoneyMinorSchema, NameSchema, patchOf, StatusSchema, text } from './schemas';

/** Passes when the principal holds at least one of `permissions`. */
export function requireAnyPermission(...permissions: Permission[]): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!permissions.some((p) => c.var.principal.permissions.has(p)))
      throw forbidden(`This needs one of the permissions ${permissions.map((p) => `"${p}"`).join(', ')}`);
    await next();
  });
}

/** Admins configure; approvers and finance read what they will be asked to approve. */
export const readApprovalConfig = requireAnyPermission('users.manage', 'order.approve', 'invoices.view');
export const manageApprovalConfig = requirePermission('users.manage');
export const StatusQuery = v.strictObject({ status: v.optional(StatusSchema) });
// Strip the tenant column: callers already know their company.
export const present = <T extends { companyId: string }>({ companyId: _c, ...row }: T) => row;

const unique = (items: string[]) => new Set(items).size === items.length;
const RoleKey = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{1,39}$/, 'a role key, e.g. approver'));
const UserIds = v.pipe(
  v.array(IdSchema),
  v.minLength(1),
  v.maxLength(20),
  v.check(unique, 'name each user once'),
);
const Step = v.pipe(
  v.strictObject({
    role: v.optional(RoleKey),
    userIds: v.optional(UserIds),
    required: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20)),
  }),
  v.check((s) => s.role !== undefined || s.userIds !== undefined, 'give a role, userIds or both'),
  v.forward(
    v.check(
      (s) => s.role !== undefined || s.userIds === undefined || s.required <= s.userIds.length,
      'at most the number of userIds',
    ),
    ['required'],
  ),
);
const Steps = v.pipe(v.array(Step), v.minLength(1, 'at least one step'), v.maxLength(3, 'at most 3 steps'));
const Categories = v.pipe(
  v.array(text({ max: 300 })),
  v.minLength(1),
  v.maxLength(50),
  v.check(unique, 'name each category once'),
);
const shapeFields = {
  thresholdMinor: MoneyMinorSchema,
  secondThresholdMinor: MoneyMinorSchema,
  costCenterId: IdSchema,
  categories: Categories,
};
const NewPolicy = v.strictObject({
  name: NameSchema,
  kind: v.picklist(APPROVAL_POLICY_KINDS),
  thresholdMinor: v.optional(shapeFields.thresholdMinor),
  secondThresholdMinor: v.optional(shapeFields.secondThresholdMinor),
  costCenterId: v.optional(shapeFields.costCenterId),
  categories: v.optional(shapeFields.categories),
  steps: Steps,
});
const PolicyPatch = patchOf({ name: NameSchema, ...shapeFields, steps: Steps, status: StatusSchema });
const Policy = v.object({
  id: v.string(),
  name: v.string(),
  kind: v.picklist(APPROVAL_POLICY_KINDS),
  thresholdMinor: v.nullable(v.number()),
  secondThresholdMinor: v.nullable(v.number()),
  costCenterId: v.nullable(v.string()),
  categories: v.nullable(v.array(v.string())),
  steps: v.array(
    v.object({
      role: v.optional(v.string()),
      userIds: v.optional(v.array(v.string())),
      required: v.number(),
    }),
  ),
  status: StatusSchema,
  createdAt: v.number(),
  updatedAt: v.number(),
});

const tags = ['Company approval policies'];
const SHAPES =
  'Shapes (docs/approvals.md): `amount` needs thresholdMinor and one step; `two_levels` thresholdMinor < ' +
  'secondThresholdMinor and two steps; `cost_center` an active costCenterId; `categories` category paths; ' +
  '`first_order` nothing more. Steps name a role key and/or userIds of this company.';

export const companyApprovalRoutes = new Hono<AppEnv>()
  .get(
    '/approval-policies',
    doc({
      tags,
      summary: 'Approval policies, in evaluation order',
      ok: v.object({ items: v.array(Policy) }),
    }),
    readApprovalConfig,
    validQuery(StatusQuery),
    async (c) =>
      c.json({ items: (await listApprovalPolicies(scopeOf(c), c.req.valid('query').status)).map(present) }),
  )
  .get(
    '/approval-policies/:id',
    doc({ tags, summary: 'One approval policy', ok: Policy }),
    readApprovalConfig,
    validParams(IdParam),
    async (c) => {
      const policy = await getApprovalPolicy(scopeOf(c), c.req.valid('param').id);
      if (!policy) throw notFound('Approval policy');
      return c.json(present(policy));
    },
  )
  .post(
    '/approval-policies',
    doc({
      tags,
      summary: 'Add an approval policy',
      description: SHAPES,
      ok: Policy,
      status: 201,
      errors: { 422: 'Unknown cost center, category, role or user' },
    }),
    manageApprovalConfig,
    tellsCompanyObject,
    validBody(NewPolicy),
    async (c) =>
      c.json(present(await createApprovalPolicy(scopeOf(c), actorOf(c), c.req.valid('json'))), 201),
  )
  .patch(
    '/approval-policies/:id',
    doc({
      tags,
      summary: 'Change or reactivate an approval policy (its kind is fixed)',
      description: SHAPES,
      ok: Policy,
      errors: { 422: 'Unknown cost center, category, role or user' },
    }),
    manageApprovalConfig,
    tellsCompanyObject,
    validParams(IdParam),
    validBody(PolicyPatch),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(present(await updateApprovalPolicy(scopeOf(c), actorOf(c), id, c.req.valid('json'))));
    },
  )
  .delete(
    '/approval-policies/:id',
    doc({ tags, summary: 'Archive an approval policy', status: 204, errors: { 409: 'Already archived' } }),
    manageApprovalConfig,
    tellsCompanyObject,
    validParams(IdParam),
    async (c) => {
      await archiveApprovalPolicy(scopeOf(c), actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

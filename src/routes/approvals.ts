import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import * as v from 'valibot';
import { activeUserWithPermission } from '../db/queries/orders';
import { AppError } from '../domain/errors';
import type { AppContext, AppEnv } from '../http/context';
import { companyScoped, requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { onInvalid } from '../http/validate';
import { auditInsert } from '../services/audit';
import { cartsOf, unwrap } from '../services/carts';
import { IdParam, IdSchema, text } from './schemas';

const tags = ['Approvals'];
const Step = v.object({
  key: v.string(),
  reason: v.string(),
  policyId: v.nullable(v.string()),
  role: v.nullable(v.string()),
  userIds: v.array(v.string()),
  required: v.number(),
});
const Approval = v.object({
  orderId: v.string(),
  requesterId: v.string(),
  status: v.picklist(['pending', 'approved', 'rejected']),
  totalMinor: v.number(),
  currency: v.string(),
  steps: v.array(Step),
  currentStep: v.number(),
  decisions: v.array(
    v.object({
      stepKey: v.string(),
      by: v.string(),
      actingFor: v.nullable(v.string()),
      verdict: v.picklist(['approve', 'reject']),
      at: v.number(),
      comment: v.nullable(v.string()),
    }),
  ),
  actAs: v.array(v.object({ userId: v.string(), actingFor: v.nullable(v.string()) })),
  createdAt: v.number(),
});
const DecisionBody = v.strictObject({ comment: v.optional(text({ max: 1000, min: 0, multiline: true })) });
const Instant = v.pipe(v.string(), v.isoTimestamp('an ISO 8601 timestamp'), v.transform(Date.parse));
const NewDelegation = v.pipe(
  v.strictObject({ substituteUserId: IdSchema, startsAt: Instant, endsAt: Instant }),
  v.forward(
    v.check((d) => d.startsAt < d.endsAt, 'must be after startsAt'),
    ['endsAt'],
  ),
);
const Delegation = v.object({
  id: v.string(),
  delegatorId: v.string(),
  substituteId: v.string(),
  startsAt: v.number(),
  endsAt: v.number(),
  createdAt: v.number(),
});

const stubOf = (c: AppContext) => cartsOf(c.env, { scope: scopeOf(c), userId: c.var.principal.id });
const approver = (c: AppContext) => ({ userId: c.var.principal.id, roles: c.var.principal.roles });

function decide(verdict: 'approve' | 'reject') {
  return async (c: AppContext) => {
    const { stub, companyId } = stubOf(c);
    const body = (await c.req.json().catch(() => ({}))) as { comment?: string };
    const id = c.req.param('id') ?? '';
    const result = await stub.decideApproval(
      companyId,
      approver(c),
      id,
      verdict,
      body.comment?.trim() || null,
      c.var.requestId,
      c.var.services.now(),
    );
    return c.json(unwrap(result));
  };
}

export const approvalRoutes = new Hono<AppEnv>()
  .use(companyScoped)
  .use(requirePermission('order.approve'))
  .get(
    '/',
    doc({
      tags,
      summary: 'Approval requests I can act on now, also as a substitute',
      ok: v.object({ items: v.array(Approval) }),
    }),
    async (c) => {
      const { stub, companyId } = stubOf(c);
      return c.json({ items: await stub.listApprovals(companyId, approver(c), c.var.services.now()) });
    },
  )
  .post(
    '/:id/approve',
    doc({
      tags,
      summary: 'Approve the current step of an order',
      ok: Approval,
      errors: { 409: 'Already decided' },
    }),
    validator('param', IdParam, onInvalid),
    validator('json', DecisionBody, onInvalid),
    decide('approve'),
  )
  .post(
    '/:id/reject',
    doc({
      tags,
      summary: 'Reject an order; its lines return to the requester as a saved cart',
      ok: Approval,
      errors: { 409: 'Already decided' },
    }),
    validator('param', IdParam, onInvalid),
    validator('json', DecisionBody, onInvalid),
    decide('reject'),
  );

export const delegationRoutes = new Hono<AppEnv>()
  .use(companyScoped)
  .use(requirePermission('order.approve'))
  .get(
    '/',
    doc({ tags, summary: 'Delegations I gave or received', ok: v.object({ items: v.array(Delegation) }) }),
    async (c) => {
      const { stub, companyId, userId } = stubOf(c);
      return c.json({ items: await stub.listDelegations(companyId, userId) });
    },
  )
  .post(
    '/',
    doc({
      tags,
      summary: 'Hand my approvals to a substitute for a period',
      ok: Delegation,
      status: 201,
      errors: { 422: 'Unknown substitute, or a loop of substitutes' },
    }),
    validator('json', NewDelegation, onInvalid),
    async (c) => {
      const { stub, companyId, userId } = stubOf(c);
      const body = c.req.valid('json');
      const { db } = c.var.services;
      if (!(await activeUserWithPermission(db, companyId, body.substituteUserId, 'order.approve'))) {
        throw new AppError('unprocessable', 'The substitute cannot approve orders', [
          { path: 'substituteUserId', message: 'not an active approver of your company' },
        ]);
      }
      const now = c.var.services.now();
      const created = unwrap(
        await stub.createDelegation(
          companyId,
          {
            delegatorId: userId,
            substituteId: body.substituteUserId,
            startsAt: body.startsAt,
            endsAt: body.endsAt,
          },
          now,
        ),
      );
      await auditInsert(
        db,
        { principal: c.var.principal, requestId: c.var.requestId, now },
        {
          companyId,
          action: 'delegation.create',
          targetType: 'delegation',
          targetId: created.id,
          summary: `Approvals of ${userId} handed to ${body.substituteUserId} from ${new Date(body.startsAt).toISOString()} to ${new Date(body.endsAt).toISOString()}`,
        },
      );
      return c.json(created, 201);
    },
  )
  .delete(
    '/:id',
    doc({ tags, summary: 'Revoke a delegation I gave', status: 204 }),
    validator('param', IdParam, onInvalid),
    async (c) => {
      const { stub, companyId, userId } = stubOf(c);
      const now = c.var.services.now();
      unwrap(await stub.revokeDelegation(companyId, userId, c.req.valid('param').id, now));
      await auditInsert(
        c.var.services.db,
        { principal: c.var.principal, requestId: c.var.requestId, now },
        {
          companyId,
          action: 'delegation.revoke',
          targetType: 'delegation',
          targetId: c.req.valid('param').id,
          summary: 'Revoked a delegation',
        },
      );
      return c.body(null, 204);
    },
  );

import { type Context, Hono } from 'hono';
import * as v from 'valibot';
import { activeUserWithPermission } from '../db/queries/orders';
import { AppError } from '../domain/errors';
import { companyObject, unwrap } from '../durable/client';
import type { AppContext, AppEnv } from '../http/context';
import { companyScoped, requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { asSeenBy } from '../http/prices-visibility';
import { validBody, validParams } from '../http/validate';
import { auditInsert } from '../services/audit';
import { ApprovalStepSchema, DAY_MS, IdParam, IdSchema, InstantSchema, instantWindow, text } from './schemas';

const tags = ['Approvals'];
const Approval = v.object({
  orderId: v.string(),
  requesterId: v.string(),
  status: v.picklist(['pending', 'approved', 'rejected']),
  // absent without prices.view (src/http/prices-visibility.ts)
  totalMinor: v.optional(v.number()),
  currency: v.string(),
  steps: v.array(ApprovalStepSchema),
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
/** A substitute covers an absence; a year is the longest one a delegation may span. */
const MAX_DELEGATION_MS = 366 * DAY_MS;
const NewDelegation = v.pipe(
  v.strictObject({ substituteUserId: IdSchema, startsAt: InstantSchema, endsAt: InstantSchema }),
  instantWindow('startsAt', 'endsAt', { strict: true, maxMs: MAX_DELEGATION_MS }),
);
const Delegation = v.object({
  id: v.string(),
  delegatorId: v.string(),
  substituteId: v.string(),
  startsAt: v.number(),
  endsAt: v.number(),
  createdAt: v.number(),
});

const objectOf = (c: AppContext) => {
  const scope = scopeOf(c);
  return { stub: companyObject(c.env, scope), companyId: scope.companyId, userId: c.var.principal.id };
};
const approver = (c: AppContext) => ({ userId: c.var.principal.id, roles: c.var.principal.roles });

/** What the approve and reject routes validated before `decide` runs. */
type DecisionContext = Context<
  AppEnv,
  string,
  { out: { param: v.InferOutput<typeof IdParam>; json: v.InferOutput<typeof DecisionBody> } }
>;

function decide(verdict: 'approve' | 'reject') {
  return async (c: DecisionContext) => {
    const { stub } = objectOf(c);
    const body = c.req.valid('json');
    const { id } = c.req.valid('param');
    const result = await stub.decideApproval(
      approver(c),
      id,
      verdict,
      body.comment?.trim() || null,
      c.var.requestId,
      c.var.services.now(),
    );
    return c.json(asSeenBy(c.var.principal, unwrap(result)));
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
      const { stub } = objectOf(c);
      const items = await stub.listApprovals(approver(c), c.var.services.now());
      return c.json({ items: items.map((a) => asSeenBy(c.var.principal, a)) });
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
    validParams(IdParam),
    validBody(DecisionBody),
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
    validParams(IdParam),
    validBody(DecisionBody),
    decide('reject'),
  );

export const delegationRoutes = new Hono<AppEnv>()
  .use(companyScoped)
  .use(requirePermission('order.approve'))
  .get(
    '/',
    doc({ tags, summary: 'Delegations I gave or received', ok: v.object({ items: v.array(Delegation) }) }),
    async (c) => {
      const { stub, userId } = objectOf(c);
      return c.json({ items: await stub.listDelegations(userId) });
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
    validBody(NewDelegation),
    async (c) => {
      const { stub, companyId, userId } = objectOf(c);
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
    validParams(IdParam),
    async (c) => {
      const { stub, companyId, userId } = objectOf(c);
      const now = c.var.services.now();
      unwrap(await stub.revokeDelegation(userId, c.req.valid('param').id, now));
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

import { Hono } from 'hono';
import * as v from 'valibot';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { validBody, validParams } from '../http/validate';
import { acceptInvitation } from '../services/invitation-accept';
import { listInvitations, revokeInvitation } from '../services/invitations';
import { IdParam, PasswordSchema, PeriodLimitPeriodSchema } from './schemas';

export const Invitation = v.object({
  id: v.string(),
  companyId: v.string(),
  email: v.string(),
  name: v.string(),
  roleIds: v.array(v.string()),
  orderLimitMinor: v.nullable(v.number()),
  periodLimitMinor: v.nullable(v.number()),
  periodLimitPeriod: v.nullable(PeriodLimitPeriodSchema),
  status: v.literal('pending'),
  invitedBy: v.string(),
  createdAt: v.number(),
  expiresAt: v.number(),
  acceptToken: v.optional(v.string()),
});
const AcceptBody = v.strictObject({
  token: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'the token from the invitation')),
  password: PasswordSchema,
});

/** Pending invitations of the company (users.manage): see who has not joined yet, withdraw an invitation. */
export const companyInvitationRoutes = new Hono<AppEnv>()
  .get(
    '/invitations',
    doc({
      tags: ['Company users'],
      summary: 'Invitations waiting for their invitee (not accepted, revoked or expired)',
      ok: v.object({ items: v.array(Invitation) }),
    }),
    requirePermission('users.manage'),
    async (c) => c.json({ items: await listInvitations(scopeOf(c), c.var.services.now()) }),
  )
  .delete(
    '/invitations/:id',
    doc({ tags: ['Company users'], summary: 'Withdraw an invitation; its token stops working', status: 204 }),
    requirePermission('users.manage'),
    validParams(IdParam),
    async (c) => {
      await revokeInvitation(scopeOf(c), actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

/** Public: the invitee has no account yet; the one-time token is the credential. */
export const acceptInvitationRoutes = new Hono<AppEnv>().post(
  '/auth/accept-invitation',
  doc({
    tags: ['Auth'],
    summary: 'Accept an invitation: set a password; the account is created with the invitation’s roles',
    ok: v.object({ id: v.string(), email: v.string(), name: v.string(), companyId: v.string() }),
    status: 201,
    public: true,
  }),
  validBody(AcceptBody),
  async (c) => {
    const { db, now } = c.var.services;
    const body = c.req.valid('json');
    return c.json(await acceptInvitation(db, body, { now: now(), requestId: c.var.requestId }), 201);
  },
);

import { Hono } from 'hono';
import * as v from 'valibot';
import { getCompanyRole, listCompanyRoles } from '../db/queries/company-roles';
import { getCompanyUser, listCompanyUsers } from '../db/queries/company-users';
import { notFound } from '../domain/errors';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { validBody, validParams, validQuery } from '../http/validate';
import { createRole, updateRole } from '../services/company-roles';
import { updateUser } from '../services/company-users';
import { inviteUser } from '../services/invitations';
import { tellsCompanyObject } from './company-facts';
import { Invitation } from './invitations';
import {
  distinctItems,
  EmailSchema,
  IdParam,
  IdSchema,
  MoneyMinorSchema,
  NameSchema,
  PeriodLimitPeriodSchema,
  PermissionSchema,
  patchOf,
  periodLimitPair,
} from './schemas';

const userTags = ['Company users'];
const roleTags = ['Company roles'];

const User = v.object({
  id: v.string(),
  email: v.string(),
  name: v.string(),
  status: v.picklist(['active', 'disabled']),
  orderLimitMinor: v.nullable(v.number()),
  periodLimitMinor: v.nullable(v.number()),
  periodLimitPeriod: v.nullable(PeriodLimitPeriodSchema),
  roles: v.array(v.object({ id: v.string(), key: v.string() })),
  createdAt: v.number(),
  lastLoginAt: v.nullable(v.number()),
});
const Role = v.object({
  id: v.string(),
  key: v.string(),
  name: v.string(),
  builtIn: v.boolean(),
  permissions: v.array(v.string()),
});
const RoleIds = v.pipe(
  v.array(IdSchema),
  v.minLength(1, 'give the user at least one role'),
  v.maxLength(20),
  distinctItems<string>('this role is already in the list'),
);
const NewUserBody = v.pipe(
  v.strictObject({
    email: EmailSchema,
    name: NameSchema,
    roleIds: RoleIds,
    orderLimitMinor: v.optional(v.nullable(MoneyMinorSchema)),
    periodLimitMinor: v.optional(v.nullable(MoneyMinorSchema)),
    periodLimitPeriod: v.optional(v.nullable(PeriodLimitPeriodSchema)),
  }),
  periodLimitPair(),
);
const UserPatch = v.pipe(
  patchOf({
    name: NameSchema,
    status: v.picklist(['active', 'disabled']),
    roleIds: RoleIds,
    orderLimitMinor: v.nullable(MoneyMinorSchema),
    periodLimitMinor: v.nullable(MoneyMinorSchema),
    periodLimitPeriod: v.nullable(PeriodLimitPeriodSchema),
  }),
  periodLimitPair(),
);
const Permissions = v.pipe(v.array(PermissionSchema), v.minLength(1), v.maxLength(50));
const NewRoleBody = v.strictObject({
  key: v.pipe(
    v.string(),
    v.regex(/^[a-z][a-z0-9_]{1,39}$/, 'lowercase letters, digits and _, 2-40 characters'),
  ),
  name: NameSchema,
  permissions: Permissions,
});
const RolePatch = patchOf({ name: NameSchema, permissions: Permissions });
const manage = requirePermission('users.manage');
const UsersQuery = v.strictObject(PageParams);

export const companyUserRoutes = new Hono<AppEnv>()
  .get(
    '/users',
    doc({
      tags: userTags,
      summary: "List the company's users",
      ok: pageOf(User),
    }),
    manage,
    validQuery(UsersQuery),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(v.string(), cursor);
      const rows = await listCompanyUsers(scopeOf(c), after, limit + 1);
      return c.json(keysetPage(rows, limit, (last) => last.email));
    },
  )
  .get(
    '/users/:id',
    doc({ tags: userTags, summary: 'One user', ok: User }),
    manage,
    validParams(IdParam),
    async (c) => {
      const user = await getCompanyUser(scopeOf(c), c.req.valid('param').id);
      if (!user) throw notFound('User');
      return c.json(user);
    },
  )
  .post(
    '/users',
    doc({
      tags: userTags,
      summary: 'Invite a user with roles, an optional order limit and period cap',
      description:
        'Creates an invitation (202), answered the same whether or not the address has an account elsewhere; the invitee sets a password with the one-time token (`POST /v1/auth/accept-invitation`). The token reaches the invitee by mail; in development only, the answer carries it as `acceptToken`.',
      ok: Invitation,
      status: 202,
      errors: {
        403: 'Grants a role, permission or limit beyond your own',
        409: 'Already a user of your company',
        422: 'Unknown role',
      },
    }),
    manage,
    validBody(NewUserBody),
    async (c) => {
      const revealToken = c.env.ENVIRONMENT === 'development';
      return c.json(await inviteUser(scopeOf(c), actorOf(c), c.req.valid('json'), { revealToken }), 202);
    },
  )
  .patch(
    '/users/:id',
    doc({
      tags: userTags,
      summary: 'Change name, roles, order limit, period cap; disable or re-enable (takes effect at once)',
      ok: User,
      errors: {
        403: 'Your own roles or limits, a user holding more than you, or a grant beyond your own',
        409: 'Cannot disable yourself',
        422: 'Unknown role',
      },
    }),
    manage,
    tellsCompanyObject,
    validParams(IdParam),
    validBody(UserPatch),
    async (c) =>
      c.json(await updateUser(scopeOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'))),
  )
  .get(
    '/roles',
    doc({
      tags: roleTags,
      summary: 'Built-in and custom roles with their permissions',
      ok: v.object({ items: v.array(Role) }),
    }),
    manage,
    async (c) => c.json({ items: await listCompanyRoles(scopeOf(c)) }),
  )
  .get(
    '/roles/:id',
    doc({ tags: roleTags, summary: 'One role', ok: Role }),
    manage,
    validParams(IdParam),
    async (c) => {
      const role = await getCompanyRole(scopeOf(c), c.req.valid('param').id);
      if (!role) throw notFound('Role');
      return c.json(role);
    },
  )
  .post(
    '/roles',
    doc({
      tags: roleTags,
      summary: 'Create a custom role from customer permissions',
      ok: Role,
      status: 201,
      errors: { 403: 'Permissions you do not hold', 409: 'Key already used, or a built-in role key' },
    }),
    manage,
    validBody(NewRoleBody),
    async (c) => c.json(await createRole(scopeOf(c), actorOf(c), c.req.valid('json')), 201),
  )
  .patch(
    '/roles/:id',
    doc({
      tags: roleTags,
      summary: 'Rename a custom role or replace its permissions (built-ins are read-only)',
      ok: Role,
      errors: { 403: 'A built-in role, a role holding more than you, or permissions you do not hold' },
    }),
    manage,
    validParams(IdParam),
    validBody(RolePatch),
    async (c) =>
      c.json(await updateRole(scopeOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'))),
  );

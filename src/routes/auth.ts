import { Hono } from 'hono';
import * as v from 'valibot';
import { attemptContextOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { doc } from '../http/openapi';
import { validBody } from '../http/validate';
import { login } from '../services/auth';
import { EmailSchema, untrimmedText } from './schemas';

const tags = ['Auth'];
const LoginBody = v.strictObject({
  email: EmailSchema,
  password: untrimmedText({ max: 200 }),
});
const LoginResponse = v.object({
  accessToken: v.string(),
  tokenType: v.literal('Bearer'),
  expiresIn: v.number(),
  user: v.object({
    id: v.string(),
    email: v.string(),
    name: v.string(),
    companyId: v.nullable(v.string()),
    roles: v.array(v.string()),
  }),
});
const Me = v.object({
  kind: v.picklist(['user', 'api_key']),
  id: v.string(),
  companyId: v.nullable(v.string()),
  audience: v.picklist(['customer', 'supplier']),
  roles: v.array(v.string()),
  permissions: v.array(v.string()),
});

/** Public: the only /v1 route that takes no credentials. */
export const loginRoutes = new Hono<AppEnv>().post(
  '/auth/login',
  doc({
    tags,
    summary: 'Exchange email and password for a short-lived access token',
    ok: LoginResponse,
    public: true,
    errors: {
      429: 'Too many failed sign-ins for this email or from this address; wait `Retry-After` seconds',
    },
  }),
  validBody(LoginBody),
  async (c) => {
    const { db, config } = c.var.services;
    return c.json(await login(db, config, c.req.valid('json'), attemptContextOf(c)));
  },
);

export const meRoutes = new Hono<AppEnv>().get(
  '/me',
  doc({ tags, summary: 'Who the credentials belong to, and what they may do', ok: Me }),
  (c) => {
    const p = c.var.principal;
    return c.json({ ...p, permissions: [...p.permissions].sort() });
  },
);

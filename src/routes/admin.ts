import { Hono } from 'hono';
import * as v from 'valibot';
import { listAccounts } from '../db/queries/companies';
import { notFound } from '../domain/errors';
import { API_KEY_SCOPE_NAMES, type ApiKeyScope } from '../domain/permissions';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { validBody, validParams } from '../http/validate';
import { createApiKey, createCompany, listApiKeys, revokeApiKey } from '../services/accounts';
import { CountrySchema, CurrencySchema, distinctItems, IdParam, IdSchema, NameSchema } from './schemas';

const tags = ['Supplier administration'];
const Account = v.object({
  id: v.string(),
  name: v.string(),
  parentId: v.nullable(v.string()),
  defaultCurrency: v.string(),
  country: v.string(),
  salesRepUserId: v.nullable(v.string()),
  priceListId: v.nullable(v.string()),
  status: v.picklist(['active', 'suspended']),
  // the ERP's customer number (set by customer imports); orders are exported with it
  erpCustomerNumber: v.nullable(v.string()),
  createdAt: v.number(),
});
// the ERP's record version is bookkeeping of the import, not an account fact
const presentAccount = <T extends { erpVersion: unknown }>({ erpVersion: _v, ...row }: T) => row;
const NewCompanyBody = v.strictObject({
  name: NameSchema,
  parentId: v.optional(v.nullable(IdSchema)),
  defaultCurrency: CurrencySchema,
  country: CountrySchema,
  salesRepUserId: v.optional(v.nullable(IdSchema)),
});
const ApiKey = v.object({
  id: v.string(),
  name: v.string(),
  companyId: v.nullable(v.string()),
  prefix: v.string(),
  scopes: v.array(v.string()),
  createdBy: v.nullable(v.string()),
  createdAt: v.number(),
  lastUsedAt: v.nullable(v.number()),
  revokedAt: v.nullable(v.number()),
});
const NewApiKeyBody = v.strictObject({
  name: NameSchema,
  companyId: v.nullable(IdSchema),
  scopes: v.pipe(
    v.array(v.picklist(API_KEY_SCOPE_NAMES, 'unknown scope')),
    v.minLength(1),
    v.maxLength(10),
    distinctItems<ApiKeyScope>('this scope is already in the list'),
  ),
});

const viewerOf = (c: { var: AppEnv['Variables'] }) => ({
  userId: c.var.principal.id,
  all: c.var.principal.permissions.has('platform.admin'),
});

/** The supplier's side: sales reps see their accounts, platform admins everything. */
export const adminRoutes = new Hono<AppEnv>()
  .get(
    '/companies',
    doc({ tags, summary: 'Customer accounts visible to me', ok: v.object({ items: v.array(Account) }) }),
    requirePermission('accounts.view'),
    async (c) => c.json({ items: (await listAccounts(c.var.services.db, viewerOf(c))).map(presentAccount) }),
  )
  .get(
    '/companies/:id',
    doc({ tags, summary: 'One customer account', ok: Account }),
    requirePermission('accounts.view'),
    validParams(IdParam),
    async (c) => {
      const [row] = await listAccounts(c.var.services.db, viewerOf(c), c.req.valid('param').id);
      if (!row) throw notFound('Company');
      return c.json(presentAccount(row));
    },
  )
  .post(
    '/companies',
    doc({
      tags,
      summary: 'Open a customer account',
      ok: Account,
      status: 201,
      errors: { 422: 'Unknown parent or sales rep' },
    }),
    requirePermission('platform.admin'),
    validBody(NewCompanyBody),
    async (c) => {
      const created = await createCompany(c.var.services.db, actorOf(c), c.req.valid('json'));
      if (!created) throw notFound('Company');
      return c.json(presentAccount(created), 201);
    },
  )
  .get(
    '/api-keys',
    doc({
      tags,
      summary: 'Integration API keys (hashes never leave the server)',
      ok: v.object({ items: v.array(ApiKey) }),
    }),
    requirePermission('platform.admin'),
    async (c) => c.json({ items: await listApiKeys(c.var.services.db) }),
  )
  .post(
    '/api-keys',
    doc({
      tags,
      summary: 'Issue an API key; the plaintext `key` is shown once',
      description:
        'Scopes and what they allow: docs/api.md, "API keys". A scope the key could not use (orders:write on a platform key, erp:write on a company key; punchout on a platform key) is a 400 on `scopes.N`.',
      ok: v.object({ ...ApiKey.entries, key: v.string() }),
      status: 201,
    }),
    requirePermission('platform.admin'),
    validBody(NewApiKeyBody),
    async (c) => c.json(await createApiKey(c.var.services.db, actorOf(c), c.req.valid('json')), 201),
  )
  .delete(
    '/api-keys/:id',
    doc({
      tags,
      summary: 'Revoke an API key (effective immediately)',
      status: 204,
      errors: { 409: 'Already revoked' },
    }),
    requirePermission('platform.admin'),
    validParams(IdParam),
    async (c) => {
      await revokeApiKey(c.var.services.db, actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

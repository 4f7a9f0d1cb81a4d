import { beforeAll, describe, expect, it } from 'vitest';
import { call, createUser, json, loginAs } from './harness';

// The contract of the built-in roles, written out by hand: a change to the code or the seed that alters
// what a role may do fails here.
const EXPECTED_PERMISSIONS: Record<string, string[]> = {
  'buyer@acme.example': [
    'cart.manage',
    'catalog.view',
    'lists.manage',
    'order.place',
    'prices.view',
    'quotes.request',
    'recurring.manage',
  ],
  'approver@acme.example': ['cart.manage', 'catalog.view', 'order.approve', 'prices.view'],
  'finance@acme.example': ['audit.view', 'catalog.view', 'invoices.view', 'order.approve', 'prices.view'],
  'admin@acme.example': [
    'audit.view',
    'cart.manage',
    'catalog.view',
    'invoices.view',
    'lists.manage',
    'order.approve',
    'order.place',
    'prices.view',
    'quotes.request',
    'recurring.manage',
    'search.manage',
    'users.manage',
  ],
  'viewer@acme.example': ['catalog.view'],
  'rep@supplier.example': [
    'accounts.view',
    'audit.view',
    'catalog.view',
    'orders.assist',
    'prices.view',
    'pricing.manage',
    'quotes.respond',
  ],
};

const ENDPOINTS = {
  catalog: '/v1/catalog/products?limit=1',
  categories: '/v1/catalog/categories',
  users: '/v1/company/users',
  roles: '/v1/company/roles',
  addresses: '/v1/company/addresses',
  audit: '/v1/audit',
  accounts: '/v1/admin/companies',
  apiKeys: '/v1/admin/api-keys',
} as const;

type Row = Record<keyof typeof ENDPOINTS, number>;
const MATRIX: Record<string, Row> = {
  'buyer@acme.example': {
    catalog: 200,
    categories: 200,
    users: 403,
    roles: 403,
    addresses: 200,
    audit: 403,
    accounts: 403,
    apiKeys: 403,
  },
  'approver@acme.example': {
    catalog: 200,
    categories: 200,
    users: 403,
    roles: 403,
    addresses: 200,
    audit: 403,
    accounts: 403,
    apiKeys: 403,
  },
  'finance@acme.example': {
    catalog: 200,
    categories: 200,
    users: 403,
    roles: 403,
    addresses: 200,
    audit: 200,
    accounts: 403,
    apiKeys: 403,
  },
  'admin@acme.example': {
    catalog: 200,
    categories: 200,
    users: 200,
    roles: 200,
    addresses: 200,
    audit: 200,
    accounts: 403,
    apiKeys: 403,
  },
  'viewer@acme.example': {
    catalog: 200,
    categories: 200,
    users: 403,
    roles: 403,
    addresses: 200,
    audit: 403,
    accounts: 403,
    apiKeys: 403,
  },
  'ops@supplier.example': {
    catalog: 200,
    categories: 200,
    users: 200,
    roles: 200,
    addresses: 200,
    audit: 200,
    accounts: 200,
    apiKeys: 200,
  },
};

beforeAll(async () => {
  const admin = await loginAs('admin@acme.example');
  await createUser(admin, {
    email: 'viewer@acme.example',
    name: 'Vera Viewer',
    roleIds: ['role_builtin_viewer'],
  });
});

describe('built-in roles', () => {
  for (const [email, expected] of Object.entries(EXPECTED_PERMISSIONS)) {
    it(`${email} holds exactly its role's permissions`, async () => {
      const me = await json<{ permissions: string[] }>(await call('/v1/me', { token: await loginAs(email) }));
      expect(me.permissions).toEqual(expected);
    });
  }

  for (const [email, row] of Object.entries(MATRIX)) {
    it(`${email} reaches exactly the endpoints its role allows`, async () => {
      const token = await loginAs(email);
      // supplier staff name the company they act for; customers act for their own
      const headers: Record<string, string> = email.endsWith('@supplier.example')
        ? { 'x-company-id': 'co_acme' }
        : {};
      const actual: Record<string, number> = {};
      for (const [name, path] of Object.entries(ENDPOINTS))
        actual[name] = (await call(path, { token, headers })).status;
      expect(actual).toEqual(row);
    });
  }
});

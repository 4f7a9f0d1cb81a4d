/** Customer-side permissions: what a user of a customer company may do in that company. */
export const CUSTOMER_PERMISSIONS = [
  'catalog.view',
  'prices.view',
  'cart.manage',
  'order.place',
  'order.approve',
  'users.manage',
  'invoices.view',
  'lists.manage',
  'recurring.manage',
  'audit.view',
  // the company's own search synonyms (trade words, abbreviations its buyers type)
  'search.manage',
  // ask the sales rep for a quote, counter, accept or decline it (docs/quotes.md)
  'quotes.request',
] as const;

/** Supplier-side permissions: held by the supplier's own staff, never by a customer role. */
export const SUPPLIER_PERMISSIONS = [
  'accounts.view',
  'accounts.manage',
  'pricing.manage',
  // the ERP integration: imports, stock and price fast paths, order events (/erp/v1)
  'erp.write',
  // answer quote requests of one's accounts with prices, revise, withdraw (docs/quotes.md)
  'quotes.respond',
  // prepare carts for a customer's buyers, place orders for them, enter phone/email/counter orders
  'orders.assist',
  'platform.admin',
] as const;

export type CustomerPermission = (typeof CUSTOMER_PERMISSIONS)[number];
export type SupplierPermission = (typeof SUPPLIER_PERMISSIONS)[number];
export type Permission = CustomerPermission | SupplierPermission;

export const ALL_PERMISSIONS: readonly Permission[] = [...CUSTOMER_PERMISSIONS, ...SUPPLIER_PERMISSIONS];

export interface BuiltInRole {
  key: string;
  name: string;
  audience: 'customer' | 'supplier';
  permissions: readonly Permission[];
}

/**
 * Built-in roles, identical for every company. Companies add custom roles on top; built-ins are read-only
 * so that a platform upgrade can change them everywhere at once.
 */
export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  {
    key: 'buyer',
    name: 'Buyer',
    audience: 'customer',
    permissions: [
      'catalog.view',
      'prices.view',
      'cart.manage',
      'order.place',
      'lists.manage',
      'recurring.manage',
      'quotes.request',
    ],
  },
  {
    key: 'approver',
    name: 'Approver',
    audience: 'customer',
    permissions: ['catalog.view', 'prices.view', 'cart.manage', 'order.approve'],
  },
  {
    key: 'finance',
    name: 'Finance',
    audience: 'customer',
    permissions: ['catalog.view', 'prices.view', 'invoices.view', 'order.approve', 'audit.view'],
  },
  { key: 'admin', name: 'Company administrator', audience: 'customer', permissions: CUSTOMER_PERMISSIONS },
  { key: 'viewer', name: 'Viewer', audience: 'customer', permissions: ['catalog.view'] },
  // users a punch-out partner brings in (named in its setup requests, created when the partner allows it):
  // they shop in punch-out sessions and their orders arrive as the partner's purchase orders
  {
    key: 'punchout_buyer',
    name: 'Punch-out buyer',
    audience: 'customer',
    permissions: ['catalog.view', 'prices.view', 'cart.manage', 'order.place'],
  },
  {
    key: 'sales_rep',
    name: 'Sales representative',
    audience: 'supplier',
    permissions: [
      'catalog.view',
      'prices.view',
      'accounts.view',
      'pricing.manage',
      'audit.view',
      'quotes.respond',
      'orders.assist',
    ],
  },
  {
    key: 'platform_admin',
    name: 'Platform administrator',
    audience: 'supplier',
    permissions: [...CUSTOMER_PERMISSIONS, ...SUPPLIER_PERMISSIONS],
  },
];

/** Deterministic id of a built-in role, so migrations, seeds and code agree without a lookup. */
export const builtInRoleId = (key: string): string => `role_builtin_${key}`;

/**
 * API key scopes: what an integration may do, the one table behind docs/api.md ("API keys"). Each scope
 * grants permissions; `holders` says which keys may carry it (a company-bound key acts for its company, a
 * platform key for any company it names with `X-Company-Id`); a scope nobody may hold yet is refused when
 * a key is made, with `unavailable` as the reason, rather than issued to do nothing.
 */
export interface ApiKeyScopeRule {
  permissions: readonly Permission[];
  holders: 'company' | 'company_or_platform' | 'platform' | 'none';
  unavailable?: string;
  /** reads every order of the company, or (`own`) the orders the key placed */
  readsOrders?: 'company' | 'own';
}

export const API_KEY_SCOPES = {
  'catalog:read': { permissions: ['catalog.view', 'prices.view'], holders: 'company_or_platform' },
  // order status for integrations; amounts only with catalog:read as well (prices.view)
  'orders:read': {
    permissions: ['catalog.view'],
    holders: 'company_or_platform',
    readsOrders: 'company',
  },
  'orders:write': {
    permissions: ['catalog.view', 'prices.view', 'cart.manage', 'order.place'],
    holders: 'company',
    unavailable: 'an order belongs to one company: bind a key that places orders to it',
    readsOrders: 'own',
  },
  // the ERP acts for the whole supplier: its key is a platform key
  'erp:write': {
    permissions: ['erp.write'],
    holders: 'platform',
    unavailable: 'the ERP acts for the whole supplier: make it a platform key (no company)',
  },
  // an OCI partner's token: opens punch-out sessions at /punchout/oci for the key's company instead of
  // USERNAME/PASSWORD (cXML partners authenticate with their shared secret); it grants nothing under /v1
  punchout: {
    permissions: [],
    holders: 'company',
    unavailable: 'punch-out belongs to one company: bind the key to it',
  },
} as const satisfies Record<string, ApiKeyScopeRule>;

export type ApiKeyScope = keyof typeof API_KEY_SCOPES;
export const API_KEY_SCOPE_NAMES = Object.keys(API_KEY_SCOPES) as ApiKeyScope[];

const scopeRule = (scope: string): ApiKeyScopeRule | undefined =>
  (API_KEY_SCOPES as Record<string, ApiKeyScopeRule>)[scope];

export function permissionsForScopes(scopes: readonly string[]): Set<Permission> {
  const granted = new Set<Permission>();
  for (const scope of scopes) for (const p of scopeRule(scope)?.permissions ?? []) granted.add(p);
  return granted;
}

/** Why a key bound to a company (or not) cannot carry this scope; null when it can. */
export function scopeRefusal(scope: string, companyBound: boolean): string | null {
  const rule = scopeRule(scope);
  if (!rule) return 'unknown scope';
  if (
    rule.holders === 'none' ||
    (rule.holders === 'company' && !companyBound) ||
    (rule.holders === 'platform' && companyBound)
  )
    return rule.unavailable ?? 'not available for this key';
  return null;
}

/** Which orders these scopes read: every order of the company, the key's own, or none. */
export function ordersReadBy(scopes: readonly string[]): 'company' | 'own' | null {
  const reads = scopes.map((s) => scopeRule(s)?.readsOrders);
  return reads.includes('company') ? 'company' : reads.includes('own') ? 'own' : null;
}

export const isCustomerPermission = (p: string): p is CustomerPermission =>
  (CUSTOMER_PERMISSIONS as readonly string[]).includes(p);

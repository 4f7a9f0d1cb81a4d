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
] as const;

/** Supplier-side permissions: held by the supplier's own staff, never by a customer role. */
export const SUPPLIER_PERMISSIONS = [
  'accounts.view',
  'accounts.manage',
  'pricing.manage',
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
  {
    key: 'sales_rep',
    name: 'Sales representative',
    audience: 'supplier',
    permissions: ['catalog.view', 'prices.view', 'accounts.view', 'pricing.manage', 'audit.view'],
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

/** API key scopes: what an integration may do. Each scope maps to the permissions it grants. */
export const API_KEY_SCOPES = {
  'catalog:read': ['catalog.view', 'prices.view'],
  'orders:read': ['catalog.view'],
  'orders:write': ['catalog.view', 'prices.view'],
  'erp:write': [],
  punchout: ['catalog.view', 'prices.view', 'cart.manage'],
} as const satisfies Record<string, readonly Permission[]>;

export type ApiKeyScope = keyof typeof API_KEY_SCOPES;
export const API_KEY_SCOPE_NAMES = Object.keys(API_KEY_SCOPES) as ApiKeyScope[];

export function permissionsForScopes(scopes: readonly string[]): Set<Permission> {
  const granted = new Set<Permission>();
  for (const scope of scopes) {
    const perms: readonly Permission[] | undefined = API_KEY_SCOPES[scope as ApiKeyScope];
    for (const p of perms ?? []) granted.add(p);
  }
  return granted;
}

export const isCustomerPermission = (p: string): p is CustomerPermission =>
  (CUSTOMER_PERMISSIONS as readonly string[]).includes(p);

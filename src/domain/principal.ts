import { ordersReadBy, type Permission } from './permissions';

/** Who is calling: a user or an API key, with the permissions its roles or scopes grant. */
export interface Principal {
  kind: 'user' | 'api_key';
  /** user id or API key id */
  id: string;
  /** the company the principal belongs to; null for the supplier's staff and platform API keys */
  companyId: string | null;
  audience: 'customer' | 'supplier';
  /** role keys of a user; `scope:<scope>` for an API key */
  roles: string[];
  permissions: ReadonlySet<Permission>;
  /** set for a punch-out session's token: the one cart it may use (middleware `punchoutConfined`) */
  punchout?: { sessionId: string; cartId: string; readOnly: boolean };
}

const SCOPE_PREFIX = 'scope:';
export const scopesOf = (p: Principal): string[] =>
  p.kind === 'api_key'
    ? p.roles.filter((r) => r.startsWith(SCOPE_PREFIX)).map((r) => r.slice(SCOPE_PREFIX.length))
    : [];

/**
 * Who may act for any company named by `X-Company-Id`: platform administrators, and platform-wide API keys
 * (issued by a platform administrator for the supplier's own systems). Sales reps act for their accounts.
 */
export const actsForAnyCompany = (p: Principal): boolean =>
  p.permissions.has('platform.admin') || (p.kind === 'api_key' && p.companyId === null);

const SEES_COMPANY_ORDERS: readonly Permission[] = ['order.approve', 'invoices.view', 'users.manage'];

/**
 * Who reads every order of the company rather than only their own: supplier staff and platform keys,
 * approvers, finance and administrators, and keys with `orders:read`. A key that only places orders reads
 * the orders it placed, like a buyer.
 */
export function seesCompanyOrders(p: Principal): boolean {
  if (p.audience === 'supplier') return true;
  if (p.kind === 'api_key') return ordersReadBy(scopesOf(p)) === 'company';
  return SEES_COMPANY_ORDERS.some((x) => p.permissions.has(x));
}

/** Orders are read by any user with catalog.view (their own at least), and by keys with an orders scope. */
export const readsOrders = (p: Principal): boolean =>
  p.kind === 'api_key' ? ordersReadBy(scopesOf(p)) !== null : p.permissions.has('catalog.view');

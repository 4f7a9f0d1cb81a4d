import type { Permission } from './permissions';

/** Who is calling: a user or an API key, with the permissions its roles or scopes grant. */
export interface Principal {
  kind: 'user' | 'api_key';
  /** user id or API key id */
  id: string;
  /** the company the principal belongs to; null for the supplier's staff and platform API keys */
  companyId: string | null;
  audience: 'customer' | 'supplier';
  roles: string[];
  permissions: ReadonlySet<Permission>;
}

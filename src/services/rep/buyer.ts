import { loadUserAccess } from '../../db/queries/identity';
import type { CompanyScope } from '../../db/scope';
import { AppError } from '../../domain/errors';

export interface Buyer {
  id: string;
  name: string;
  email: string;
}

/**
 * The customer user a rep acts for: an active user of the company the request acts for, who may place
 * orders. Anything else is a 422 on `forUserId` (the same answer for a user of another company as for
 * none, so ids of other companies' users are not confirmed).
 */
export async function buyerFor(scope: CompanyScope, userId: string, path = 'forUserId'): Promise<Buyer> {
  const access = await loadUserAccess(scope.db, userId);
  const problem = !access
    ? 'no such user in this company'
    : access.user.companyId !== scope.companyId
      ? 'no such user in this company'
      : access.user.status !== 'active'
        ? 'the user is disabled'
        : access.companyStatus !== 'active'
          ? 'the company is suspended'
          : !access.permissions.has('order.place')
            ? 'the user may not place orders (permission order.place)'
            : null;
  if (problem || !access)
    throw new AppError('unprocessable', 'The buyer cannot be acted for', [
      { path, message: problem ?? 'no such user in this company' },
    ]);
  return { id: access.user.id, name: access.user.name, email: access.user.email };
}

import type { CompanyScope } from '../db/scope';
import type { Env } from '../env';

export { type ObjectResult, unwrap } from './result';

/**
 * The only way routes and services reach a company's Durable Object: one object per company, named by the
 * company id of the tenant scope (never by an id taken from the request). The object learns its company
 * from that name, so its methods do not take a company id.
 */
export function companyObject(env: Pick<Env, 'ORGANIZATION'>, scope: CompanyScope) {
  return env.ORGANIZATION.getByName(scope.companyId);
}

export type CompanyObject = ReturnType<typeof companyObject>;

/** `current` names the user's current cart (created empty on first use); anything else is a cart id. */
export async function resolveCartId(object: CompanyObject, userId: string, id: string): Promise<string> {
  return id === 'current' ? (await object.currentCart(userId)).id : id;
}

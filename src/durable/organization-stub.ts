import type { Env } from '../env';

/** The only way routes and services reach a company's Durable Object: one object per company id. */
export function organizationStub(env: Pick<Env, 'ORGANIZATION'>, companyId: string) {
  return env.ORGANIZATION.get(env.ORGANIZATION.idFromName(companyId));
}

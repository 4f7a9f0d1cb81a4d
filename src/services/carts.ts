import type { CompanyScope } from '../db/scope';
import { AppError, type AppErrorCode, type FieldIssue } from '../domain/errors';
import { organizationStub } from '../durable/organization-stub';
import type { Env } from '../env';

/** Who is working on carts: the company (from the tenant scope, never the request) and the user. */
export interface CartActor {
  scope: CompanyScope;
  userId: string;
}

export const cartsOf = (env: Pick<Env, 'ORGANIZATION'>, actor: CartActor) => {
  const stub = organizationStub(env, actor.scope.companyId);
  return { stub, companyId: actor.scope.companyId, userId: actor.userId };
};

/** What the company's object answers: a value, or an expected failure (an Error loses its class over RPC). */
export type ObjectResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: AppErrorCode; message: string; issues?: FieldIssue[] };

/** Turns the object's expected failures into the API's errors. */
export function unwrap<T>(result: ObjectResult<T>): T {
  if (result.ok) return result.value;
  throw new AppError(result.code, result.message, result.issues ?? []);
}

import { describe, expect, it } from 'vitest';
import { call, expectProblem, json } from '../harness';

type Operation = { security?: unknown[] };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** A concrete path for a template: ids that look valid but exist nowhere, `current` for carts. */
const concrete = (template: string) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === 'sku' ? 'ABR-000001' : template.startsWith('/v1/carts') && name === 'id' ? 'current' : 'zz_0',
  );

/** Every documented operation that is not marked public, read from the OpenAPI document itself. */
async function protectedOperations() {
  const doc = await json<OpenApi>(await call('/openapi.json'));
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    METHODS.flatMap((method) => {
      const op = ops[method];
      const isPublic = Array.isArray(op?.security) && op.security.length === 0;
      return op && !isPublic ? [{ method: method.toUpperCase(), path: concrete(template), template }] : [];
    }),
  );
}

// A route joins this suite by being documented: nobody can add an unauthenticated route by forgetting a test.
describe('every non-public route needs credentials', () => {
  it('answers 401 problem+json without credentials and with a forged token, before reading the body', async () => {
    const operations = await protectedOperations();
    expect(operations.length).toBeGreaterThan(60);
    const forged = `${btoa('{"alg":"HS256","typ":"JWT"}')}.${btoa('{"sub":"usr_x","cid":null,"roles":[]}')}.c2ln`;
    for (const op of operations) {
      const body = op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
      for (const token of [undefined, forged]) {
        const res = await call(op.path, { method: op.method, body, ...(token ? { token } : {}) });
        expect(res.status, `${op.method} ${op.template} with ${token ? 'a forged token' : 'no token'}`).toBe(
          401,
        );
        await expectProblem(res, 401);
      }
    }
  });

  it('the public operations are exactly the ones meant to be public', async () => {
    const doc = await json<OpenApi>(await call('/openapi.json'));
    const publicOps = Object.entries(doc.paths).flatMap(([template, ops]) =>
      METHODS.flatMap((m) =>
        Array.isArray(ops[m]?.security) && ops[m]?.security?.length === 0
          ? [`${m.toUpperCase()} ${template}`]
          : [],
      ),
    );
    expect(publicOps.sort()).toEqual(
      ['GET /health', 'POST /v1/auth/accept-invitation', 'POST /v1/auth/login'].sort(),
    );
  });
});

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
    // catalog search and its index administration are never public
    expect(operations.map((o) => `${o.method} ${o.template}`)).toEqual(
      expect.arrayContaining([
        'GET /v1/search',
        'GET /v1/search/suggest',
        'GET /v1/admin/search/index',
        'POST /v1/admin/search/index/rebuild',
      ]),
    );
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
    const punchout = publicOps.filter((op) => op.includes(' /punchout/'));
    expect(publicOps.filter((op) => !punchout.includes(op)).sort()).toEqual(
      ['GET /health', 'POST /v1/auth/accept-invitation', 'POST /v1/auth/login'].sort(),
    );
    // punch-out carries its credentials in the protocol: shared secret, OCI password, start code, shop key
    expect(punchout.sort()).toEqual(
      [
        'POST /punchout/cxml/setup',
        'POST /punchout/cxml/order',
        'GET /punchout/oci',
        'POST /punchout/oci',
        'GET /punchout/start/{code}',
        'POST /punchout/sessions/{code}/token',
        'GET /punchout/shop/{key}',
        'GET /punchout/shop/{key}/',
        'GET /punchout/shop/{key}/p/{sku}',
        'GET /punchout/shop/{key}/cart',
        'POST /punchout/shop/{key}/cart/lines',
        'POST /punchout/shop/{key}/cart/lines/{lineId}',
        'POST /punchout/shop/{key}/cart/lines/{lineId}/remove',
        'POST /punchout/shop/{key}/transfer',
      ].sort(),
    );
  });

  it('the punch-out entry points refuse a request without their own credential (401)', async () => {
    const cxml = (request: string) =>
      `<?xml version="1.0"?><cXML payloadID="probe@test" timestamp="2026-01-01T00:00:00+00:00"><Header>` +
      '<From><Credential domain="NetworkID"><Identity>nobody</Identity></Credential></From>' +
      '<To><Credential domain="NetworkID"><Identity>us</Identity></Credential></To>' +
      '<Sender><Credential domain="NetworkID"><Identity>nobody</Identity><SharedSecret>guess</SharedSecret>' +
      `</Credential><UserAgent>probe</UserAgent></Sender></Header><Request>${request}</Request></cXML>`;
    for (const [path, request] of [
      [
        '/punchout/cxml/setup',
        '<PunchOutSetupRequest operation="create"><BuyerCookie>c</BuyerCookie></PunchOutSetupRequest>',
      ],
      [
        '/punchout/cxml/order',
        '<OrderRequest><OrderRequestHeader orderID="PO-1" type="new"/></OrderRequest>',
      ],
    ] as const) {
      const res = await call(path, {
        method: 'POST',
        body: cxml(request),
        headers: { 'content-type': 'text/xml' },
      });
      expect(res.status, path).toBe(401);
      expect(await res.text()).toContain('<Status code="401"');
    }
    const oci = await call(
      '/punchout/oci?USERNAME=nobody&PASSWORD=guess&HOOK_URL=https%3A%2F%2Fsrm.example.com%2Fhook',
    );
    expect(oci.status).toBe(401);
    for (const [method, path] of [
      ['GET', '/punchout/start/not-a-code'],
      ['POST', '/punchout/sessions/not-a-code/token'],
      ['GET', '/punchout/shop/not-a-key/'],
      ['GET', '/punchout/shop/not-a-key/cart'],
      ['POST', '/punchout/shop/not-a-key/transfer'],
    ] as const) {
      const res = await call(path, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });
});

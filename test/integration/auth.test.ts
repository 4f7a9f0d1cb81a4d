import { describe, expect, it, vi } from 'vitest';
import { apiKeys, call, DEMO_PASSWORD, expectProblem, json, loginAs } from './harness';

const login = (email: string, password: string) =>
  call('/v1/auth/login', { method: 'POST', body: { email, password } });

/**
 * The PBKDF2 derivations one login attempt runs, as seen at WebCrypto: the Worker runs in this isolate, so a
 * spy on `crypto.subtle.deriveBits` counts its password-hashing work exactly (no clock involved).
 */
async function pbkdf2Work(email: string, password: string) {
  const derive = vi.spyOn(crypto.subtle, 'deriveBits');
  try {
    await expectProblem(await login(email, password), 401);
    return derive.mock.calls.map(([algorithm, , bits]) =>
      typeof algorithm === 'string'
        ? { name: algorithm, bits }
        : {
            name: algorithm.name,
            hash: algorithm.hash,
            iterations: algorithm.iterations,
            saltBytes: algorithm.salt?.byteLength,
            bits,
          },
    );
  } finally {
    derive.mockRestore();
  }
}

describe('POST /v1/auth/login', () => {
  it('returns a short-lived token naming user, company and roles', async () => {
    const res = await login('Buyer@Acme.example ', DEMO_PASSWORD);
    expect(res.status).toBe(200);
    const body = await json<{
      accessToken: string;
      expiresIn: number;
      user: { companyId: string; roles: string[] };
    }>(res);
    expect(body.expiresIn).toBe(900);
    expect(body.user).toMatchObject({ companyId: 'co_acme', roles: ['buyer'] });
    const [, payload] = body.accessToken.split('.');
    const claims = JSON.parse(atob((payload ?? '').replaceAll('-', '+').replaceAll('_', '/')));
    expect(claims).toMatchObject({
      sub: 'usr_acme_buyer',
      cid: 'co_acme',
      roles: ['buyer'],
      iss: 'edge-b2b-commerce',
    });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const wrong = await expectProblem(await login('buyer@acme.example', 'not-the-password'), 401);
    const unknown = await expectProblem(await login('nobody@acme.example', 'not-the-password'), 401);
    const { requestId: _a, ...wrongRest } = wrong;
    const { requestId: _b, ...unknownRest } = unknown;
    expect(unknownRest).toEqual(wrongRest);
  });

  it('spends the same password-hashing work on an unknown email as on a wrong password', async () => {
    // Without the dummy hash an unknown email would skip PBKDF2 and answer ~100x faster, telling which
    // emails exist; with a cheaper dummy (fewer iterations, other salt or key size) it would still be faster.
    // (approver, not buyer: the guessing limit counts failures per email across this file)
    const wrong = await pbkdf2Work('approver@acme.example', 'nope-nope');
    expect(wrong).toEqual([
      { name: 'PBKDF2', hash: 'SHA-256', iterations: expect.any(Number), saltBytes: 16, bits: 256 },
    ]);
    expect(await pbkdf2Work('ghost@acme.example', 'nope-nope')).toEqual(wrong);
  });

  it('rejects bad input with field paths', async () => {
    const problem = await expectProblem(
      await call('/v1/auth/login', { method: 'POST', body: { email: 'nope', extra: 1 } }),
      400,
    );
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['email', 'extra', 'password']);
  });
});

describe('credentials on protected routes', () => {
  it('401 without, with a garbage token, and with a token signed by someone else', async () => {
    await expectProblem(await call('/v1/me'), 401);
    await expectProblem(await call('/v1/me', { token: 'garbage' }), 401);
    const token = await loginAs('buyer@acme.example');
    const [h, p] = token.split('.');
    await expectProblem(await call('/v1/me', { token: `${h}.${p}.c2lnbmF0dXJl` }), 401);
  });

  it('a valid API key authenticates with its scopes; a made-up one does not', async () => {
    const res = await call('/v1/me', { token: apiKeys().partner });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ kind: 'api_key', companyId: 'co_acme', audience: 'customer' });
    await expectProblem(await call('/v1/me', { token: `b2bk_${'a'.repeat(12)}_${'b'.repeat(32)}` }), 401);
  });

  it('every response carries a request id, errors repeat it in the body', async () => {
    const res = await call('/v1/me');
    const id = res.headers.get('x-request-id');
    expect(id).toBeTruthy();
    expect((await json(res)).requestId).toBe(id);
  });
});

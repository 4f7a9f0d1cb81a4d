import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/domain/principal';
import {
  cachedPrincipal,
  forgetPrincipals,
  PRINCIPAL_CACHE_MS,
  touchDue,
} from '../../src/services/principal-cache';
import { call, createUser, loginAs } from './harness';

const principal = (id: string): Principal => ({
  kind: 'user',
  id,
  companyId: null,
  audience: 'supplier',
  roles: [],
  permissions: new Set(),
});

describe('principal cache', () => {
  it('re-reads a principal once it is PRINCIPAL_CACHE_MS old, and at once after forgetPrincipals', async () => {
    let loads = 0;
    const load = async () => principal(`p${++loads}`);
    const t0 = 1_000_000;
    expect((await cachedPrincipal('user:x', t0, load)).id).toBe('p1');
    expect((await cachedPrincipal('user:x', t0 + PRINCIPAL_CACHE_MS - 1, load)).id).toBe('p1');
    expect((await cachedPrincipal('user:x', t0 + PRINCIPAL_CACHE_MS, load)).id).toBe('p2');
    forgetPrincipals();
    expect((await cachedPrincipal('user:x', t0 + PRINCIPAL_CACHE_MS + 1, load)).id).toBe('p3');
  });

  it('a failed load is not cached: a disabled user is refused every time', async () => {
    const refuse = async (): Promise<Principal> => {
      throw new Error('disabled');
    };
    await expect(cachedPrincipal('user:y', 5, refuse)).rejects.toThrow('disabled');
    await expect(cachedPrincipal('user:y', 6, refuse)).rejects.toThrow('disabled');
  });

  it('touches an API key at most once a minute per isolate', () => {
    expect(touchDue('key_a', 0)).toBe(true);
    expect(touchDue('key_a', 59_999)).toBe(false);
    expect(touchDue('key_a', 60_000)).toBe(true);
  });

  it('disabling a user through the API refuses their token on the very next request', async () => {
    const admin = await loginAs('admin@acme.example');
    const created = {
      id: await createUser(admin, {
        email: 'short-lived@acme.example',
        name: 'Short Lived',
        roleIds: ['role_builtin_viewer'],
      }),
    };
    const token = await loginAs('short-lived@acme.example');
    expect((await call('/v1/me', { token })).status).toBe(200);
    const disabled = await call(`/v1/company/users/${created.id}`, {
      method: 'PATCH',
      token: admin,
      body: { status: 'disabled' },
    });
    expect(disabled.status).toBe(200);
    expect((await call('/v1/me', { token })).status).toBe(401);
  });
});

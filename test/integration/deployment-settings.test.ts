import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { DEMO_PASSWORD, loginAs } from './harness';
import { cxmlAnswer, path, setupRequest, startCodeOf, text } from './punchout-cxml-helpers';
import { createTestPartner, type TestPartner } from './punchout-helpers';

/** The Worker as a deployed environment sees it: the test bindings with some variables set otherwise. */
async function fetchWith(vars: Partial<Record<string, string>>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://api.test${path}`, init), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('ENVIRONMENT=production', () => {
  it('refuses the bench routes even when ENABLE_BENCH_ROUTES is "true"', async () => {
    const bench = { ENABLE_BENCH_ROUTES: 'true' };
    expect((await fetchWith({ ...bench, ENVIRONMENT: 'development' }, '/_bench/noop')).status).toBe(200);
    expect((await fetchWith({ ...bench, ENVIRONMENT: 'production' }, '/_bench/noop')).status).toBe(404);
    expect((await fetchWith({ ...bench, ENVIRONMENT: 'staging' }, '/_bench/noop')).status).toBe(404);
  });

  it('sends HSTS; development (plain http under wrangler dev) does not', async () => {
    const production = await fetchWith({ ENVIRONMENT: 'production' }, '/health');
    expect(production.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8,}/);
    const development = await fetchWith({ ENVIRONMENT: 'development' }, '/health');
    expect(development.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('JWT secret rotation', () => {
  const NEW_SECRET = 'rotated-secret-rotated-secret-0123456789abcdef';

  it('a token signed with the previous secret stays valid while JWT_SECRET_PREVIOUS names it', async () => {
    const oldToken = await loginAs('buyer@globex.example');
    const rotated = { JWT_SECRET: NEW_SECRET, JWT_SECRET_PREVIOUS: env.JWT_SECRET };
    expect((await fetchWith(rotated, '/v1/me', bearer(oldToken))).status).toBe(200);
    // after the overlap the previous secret is dropped and its tokens stop working
    expect((await fetchWith({ JWT_SECRET: NEW_SECRET }, '/v1/me', bearer(oldToken))).status).toBe(401);
  });

  it('new tokens are signed with the new secret only', async () => {
    const rotated = { JWT_SECRET: NEW_SECRET, JWT_SECRET_PREVIOUS: env.JWT_SECRET };
    const login = await fetchWith(rotated, '/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'buyer@globex.example', password: DEMO_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    expect((await fetchWith({ JWT_SECRET: NEW_SECRET }, '/v1/me', bearer(accessToken))).status).toBe(200);
    expect((await fetchWith({}, '/v1/me', bearer(accessToken))).status).toBe(401);
  });
});

describe('PUBLIC_ORIGIN', () => {
  let partner: TestPartner;
  beforeAll(async () => {
    partner = await createTestPartner({ senderIdentity: 'public-origin-test' });
  });
  const setup = (vars: Partial<Record<string, string>>) =>
    fetchWith(vars, '/punchout/cxml/setup', {
      method: 'POST',
      body: setupRequest(partner),
      headers: { 'content-type': 'text/xml; charset=utf-8' },
    });

  it('is the origin of the start page and the host of the payloadID when set', async () => {
    const answer = await cxmlAnswer(await setup({ PUBLIC_ORIGIN: 'https://b2b.example.com' }));
    expect(answer.code, answer.text).toBe(200);
    const url = text(path(answer.envelope.root, 'Response', 'PunchOutSetupResponse', 'StartPage', 'URL'));
    expect(url).toBe(
      `https://b2b.example.com/punchout/start/${encodeURIComponent(startCodeOf(answer.envelope))}`,
    );
    expect(answer.envelope.payloadId).toMatch(/@b2b\.example\.com$/);
  });

  it('falls back to the origin the request came to when empty', async () => {
    const answer = await cxmlAnswer(await setup({ PUBLIC_ORIGIN: '' }));
    const url = text(path(answer.envelope.root, 'Response', 'PunchOutSetupResponse', 'StartPage', 'URL'));
    expect(url?.startsWith('https://api.test/punchout/start/')).toBe(true);
    expect(answer.envelope.payloadId).toMatch(/@api\.test$/);
  });
});

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import worker from '../../../src/index';
import { apiKeys, call, DEMO_PASSWORD, expectProblem, json, loginAs, type Problem } from '../harness';

/**
 * Credential guessing is limited per account (email), per API key prefix and per client address, in the
 * RateLimiterDO. Time is the Worker's injected clock (`TEST_CLOCK`), so lockouts expire without sleeping.
 */
let clock = Date.UTC(2027, 0, 4, 9, 0, 0);
beforeEach(() => {
  clock += 24 * 3_600_000; // every test starts a day later: nothing left over from the previous one
});

async function send(
  path: string,
  from: string,
  init: { method?: string; body?: unknown; token?: string } = {},
): Promise<Response> {
  const headers = new Headers({ 'cf-connecting-ip': from });
  if (init.body !== undefined) headers.set('content-type', 'application/json');
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const request = new Request(`https://api.test${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, TEST_CLOCK: () => clock }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const login = (email: string, password: string, from: string) =>
  send('/v1/auth/login', from, { method: 'POST', body: { email, password } });

async function expectLocked(res: Response): Promise<{ problem: Problem; retryAfter: number }> {
  const problem = await expectProblem(res, 429);
  expect(problem.code).toBe('rate_limited');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter > 0).toBe(true);
  return { problem, retryAfter };
}

const auditRows = (action: string, targetId: string) =>
  env.DB.prepare(
    'SELECT actor_id, actor_kind, company_id, summary FROM audit_log WHERE action = ? AND target_id = ? ORDER BY at',
  )
    .bind(action, targetId)
    .all<{ actor_id: string; actor_kind: string; company_id: string | null; summary: string }>()
    .then((r) => r.results);

describe('sign-in guessing', () => {
  it('locks the account after 5 failures: 429 with Retry-After, even for the right password, until it expires', async () => {
    const from = '198.51.100.10';
    for (let i = 0; i < 5; i++) await expectProblem(await login('finance@acme.example', 'wrong!', from), 401);
    const { retryAfter } = await expectLocked(await login('finance@acme.example', DEMO_PASSWORD, from));
    expect(retryAfter).toBe(30);

    clock += retryAfter * 1000 - 1;
    await expectLocked(await login('finance@acme.example', DEMO_PASSWORD, from));
    clock += 1;
    expect((await login('finance@acme.example', DEMO_PASSWORD, from)).status).toBe(200);

    // a successful sign-in forgets the account's failures
    for (let i = 0; i < 4; i++) await expectProblem(await login('finance@acme.example', 'wrong!', from), 401);
    expect((await login('finance@acme.example', DEMO_PASSWORD, from)).status).toBe(200);
  });

  it('doubles each lockout up to 15 minutes, never longer', async () => {
    const from = '198.51.100.11';
    for (let i = 0; i < 5; i++) await expectProblem(await login('approver@acme.example', 'nope!', from), 401);
    const seen: number[] = [];
    for (let round = 0; round < 7; round++) {
      const { retryAfter } = await expectLocked(await login('approver@acme.example', 'nope!', from));
      seen.push(retryAfter);
      clock += retryAfter * 1000;
      // one more guess once the lock has expired, and the next lock is longer
      await expectProblem(await login('approver@acme.example', 'nope!', from), 401);
    }
    expect(seen).toEqual([30, 60, 120, 240, 480, 900, 900]);
    clock += 900_000;
    expect((await login('approver@acme.example', DEMO_PASSWORD, from)).status).toBe(200);
  });

  it('treats an unknown email exactly like a real account, so the lockout reveals nothing', async () => {
    const from = '198.51.100.12';
    for (let i = 0; i < 5; i++) {
      await expectProblem(await login('ghost@acme.example', 'x', from), 401);
      await expectProblem(await login('admin@globex.example', 'x', from), 401);
    }
    const unknown = await expectLocked(await login('ghost@acme.example', 'x', from));
    const known = await expectLocked(await login('admin@globex.example', 'x', from));
    const strip = ({ requestId: _r, ...rest }: Problem) => rest;
    expect(strip(unknown.problem)).toEqual(strip(known.problem));
    expect(unknown.retryAfter).toBe(known.retryAfter);
  });

  it('limits failures per client address; another address is not affected', async () => {
    const noisy = '203.0.113.50';
    for (let i = 0; i < 20; i++)
      await expectProblem(await login(`spray${i}@acme.example`, 'Winter2027!', noisy), 401);
    await expectLocked(await login('buyer@globex.example', DEMO_PASSWORD, noisy));
    expect((await login('buyer@globex.example', DEMO_PASSWORD, '203.0.113.51')).status).toBe(200);
  });

  it('groups IPv6 clients by their /64, which one subscriber usually holds', async () => {
    for (let i = 0; i < 20; i++)
      await expectProblem(await login(`v6spray${i}@acme.example`, 'x', `2001:db8:1:2::${i + 1}`), 401);
    await expectLocked(await login('buyer@initech.example', DEMO_PASSWORD, '2001:db8:1:2:ffff::9'));
    expect((await login('buyer@initech.example', DEMO_PASSWORD, '2001:db8:1:3::1')).status).toBe(200);
  });

  it('audits every failed sign-in with the account company and the client address; refusals by the lock are not', async () => {
    const from = '198.51.100.13';
    await expectProblem(await login('buyer@acme.example', 'not-it', from), 401);
    await expectProblem(await login('nobody-here@acme.example', 'not-it', from), 401);
    const [known] = await auditRows('auth.login_failed', 'usr_acme_buyer');
    expect(known).toMatchObject({ actor_kind: 'anonymous', actor_id: `ip:${from}`, company_id: 'co_acme' });
    expect(known?.summary).toContain(from);
    const [unknown] = await auditRows('auth.login_failed', 'nobody-here@acme.example');
    expect(unknown).toMatchObject({ actor_id: `ip:${from}`, company_id: null });

    // the company admin reads them in the audit log
    const audit = await call('/v1/audit?action=auth.login_failed', {
      token: await loginAs('admin@acme.example'),
    });
    const { items } = await json<{ items: { targetId: string }[] }>(audit);
    expect(items.map((e) => e.targetId)).toContain('usr_acme_buyer');

    for (let i = 0; i < 4; i++) await login('buyer@acme.example', 'not-it', from);
    const before = (await auditRows('auth.login_failed', 'usr_acme_buyer')).length;
    await expectLocked(await login('buyer@acme.example', 'not-it', from));
    await expectLocked(await login('buyer@acme.example', 'not-it', from));
    expect(await auditRows('auth.login_failed', 'usr_acme_buyer')).toHaveLength(before);
  });
});

describe('API key guessing', () => {
  const secretOf = (key: string) => key.slice(-32);
  const withSecret = (key: string, secret: string) => `${key.slice(0, -32)}${secret}`;

  it('locks a key prefix after 5 bad secrets, whatever the address; audited with the key company', async () => {
    const partner = apiKeys().partner;
    const wrong = withSecret(partner, secretOf(partner).split('').reverse().join(''));
    for (let i = 0; i < 5; i++)
      await expectProblem(await send('/v1/me', `198.51.100.${20 + i}`, { token: wrong }), 401);
    await expectLocked(await send('/v1/me', '198.51.100.30', { token: wrong }));
    const rows = await env.DB.prepare(
      "SELECT actor_id FROM audit_log WHERE action = 'auth.api_key_failed' AND company_id = 'co_acme'",
    ).all<{ actor_id: string }>();
    // one row per failure, each with the address it came from (same clock instant: no order to rely on)
    expect(rows.results.map((r) => r.actor_id).sort()).toEqual(
      [20, 21, 22, 23, 24].map((n) => `ip:198.51.100.${n}`),
    );
    clock += 30_000;
    expect((await send('/v1/me', '198.51.100.30', { token: partner })).status).toBe(200);
  });

  it('locks a client address after 20 bad keys, even for a valid key; another address is not affected', async () => {
    const noisy = '203.0.113.60';
    for (let i = 0; i < 20; i++) {
      const guess = `b2bk_${String(i).padStart(12, 'z')}_${'0'.repeat(32)}`;
      await expectProblem(await send('/v1/me', noisy, { token: guess }), 401);
    }
    await expectLocked(await send('/v1/me', noisy, { token: apiKeys().erp }));
    expect((await send('/v1/me', '203.0.113.61', { token: apiKeys().erp })).status).toBe(200);
  });
});

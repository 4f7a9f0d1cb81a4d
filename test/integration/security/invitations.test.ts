import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app';
import { call, expectProblem, json, loginAs } from '../harness';
import { all } from '../pricing-helpers';

interface Invitation {
  id: string;
  email: string;
  status: string;
  expiresAt: number;
  acceptToken?: string;
}

const viewer = 'role_builtin_viewer';
const invite = async (token: string, email: string) =>
  call('/v1/company/users', { method: 'POST', token, body: { email, name: 'Someone', roleIds: [viewer] } });
const accept = (token: string | undefined, password = 'a-new-password') =>
  call('/v1/auth/accept-invitation', { method: 'POST', body: { token, password } });
const usersWithEmail = async (email: string) =>
  (await all<{ id: string }>('SELECT id FROM users WHERE email = ?', email)).length;

describe('invitations do not reveal who is registered elsewhere', () => {
  it('inviting an address of another company answers exactly like a fresh address', async () => {
    const admin = await loginAs('admin@acme.example');
    const known = await invite(admin, 'buyer@globex.example');
    const fresh = await invite(admin, 'fresh.one@acme.example');
    expect([known.status, fresh.status]).toEqual([202, 202]);
    const a = await json<Invitation>(known);
    const b = await json<Invitation>(fresh);
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    // apart from what differs between any two invitations, the answers are the same
    const same = (i: Invitation) => ({
      ...i,
      id: '',
      email: '',
      createdAt: 0,
      expiresAt: 0,
      acceptToken: '',
    });
    expect(same(a)).toEqual(same(b));
    expect(a.status).toBe('pending');

    // the address registered elsewhere never gets a second account, and its owner keeps theirs
    const refused = await expectProblem(await accept(a.acceptToken), 400);
    expect(refused.errors?.map((e) => e.path)).toEqual(['token']);
    expect(await usersWithEmail('buyer@globex.example')).toBe(1);
    const owner = await call('/v1/auth/login', {
      method: 'POST',
      body: { email: 'buyer@globex.example', password: 'demo1234' },
    });
    expect(owner.status).toBe(200);

    const accepted = await accept(b.acceptToken, 'fresh-password');
    expect(accepted.status).toBe(201);
    expect(await json(accepted)).toMatchObject({ email: 'fresh.one@acme.example', companyId: 'co_acme' });
    const login = await call('/v1/auth/login', {
      method: 'POST',
      body: { email: 'fresh.one@acme.example', password: 'fresh-password' },
    });
    expect(await json(login)).toMatchObject({ user: { companyId: 'co_acme', roles: ['viewer'] } });
    // a token works once
    await expectProblem(await accept(b.acceptToken), 400);
  });

  it('an address already in my own company is a 409: my user list shows it anyway', async () => {
    const admin = await loginAs('admin@acme.example');
    const problem = await expectProblem(await invite(admin, 'buyer@acme.example'), 409);
    expect(problem.detail).toMatch(/your company/);
  });

  it('re-inviting replaces the pending invitation; revoked and expired ones cannot be accepted', async () => {
    const admin = await loginAs('admin@acme.example');
    const first = await json<Invitation>(await invite(admin, 'twice@acme.example'));
    const second = await json<Invitation>(await invite(admin, 'twice@acme.example'));
    await expectProblem(await accept(first.acceptToken), 400);
    const pending = await json<{ items: Invitation[] }>(
      await call('/v1/company/invitations', { token: admin }),
    );
    expect(pending.items.filter((i) => i.email === 'twice@acme.example').map((i) => i.id)).toEqual([
      second.id,
    ]);
    const revoked = await call(`/v1/company/invitations/${second.id}`, { method: 'DELETE', token: admin });
    expect(revoked.status).toBe(204);
    await expectProblem(await accept(second.acceptToken), 400);

    const third = await json<Invitation>(await invite(admin, 'late@acme.example'));
    await env.DB.prepare('UPDATE invitations SET expires_at = 1 WHERE id = ?').bind(third.id).run();
    await expectProblem(await accept(third.acceptToken), 400);
    expect(await usersWithEmail('twice@acme.example')).toBe(0);
    expect(await usersWithEmail('late@acme.example')).toBe(0);
  });

  it('outside development the token never appears in an answer; it waits in the mail outbox', async () => {
    const admin = await loginAs('admin@acme.example');
    const ctx = createExecutionContext();
    const res = await createApp().fetch(
      new Request('https://api.test/v1/company/users', {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'prod.user@acme.example', name: 'Prod', roleIds: [viewer] }),
      }),
      { ...env, ENVIRONMENT: 'production' },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(202);
    const body = await json<Invitation>(res);
    expect(body).not.toHaveProperty('acceptToken');
    const mail = await all<{ topic: string; payload: string }>(
      'SELECT topic, payload FROM outbox WHERE aggregate_id = ?',
      body.id,
    );
    expect(mail.map((m) => m.topic)).toEqual(['mail']);
    expect(JSON.parse(mail[0]?.payload ?? '{}')).toMatchObject({ to: 'prod.user@acme.example' });
  });
});

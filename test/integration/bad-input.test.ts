import { describe, expect, it } from 'vitest';
import { call, expectProblem, loginAs } from './harness';

describe('bad input gets a clear 4xx, never a 500', () => {
  it('malformed JSON → 400 problem+json', async () => {
    const res = await call('/v1/auth/login', {
      method: 'POST',
      body: '{"email": "a@b.c",',
      headers: { 'content-type': 'application/json' },
    });
    const problem = await expectProblem(res, 400);
    expect(problem.code).toBe('malformed_body');
  });

  it('wrong content type → 415', async () => {
    const res = await call('/v1/auth/login', {
      method: 'POST',
      body: 'email=a@b.c&password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect((await expectProblem(res, 415)).code).toBe('unsupported_media_type');
  });

  it('oversized body → 413, before it is parsed', async () => {
    const huge = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(1024 * 1024 + 10) });
    expect(
      (await expectProblem(await call('/v1/auth/login', { method: 'POST', body: huge }), 413)).code,
    ).toBe('payload_too_large');
  });

  it('unknown body fields are rejected with their path', async () => {
    const token = await loginAs('admin@acme.example');
    const problem = await expectProblem(
      await call('/v1/company/cost-centers', {
        method: 'POST',
        token,
        body: { code: 'CC-X', name: 'X', budget: 5 },
      }),
      400,
    );
    expect(problem.errors).toEqual([expect.objectContaining({ in: 'body', path: 'budget' })]);
  });

  it('unknown or invalid query parameters are rejected with their path', async () => {
    const token = await loginAs('buyer@acme.example');
    const unknown = await expectProblem(await call('/v1/catalog/products?colour=red', { token }), 400);
    expect(unknown.errors).toEqual([expect.objectContaining({ in: 'query', path: 'colour' })]);
    const limit = await expectProblem(await call('/v1/catalog/products?limit=0', { token }), 400);
    expect(limit.errors?.[0]?.path).toBe('limit');
    const sort = await expectProblem(await call('/v1/catalog/products?sort=price', { token }), 400);
    expect(sort.errors?.[0]?.path).toBe('sort');
    const cursor = await expectProblem(await call('/v1/catalog/products?cursor=garbage', { token }), 400);
    expect(cursor.errors?.[0]?.path).toBe('cursor');
  });

  it('nested paths point at the exact element', async () => {
    const token = await loginAs('admin@acme.example');
    const problem = await expectProblem(
      await call('/v1/company/users', {
        method: 'POST',
        token,
        body: {
          email: 'ok@acme.example',
          name: 'Ok',
          password: 'longenough',
          roleIds: ['role_builtin_buyer', 42],
        },
      }),
      400,
    );
    expect(problem.errors?.map((e) => e.path)).toEqual(['roleIds.1']);
  });

  it('invalid ids in the path → 400 with the path; unknown routes → 404 problem', async () => {
    const token = await loginAs('admin@acme.example');
    const problem = await expectProblem(await call('/v1/company/users/DROP%20TABLE', { token }), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ in: 'path', path: 'id' })]);
    await expectProblem(await call('/nope'), 404);
    await expectProblem(await call('/v1/nope', { token }), 404);
  });

  it('a rejected write changes nothing', async () => {
    const token = await loginAs('admin@acme.example');
    const before = await (await call('/v1/company/users', { token })).text();
    await call('/v1/company/users', {
      method: 'POST',
      token,
      body: {
        email: 'half@acme.example',
        name: 'Half',
        password: 'longenough',
        roleIds: ['role_builtin_nope'],
      },
    });
    expect(await (await call('/v1/company/users', { token })).text()).toBe(before);
  });
});

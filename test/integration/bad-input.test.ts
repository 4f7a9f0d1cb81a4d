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
        roleIds: ['role_builtin_nope'],
      },
    });
    expect(await (await call('/v1/company/users', { token })).text()).toBe(before);
  });
});

describe('dates: one schema for every date the API takes', () => {
  const paths = async (res: Response) => (await expectProblem(res, 400)).errors?.map((e) => e.path);
  const delegate = async (startsAt: string, endsAt: string) =>
    call('/v1/delegations', {
      method: 'POST',
      token: await loginAs('approver@acme.example'),
      body: { substituteUserId: 'usr_acme_finance', startsAt, endsAt },
    });

  it('impossible dates, absurd years and overlong windows are refused on delegations', async () => {
    expect(await paths(await delegate('2026-02-30T10:00:00Z', '2026-03-05T10:00:00Z'))).toEqual(['startsAt']);
    expect(await paths(await delegate('2026-04-31T00:00:00+02:00', '2026-05-05T10:00:00Z'))).toEqual([
      'startsAt',
    ]);
    expect(await paths(await delegate('0000-01-01T00:00:00Z', '2026-03-05T10:00:00Z'))).toEqual(['startsAt']);
    expect(await paths(await delegate('2026-03-01T00:00:00Z', '9999-12-31T00:00:00Z'))).toEqual(['endsAt']);
    // a substitute for more than a year is not a substitute
    expect(await paths(await delegate('2026-03-01T00:00:00Z', '2027-06-01T00:00:00Z'))).toEqual(['endsAt']);
    expect(await paths(await delegate('2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z'))).toEqual(['endsAt']);
  });

  it('order and audit filters take only real instants and ordered windows', async () => {
    const buyer = await loginAs('buyer@acme.example');
    expect(await paths(await call('/v1/orders?from=2026-02-30T00:00:00Z', { token: buyer }))).toEqual([
      'from',
    ]);
    expect(await paths(await call('/v1/orders?to=9999-12-31T00:00:00Z', { token: buyer }))).toEqual(['to']);
    expect(
      await paths(
        await call('/v1/orders?from=2026-03-01T00:00:00Z&to=2026-02-01T00:00:00Z', { token: buyer }),
      ),
    ).toEqual(['to']);
    expect(
      (await call('/v1/orders?from=2026-02-28T00:00:00Z&to=2026-03-01T00:00:00Z', { token: buyer })).status,
    ).toBe(200);
    const finance = await loginAs('finance@acme.example');
    expect(await paths(await call('/v1/audit?from=2026-02-29T00:00:00Z', { token: finance }))).toEqual([
      'from',
    ]);
    expect(await paths(await call('/v1/audit?to=1970-01-01T00:00:00Z', { token: finance }))).toEqual(['to']);
  });

  it('supplier validity windows in epoch milliseconds stay within the supported years', async () => {
    const ops = await loginAs('ops@supplier.example');
    const contract = (window: Record<string, number>) =>
      call('/v1/admin/contracts', {
        method: 'POST',
        token: ops,
        body: { name: 'Dates', currency: 'EUR', companyId: 'co_acme', ...window },
      });
    expect(await paths(await contract({ validFrom: 0 }))).toEqual(['validFrom']);
    expect(await paths(await contract({ validTo: 8.64e15 }))).toEqual(['validTo']);
  });

  it('a requested delivery date is a calendar date within the supported years', async () => {
    const buyer = await loginAs('buyer@acme.example');
    for (const requestedDeliveryDate of ['2026-02-30', '9999-01-01', '2026-1-5']) {
      const res = await call('/v1/carts/current/checkout', {
        method: 'POST',
        token: buyer,
        body: { requestedDeliveryDate },
        headers: { 'idempotency-key': `date-${requestedDeliveryDate}` },
      });
      expect(await paths(res), requestedDeliveryDate).toEqual(['requestedDeliveryDate']);
    }
  });
});

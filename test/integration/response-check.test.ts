import { env } from 'cloudflare:test';
import { Hono } from 'hono';
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../src/env';
import type { AppEnv } from '../../src/http/context';
import { services } from '../../src/http/middleware';
import { doc } from '../../src/http/openapi';
import { handleError } from '../../src/http/problem';
import { call, json, loginAs } from './harness';

const Thing = v.object({ id: v.string(), count: v.number(), tags: v.array(v.string()) });

/** Test-only routes, each answering something its documentation does or does not promise. */
const app = new Hono<AppEnv>()
  .use(services)
  .get('/right', doc({ tags: ['Test'], summary: 'Matches', ok: Thing }), (c) =>
    c.json({ id: 'thg_1', count: 3, tags: ['a'] }),
  )
  .get('/wrong', doc({ tags: ['Test'], summary: 'A count as text', ok: Thing }), (c) =>
    c.json({ id: 'thg_1', count: '3', tags: ['a'] }),
  )
  .post('/created', doc({ tags: ['Test'], summary: 'Documents 201', ok: Thing, status: 201 }), (c) =>
    c.json({ id: 'thg_1', count: 3, tags: [] }),
  )
  .delete('/gone', doc({ tags: ['Test'], summary: 'Documents no body', status: 204 }), (c) =>
    c.json({ deleted: true }),
  )
  .get(
    '/extra',
    doc({
      tags: ['Test'],
      summary: 'A field more',
      ok: v.object({ items: v.array(v.object({ id: v.string() })) }),
    }),
    (c) => c.json({ items: [{ id: 'thg_1', secret: 'internal' }] }),
  )
  .get('/refused', doc({ tags: ['Test'], summary: 'An error is no 2xx answer', ok: Thing }), (c) =>
    c.json({ error: 'nope' }, 409),
  );
app.onError(handleError);

const request = (path: string, method: string, validate: 'true' | 'false' = 'true') =>
  app.request(path, { method }, { ...env, VALIDATE_RESPONSES: validate });

describe('responses are checked against their OpenAPI schema in tests', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is on for the whole suite', () => {
    expect(readConfig(env).VALIDATE_RESPONSES).toBe('true');
  });

  it('passes an answer that matches its schema unchanged', async () => {
    const res = await request('/right', 'GET');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'thg_1', count: 3, tags: ['a'] });
  });

  it('turns an answer that departs from its schema into a 500 naming the route and the field', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await request('/wrong', 'GET');
    expect(res.status).toBe(500);
    const body = await res.json<{ detail: string }>();
    expect(body.detail).toContain('GET /wrong');
    expect(body.detail).toContain('count: Invalid type');
    const line = JSON.parse(String(logged.mock.calls.at(-1)?.[0]));
    expect(line).toMatchObject({ level: 'error', route: 'GET /wrong' });
    expect(line.issues[0]).toMatch(/^count: /);
  });

  it('catches a field the schema does not name, however deep', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await request('/extra', 'GET');
    expect(res.status).toBe(500);
    expect((await res.json<{ detail: string }>()).detail).toContain(
      'items.0.secret: not in the documented schema',
    );
  });

  it('catches a success status other than the documented one', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await request('/created', 'POST');
    expect(res.status).toBe(500);
    expect((await res.json<{ detail: string }>()).detail).toContain('status 200, documented 201');
  });

  it('catches a JSON body on a route documented without one', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await request('/gone', 'DELETE');
    expect(res.status).toBe(500);
    expect((await res.json<{ detail: string }>()).detail).toContain('documented without one');
  });

  it('leaves error answers alone (they are problem+json, documented once for all routes)', async () => {
    expect((await request('/refused', 'GET')).status).toBe(409);
  });

  it('costs production nothing: without the flag the wrong answer goes out as it is', async () => {
    const res = await request('/wrong', 'GET', 'false');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ count: '3' });
  });
});

/** The routes the other tests never read a success from: their answers are checked here. */
describe('answers of the routes no other test reads match their documents', () => {
  const okStatus = async (res: Response, status: number) => {
    if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
    return res;
  };
  const firstId = async (path: string, token: string) => {
    const { items } = await json<{ items: { id: string }[] }>(
      await okStatus(await call(path, { token }), 200),
    );
    const id = items[0]?.id;
    if (!id) throw new Error(`${path} lists nothing`);
    return id;
  };

  it('health, one account, one price index rebuild', async () => {
    expect(await json(await okStatus(await call('/health'), 200))).toEqual({ status: 'ok' });
    const ops = await loginAs('ops@supplier.example');
    await okStatus(await call('/v1/admin/companies/co_acme', { token: ops }), 200);
    const rebuild = await call('/v1/admin/price-index/co_acme/rebuild', { method: 'POST', token: ops });
    expect(await json(await okStatus(rebuild, 202))).toEqual({ fingerprint: expect.any(String) });
  });

  it('one address, one cost center, one role', async () => {
    const admin = await loginAs('admin@acme.example');
    for (const list of ['/v1/company/addresses', '/v1/company/cost-centers', '/v1/company/roles']) {
      const id = await firstId(list, admin);
      await okStatus(await call(`${list}/${id}`, { token: admin }), 200);
    }
  });

  it('the delegations I gave, and revoking one', async () => {
    const approver = await loginAs('approver@acme.example');
    const now = Date.now();
    const created = await call('/v1/delegations', {
      method: 'POST',
      token: approver,
      body: {
        substituteUserId: 'usr_acme_finance',
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
      },
    });
    const { id } = await json<{ id: string }>(await okStatus(created, 201));
    expect(await firstId('/v1/delegations', approver)).toBe(id);
    await okStatus(await call(`/v1/delegations/${id}`, { method: 'DELETE', token: approver }), 204);
  });
});

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../../src/db/client';
import { listProducts } from '../../../src/db/queries/catalog';
import worker from '../../../src/index';
import { deliverNotification } from '../../../src/services/notifications';
import { call, expectProblem, json, loginAs } from '../harness';

/**
 * Control characters (C0, DEL, C1) and lone surrogates are refused in every text parameter of the API with
 * a 400 naming the parameter, never a 500. The parameters come from the OpenAPI document, so a new route
 * is checked the day it is documented.
 */
const IN_URLS = ['\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u009f'];
// a JSON body can also carry lone surrogates ("\ud800"), which a URL cannot
const IN_BODIES = [...IN_URLS, '\ud800', '\udfff'];

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}
interface Parameter {
  in: 'query' | 'path' | 'header';
  name: string;
  schema?: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: { 'application/json'?: { schema?: JsonSchema } } };
}
type Segment = string | number;

const isString = (s: JsonSchema) =>
  s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string')) || typeof s.const === 'string';

/** Every path to a string leaf of a request body schema (arrays: their first element). */
function stringLeaves(schema: JsonSchema, path: Segment[] = []): Segment[][] {
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  const found: Segment[][] = [];
  if (isString(schema) || branches.some(isString)) found.push(path);
  for (const branch of branches)
    if (branch.properties || branch.items) found.push(...stringLeaves(branch, path));
  for (const [key, child] of Object.entries(schema.properties ?? {}))
    found.push(...stringLeaves(child, [...path, key]));
  if (schema.items) found.push(...stringLeaves(schema.items, [...path, 0]));
  return found;
}

function bodyWith(path: Segment[], value: string): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const inner = bodyWith(rest, value);
  return typeof head === 'number' ? [inner] : { [head]: inner };
}

const SAMPLE_PATH_VALUES: Record<string, string> = { sku: 'FAS-000001', companyId: 'co_acme', lineNo: '1' };
const fillPath = (template: string, override?: [string, string]) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(override?.[0] === name ? override[1] : (SAMPLE_PATH_VALUES[name] ?? 'xyz_1')),
  );
const printable = (text: string) => JSON.stringify(text);

let operations: { method: string; path: string; op: Operation }[] = [];
let principals: { token: string; headers: Record<string, string> }[] = [];

beforeAll(async () => {
  const doc = await json<{ paths: Record<string, Record<string, Operation>> }>(await call('/openapi.json'));
  operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
  // the first of these allowed to call a route is used; validation runs after the permission check
  principals = [
    { token: await loginAs('admin@acme.example'), headers: {} },
    { token: await loginAs('approver@acme.example'), headers: {} },
    { token: await loginAs('buyer@acme.example'), headers: {} },
    { token: await loginAs('ops@supplier.example'), headers: { 'x-company-id': 'co_acme' } },
  ];
});

async function send(method: string, url: string, body?: unknown): Promise<Response> {
  let res: Response | undefined;
  for (const { token, headers } of principals) {
    res = await call(url, {
      method,
      token,
      body,
      headers: { ...headers, 'idempotency-key': crypto.randomUUID(), 'if-match': '"1"' },
    });
    if (res.status !== 403) return res;
  }
  if (!res) throw new Error('no principals');
  return res;
}

/** "" when the answer is a 400 naming `path` in `where`, else what went wrong. */
async function refusal(res: Response, where: string, path: string): Promise<string> {
  const text = await res.text();
  if (res.status !== 400) return `${res.status} ${text.slice(0, 160)}`;
  const errors = (JSON.parse(text) as { errors?: { in?: string; path: string }[] }).errors ?? [];
  return errors.some((e) => e.in === where && e.path === path) ? '' : `400 without ${where} ${path}: ${text}`;
}

describe('control characters in text parameters', () => {
  it('a NUL in the catalog search is a 400 naming q, not a failing full-text query', async () => {
    const token = await loginAs('buyer@acme.example');
    const problem = await expectProblem(await call('/v1/catalog/products?q=bolt%00', { token }), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ in: 'query', path: 'q' })]);
  });

  it('a NUL in the catalog search engine query (and its filters) is a 400 naming the parameter', async () => {
    const token = await loginAs('buyer@acme.example');
    for (const param of ['q', 'brand', 'attr', 'range']) {
      const problem = await expectProblem(await call(`/v1/search?${param}=bolt%00`, { token }), 400);
      const named = new Set(problem.errors?.map((e) => `${e.in} ${e.path.split('.')[0]}`));
      expect([...named]).toEqual([`query ${param}`]);
    }
    const suggest = await expectProblem(await call('/v1/search/suggest?q=bo%00', { token }), 400);
    expect(suggest.errors).toEqual([expect.objectContaining({ in: 'query', path: 'q' })]);
  });

  it('every query and path parameter of every route refuses them with a 400 naming it', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const { method, path, op } of operations) {
      for (const param of op.parameters ?? []) {
        if (param.in === 'header') continue;
        for (const bad of IN_URLS) {
          const value = `ab${bad}c`;
          const url =
            param.in === 'path'
              ? fillPath(path, [param.name, value])
              : `${fillPath(path)}?${param.name}=${encodeURIComponent(value)}`;
          const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
          const wrong = await refusal(await send(method, url, body), param.in, param.name);
          if (wrong)
            failures.push(`${method} ${path} ${param.in} ${param.name}=${printable(value)}: ${wrong}`);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });

  it('every text field of every request body refuses them with a 400 naming it', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const { method, path, op } of operations) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (!schema) continue;
      for (const [i, leaf] of stringLeaves(schema).entries()) {
        // each field gets one of the characters in turn; the shared text schema's unit test covers each
        // character on its own
        const value = `ab${IN_BODIES[i % IN_BODIES.length]}c`;
        const wrong = await refusal(
          await send(method, fillPath(path), bodyWith(leaf, value)),
          'body',
          leaf.join('.'),
        );
        if (wrong) failures.push(`${method} ${path} ${leaf.join('.')}=${printable(value)}: ${wrong}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });

  it('the full-text query builder drops control characters itself (defence in depth)', async () => {
    const db = createDatabase(env);
    const plain = await listProducts(db, { q: 'bolt', sort: 'sku', limit: 5 });
    expect(await listProducts(db, { q: '\u0001bolt\u0000', sort: 'sku', limit: 5 })).toEqual(plain);
  });
});

describe('URLs a customer makes us call (webhooks)', () => {
  async function putWebhook(webhookUrl: string | null, environment: string): Promise<Response> {
    const request = new Request('https://api.test/v1/company/notifications/settings', {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${await loginAs('admin@globex.example')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ webhookUrl }),
    });
    const ctx = createExecutionContext();
    const res = await worker.fetch(request, { ...env, ENVIRONMENT: environment }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it.each([
    'http://hooks.globex.example/b2b',
    'https://localhost/hook',
    'https://127.0.0.1:8788/hook',
    'https://2130706433/hook',
    'https://0x7f.1/hook',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://10.1.2.3/hook',
    'https://192.168.0.10/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://100.64.0.7/hook',
    'https://[fd00::7]/hook',
    'https://[fe80::1]/hook',
    'https://0.0.0.0/hook',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://nas.local/hook',
    'https://erp/hook',
    'https://user:pw@hooks.globex.example/b2b',
  ])('outside development, %s is a 400 naming webhookUrl', async (url) => {
    const problem = await expectProblem(await putWebhook(url, 'production'), 400);
    expect(problem.errors).toEqual([expect.objectContaining({ in: 'body', path: 'webhookUrl' })]);
  });

  it('outside development a public https URL is taken; in development also http to the loopback host', async () => {
    expect((await putWebhook('https://hooks.globex.example/b2b', 'production')).status).toBe(200);
    expect((await putWebhook('http://localhost:8788/hook', 'development')).status).toBe(200);
    expect((await putWebhook('http://127.0.0.1:8788/hook', 'development')).status).toBe(200);
    // development relaxes the loopback host only: the rest of the network stays out of reach
    await expectProblem(await putWebhook('https://169.254.169.254/latest', 'development'), 400);
    await expectProblem(await putWebhook('http://10.0.0.5/hook', 'development'), 400);
  });

  describe('delivery follows redirects itself, checking every hop', () => {
    const HOOK = 'https://hooks.globex.example/b2b?token=t0ken';
    const production = { allowLocal: false };
    let requested: { url: string; body: string; signature: string | null }[] = [];
    let answers: Response[] = [];
    const fake = async (url: string, init: RequestInit): Promise<Response> => {
      requested.push({
        url,
        body: typeof init.body === 'string' ? init.body : '',
        signature: new Headers(init.headers).get('x-b2b-signature'),
      });
      const next = answers.shift();
      if (!next) throw new Error(`unexpected request to ${url}`);
      return next;
    };
    const redirect = (status: number, location: string) =>
      new Response(null, { status, headers: { location } });
    const row = (eventId: string) =>
      env.DB.prepare(
        'SELECT status, last_error FROM notification_deliveries WHERE company_id = ? AND event_id = ?',
      )
        .bind('co_globex', eventId)
        .first<{ status: string; last_error: string | null }>();
    const event = () => ({
      eventId: `evt_ssrf_${crypto.randomUUID().replaceAll('-', '')}`,
      companyId: 'co_globex',
      event: 'order.placed' as const,
      payload: { orderId: 'ord_1' },
    });

    beforeAll(async () => {
      expect((await putWebhook(HOOK, 'production')).status).toBe(200);
    });

    it('a redirect to a private address is not requested; the delivery fails at once with the reason', async () => {
      requested = [];
      answers = [redirect(307, 'https://169.254.169.254/latest/meta-data/iam')];
      const n = event();
      expect(await deliverNotification(createDatabase(env), n, Date.now(), fake, production)).toBe('refused');
      expect(requested.map((r) => r.url)).toEqual([HOOK]);
      const stored = await row(n.eventId);
      expect(stored?.status).toBe('failed');
      expect(stored?.last_error).toBe(
        'refused: redirect to https://169.254.169.254: 169.254.169.254 is not a public address',
      );
    });

    it('a redirect (307/308) to a public https URL is followed with the same signed body, at most 3 times', async () => {
      requested = [];
      answers = [redirect(308, 'https://new.globex.example/b2b'), new Response('ok', { status: 200 })];
      const n = event();
      expect(await deliverNotification(createDatabase(env), n, Date.now(), fake, production)).toBe(
        'delivered',
      );
      expect(requested.map((r) => r.url)).toEqual([HOOK, 'https://new.globex.example/b2b']);
      expect(requested[1]?.body).toBe(requested[0]?.body);
      expect(requested[1]?.signature).toBe(requested[0]?.signature);

      requested = [];
      answers = [1, 2, 3, 4].map((i) => redirect(307, `https://hop${i}.globex.example/`));
      const looping = event();
      expect(await deliverNotification(createDatabase(env), looping, Date.now(), fake, production)).toBe(
        'refused',
      );
      expect(requested).toHaveLength(4);
      expect((await row(looping.eventId))?.last_error).toBe('refused: more than 3 redirects');
    });

    it('a stored URL that is no longer allowed is refused without a request', async () => {
      await env.DB.prepare(
        "UPDATE company_settings SET webhook_url = 'https://10.9.8.7/' WHERE company_id = ?",
      )
        .bind('co_globex')
        .run();
      requested = [];
      const n = event();
      expect(await deliverNotification(createDatabase(env), n, Date.now(), fake, production)).toBe('refused');
      expect(requested).toEqual([]);
      expect((await row(n.eventId))?.last_error).toBe('refused: 10.9.8.7 is not a public address');
    });
  });
});

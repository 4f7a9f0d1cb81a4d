import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { call, json } from './harness';

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every route the app serves', async () => {
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      await call('/openapi.json'),
    );
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const served = createApp()
      .routes.filter(
        (r) =>
          r.method !== 'ALL' &&
          !r.path.startsWith('/_bench') &&
          r.path !== '/openapi.json' &&
          r.path !== '/docs' &&
          !r.path.startsWith('/docs/'),
      )
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(served.length).toBeGreaterThan(20);
    for (const route of served) expect(documented, route).toContain(route);
  });

  it('documents request bodies and problem responses from the same schemas the routes validate with', async () => {
    const doc = await json<{
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    }>(await call('/openapi.json'));
    const createUser = doc.paths['/v1/company/users']?.post;
    expect(JSON.stringify(createUser?.requestBody)).toContain('roleIds');
    expect(Object.keys(createUser?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '401', '403', '409']),
    );
  });

  it('serves readable docs at /docs', async () => {
    const res = await call('/docs');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/openapi.json');
  });

  it('hides the benchmark floor routes unless enabled', async () => {
    expect((await call('/_bench/noop')).status).toBe(404);
  });
});

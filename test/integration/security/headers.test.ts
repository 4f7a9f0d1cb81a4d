import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../../src/index';
import { call, DEMO_PASSWORD, loginAs } from '../harness';

async function inEnvironment(environment: string, path: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://api.test${path}`),
    { ...env, ENVIRONMENT: environment },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe('security headers', () => {
  it('tokens and personal data are never cached; nothing is sniffed', async () => {
    const login = await call('/v1/auth/login', {
      method: 'POST',
      body: { email: 'buyer@acme.example', password: DEMO_PASSWORD },
    });
    const me = await call('/v1/me', { token: await loginAs('buyer@acme.example') });
    const refused = await call('/v1/me');
    const catalog = await call('/v1/catalog/products?limit=1', {
      token: await loginAs('buyer@acme.example'),
    });
    for (const res of [login, me, refused, catalog]) {
      expect(res.headers.get('cache-control'), res.url).toBe('no-store');
      expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), res.url).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
    }
    const health = await call('/health');
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await call('/nope')).headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('HSTS outside development only', async () => {
    expect(
      (await inEnvironment('development', '/health')).headers.get('strict-transport-security'),
    ).toBeNull();
    for (const path of ['/health', '/v1/me', '/docs']) {
      expect((await inEnvironment('production', path)).headers.get('strict-transport-security'), path).toBe(
        'max-age=63072000; includeSubDomains',
      );
    }
  });

  it('/docs loads only from this origin, under a CSP that allows nothing else', async () => {
    const res = await call('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('/openapi.json');
    expect(html).not.toMatch(/https?:\/\//);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*|unsafe-eval/);
    const src = /<script src="(\/docs\/scalar\.js\?v=[0-9a-f]+)"/.exec(html)?.[1];
    if (!src) throw new Error(`no script tag in ${html}`);
    const script = await call(src);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toContain('createApiReference');
  });
});

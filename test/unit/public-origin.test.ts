import { describe, expect, it } from 'vitest';
import { benchRoutesEnabled, type Env, payloadHostOf, publicOriginOf, readConfig } from '../../src/env';

const base = { JWT_SECRET: 'x'.repeat(32), JWT_ISSUER: 'edge-b2b-commerce', JWT_TTL_SECONDS: '900' };
const configOf = (vars: Record<string, string>) => readConfig({ ...base, ...vars } as unknown as Env);

describe('PUBLIC_ORIGIN', () => {
  it('unset: the request origin for URLs, JWT_ISSUER for payloadIDs minted without a request', () => {
    const config = configOf({});
    expect(publicOriginOf(config, 'https://edge-b2b-commerce.acct.workers.dev/punchout/cxml/setup')).toBe(
      'https://edge-b2b-commerce.acct.workers.dev',
    );
    expect(payloadHostOf(config)).toBe('edge-b2b-commerce');
  });

  it('set: used for both, a trailing slash dropped', () => {
    const config = configOf({ PUBLIC_ORIGIN: 'https://b2b.example.com/' });
    expect(publicOriginOf(config, 'https://edge-b2b-commerce.acct.workers.dev/x')).toBe(
      'https://b2b.example.com',
    );
    expect(payloadHostOf(config)).toBe('b2b.example.com');
  });

  it('a path or a non-URL is a configuration error naming the variable', () => {
    expect(() => configOf({ PUBLIC_ORIGIN: 'https://b2b.example.com/shop' })).toThrow(/PUBLIC_ORIGIN/);
    expect(() => configOf({ PUBLIC_ORIGIN: 'b2b.example.com' })).toThrow(/PUBLIC_ORIGIN/);
  });
});

describe('ENVIRONMENT', () => {
  it('a misspelt environment fails loudly instead of behaving like some other one', () => {
    expect(() => configOf({ ENVIRONMENT: 'prod' })).toThrow(/ENVIRONMENT/);
  });

  it('bench routes only in development, whatever ENABLE_BENCH_ROUTES says', () => {
    const on = { ENABLE_BENCH_ROUTES: 'true' };
    expect(benchRoutesEnabled(configOf({ ...on, ENVIRONMENT: 'development' }))).toBe(true);
    expect(benchRoutesEnabled(configOf({ ...on, ENVIRONMENT: 'staging' }))).toBe(false);
    expect(benchRoutesEnabled(configOf({ ...on, ENVIRONMENT: 'production' }))).toBe(false);
    expect(benchRoutesEnabled(configOf(on))).toBe(false);
  });
});

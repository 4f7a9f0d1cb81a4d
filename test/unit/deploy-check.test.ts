import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BUNDLE_BUDGET,
  bundleProblems,
  exampleSecrets,
  missingBindings,
  requiredEnvMembers,
  sizesByPackage,
} from '../../scripts/deploy/bundle-check';
import { declaredBindings, parseConfig } from '../../scripts/deploy/config';

const budget = { mainRaw: 1000, mainGzip: 300, totalGzip: 800 };

describe('bundle budget', () => {
  it('within the budget: no problem', () => {
    const modules = [
      { name: 'index.js', raw: 1000, gzip: 300 },
      { name: 'docs.txt', raw: 5000, gzip: 500 },
    ];
    expect(bundleProblems(modules, 'index.js', budget)).toEqual([]);
  });

  it('each limit crossed is named with the size and the budget', () => {
    const modules = [
      { name: 'index.js', raw: 1001, gzip: 301 },
      { name: 'docs.txt', raw: 5000, gzip: 600 },
    ];
    expect(bundleProblems(modules, 'index.js', budget)).toEqual([
      'index.js (raw) is 1.0 kB, over the budget of 1.0 kB',
      'index.js (gzip) is 0.3 kB, over the budget of 0.3 kB',
      'the whole upload (gzip) is 0.9 kB, over the budget of 0.8 kB',
    ]);
  });

  it('a bundle without its entry module is a problem, not a pass', () => {
    expect(bundleProblems([], 'index.js', budget)).toEqual(['the bundle has no index.js']);
  });

  it('the budget stays under the Workers Free upload limit (3 MB compressed)', () => {
    expect(BUNDLE_BUDGET.totalGzip).toBeLessThan(3_000_000);
  });

  it('sizes by package: node_modules paths by package (scoped too), sources by folder', () => {
    expect(
      sizesByPackage({
        'node_modules/zod/v4/core/index.js': { bytesInOutput: 10 },
        'node_modules/zod/v4/classic.js': { bytesInOutput: 5 },
        'node_modules/@libsql/client/web.js': { bytesInOutput: 7 },
        'src/services/auth.ts': { bytesInOutput: 3 },
      }),
    ).toEqual([
      { name: 'zod', bytes: 15 },
      { name: '@libsql/client', bytes: 7 },
      { name: 'src/services', bytes: 3 },
    ]);
  });
});

describe('bindings the code needs', () => {
  const declarations = [
    'declare namespace Cloudflare {',
    '\tinterface ProductionEnv {',
    '\t\tOTHER: string;',
    '\t}',
    '\tinterface Env {',
    '\t\tDB: D1Database;',
    '\t\tJWT_SECRET: string;',
    '\t\tPUBLIC_ORIGIN: string;',
    '\t\tOPTIONAL?: string;',
    '\t}',
    '}',
  ].join('\n');

  it('reads the required members of Env only (not another interface, not optional ones)', () => {
    expect(requiredEnvMembers(declarations)).toEqual(['DB', 'JWT_SECRET', 'PUBLIC_ORIGIN']);
  });

  it('a variable or binding missing from an environment is reported; secrets are not expected there', () => {
    const required = requiredEnvMembers(declarations);
    expect(missingBindings(required, ['DB'], ['JWT_SECRET'])).toEqual(['PUBLIC_ORIGIN']);
    expect(missingBindings(required, ['DB', 'PUBLIC_ORIGIN'], ['JWT_SECRET'])).toEqual([]);
  });

  it('the secrets come from the uncommented lines of .dev.vars.example', () => {
    expect(exampleSecrets('# a comment\nJWT_SECRET=x\n# LIBSQL_URL=libsql://\n')).toEqual(['JWT_SECRET']);
  });

  it('every deployed environment of wrangler.toml declares everything the generated Env requires', () => {
    const required = requiredEnvMembers(readFileSync('worker-configuration.d.ts', 'utf8'));
    const secrets = exampleSecrets(readFileSync('.dev.vars.example', 'utf8'));
    expect(required).toContain('RATE_LIMITER');
    const config = parseConfig(readFileSync('wrangler.toml', 'utf8'));
    for (const env of ['staging', 'production'])
      expect(missingBindings(required, declaredBindings(config, env), secrets)).toEqual([]);
    const withoutVar = parseConfig(
      readFileSync('wrangler.toml', 'utf8').replace(/\[env\.staging\.vars\][^[]*/, '[env.staging.vars]\n'),
    );
    expect(missingBindings(required, declaredBindings(withoutVar, 'staging'), secrets)).toContain(
      'ENVIRONMENT',
    );
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type AccountState,
  EMPTY_ACCOUNT,
  parseD1List,
  parseKvList,
  parseQueuesTable,
  parseR2List,
  parseSecretList,
} from '../../scripts/deploy/account';
import { generatedConfig, needsOf, parseConfig } from '../../scripts/deploy/config';
import { CREATE_KINDS, describePlan, plan } from '../../scripts/deploy/plan';

// the real deployment description: the planner is tested against what will be deployed
const config = parseConfig(readFileSync('wrangler.toml', 'utf8'));
const production = needsOf(config, 'production');
const staging = needsOf(config, 'staging');

/** An account holding everything `needs` asks for, the way the listings report it. */
const complete = (needs: typeof production, secrets: string[] = ['JWT_SECRET']): AccountState => ({
  d1: needs.d1.map((d, i) => ({ name: d.name, id: `d1-id-${i}` })),
  kv: needs.kv.map((k, i) => ({ title: k.title, id: `kv-id-${i}` })),
  r2: [...needs.r2],
  queues: [...needs.queues],
  secrets,
});
const kinds = (steps: ReturnType<typeof plan>) => steps.map((s) => s.kind);
const creates = (steps: ReturnType<typeof plan>) => steps.filter((s) => CREATE_KINDS.includes(s.kind));

describe('what an environment needs (wrangler.toml)', () => {
  it('production: the plain names, every queue and dead-letter queue once', () => {
    expect(production.workerName).toBe('edge-b2b-commerce');
    expect(production.d1).toEqual([{ binding: 'DB', name: 'b2b' }]);
    expect(production.kv).toEqual([{ binding: 'PRICE_INDEX', title: 'edge-b2b-commerce-price-index' }]);
    expect(production.r2).toEqual(['erp-uploads']);
    expect(production.queues).toHaveLength(12);
    expect(production.queues).toContain('notifications-dlq');
    expect(new Set(production.queues).size).toBe(12);
    expect(production.vars.ENVIRONMENT).toBe('production');
    expect(production.secrets).toEqual(['JWT_SECRET']);
  });

  it('staging: names of its own, so the two never share data or queues', () => {
    expect(staging.workerName).toBe('edge-b2b-commerce-staging');
    const names = [...staging.d1.map((d) => d.name), ...staging.kv.map((k) => k.title), ...staging.r2];
    expect([...names, ...staging.queues].every((n) => n.includes('-staging'))).toBe(true);
    const shared = staging.queues.filter((q) => production.queues.includes(q));
    expect(shared).toEqual([]);
    expect(staging.vars.ENVIRONMENT).toBe('staging');
  });

  it('an unknown environment is refused with the known ones', () => {
    expect(() => needsOf(config, 'prod')).toThrow(/no \[env.prod\].*staging, production/);
  });

  it('LIBSQL_URL as a variable: the token becomes a required secret and the migrations run there too', () => {
    const withLibsql = parseConfig(
      readFileSync('wrangler.toml', 'utf8').replace(
        '[env.production.vars]\n',
        '[env.production.vars]\nLIBSQL_URL = "libsql://b2b.example.turso.io"\n',
      ),
    );
    const needs = needsOf(withLibsql, 'production');
    expect(needs.secrets).toEqual(['JWT_SECRET', 'LIBSQL_AUTH_TOKEN']);
    const steps = plan(complete(needs), needs, 'production');
    expect(kinds(steps)).toContain('migrate-libsql');
    expect(steps.find((s) => s.kind === 'secret')?.secret).toBe('LIBSQL_AUTH_TOKEN');
  });
});

describe('plan', () => {
  it('empty account: creates everything, then config, migrations, secrets, deploy in that order', () => {
    const steps = plan(EMPTY_ACCOUNT, production, 'production');
    expect(creates(steps)).toHaveLength(1 + 1 + 1 + 12);
    const after = kinds(steps).slice(creates(steps).length);
    expect(after).toEqual(['write-config', 'migrate-d1', 'secret', 'deploy']);
    // no Worker yet: the secret goes with the first deploy, not through `wrangler secret put`
    expect(steps.find((s) => s.kind === 'secret')).toMatchObject({ secret: 'JWT_SECRET', command: null });
    expect(steps.find((s) => s.kind === 'migrate-d1')?.command).toEqual([
      'wrangler',
      'd1',
      'migrations',
      'apply',
      'DB',
      '--remote',
      '--config',
      'wrangler.production.generated.toml',
      '--env',
      'production',
    ]);
  });

  it('partial account: creates only what is missing', () => {
    const full = complete(production, []);
    const partial: AccountState = {
      ...full,
      kv: [],
      queues: full.queues.filter((q) => !q.startsWith('erp-export')),
    };
    const steps = creates(plan(partial, production, 'production'));
    expect(steps.map((s) => s.command?.join(' '))).toEqual([
      'wrangler kv namespace create edge-b2b-commerce-price-index',
      'wrangler queues create erp-export',
      'wrangler queues create erp-export-dlq',
    ]);
    // the Worker exists but lacks its secret: set it before the deploy
    expect(plan(partial, production, 'production').find((s) => s.kind === 'secret')?.command).toEqual([
      'wrangler',
      'secret',
      'put',
      'JWT_SECRET',
      '--config',
      'wrangler.production.generated.toml',
      '--env',
      'production',
    ]);
  });

  it('complete account: nothing to create, no secret to set (a second run changes nothing)', () => {
    expect(kinds(plan(complete(production), production, 'production'))).toEqual([
      'write-config',
      'migrate-d1',
      'deploy',
    ]);
  });

  it('a resource of the other environment does not count', () => {
    const steps = plan(complete(production), staging, 'staging');
    expect(creates(steps)).toHaveLength(15);
    expect(steps.at(-1)?.command).toEqual([
      'wrangler',
      'deploy',
      '--config',
      'wrangler.staging.generated.toml',
      '--env',
      'staging',
    ]);
  });

  it('LIBSQL_URL already a secret: its token is required too', () => {
    const steps = plan(complete(production, ['JWT_SECRET', 'LIBSQL_URL']), production, 'production');
    expect(steps.filter((s) => s.kind === 'secret').map((s) => s.secret)).toEqual(['LIBSQL_AUTH_TOKEN']);
  });

  it('the dry-run text lists every step with its command', () => {
    const text = describePlan(plan(EMPTY_ACCOUNT, staging, 'staging'));
    expect(text).toContain(
      ' 1. create the D1 database b2b-staging (DB)\n     $ npx wrangler d1 create b2b-staging',
    );
    expect(text).toContain('$ npx wrangler deploy --config wrangler.staging.generated.toml --env staging');
    expect(text.split('\n').filter((l) => /^\s*\d+\. /.test(l))).toHaveLength(19);
  });
});

describe('the generated configuration', () => {
  it('carries the account ids in the environment only; the top level keeps its placeholders', () => {
    const text = generatedConfig(config, production, {
      d1: { DB: 'real-d1' },
      kv: { PRICE_INDEX: 'real-kv' },
    });
    const generated = parseConfig(text);
    const env = needsOf(generated, 'production');
    expect(env).toEqual(production);
    expect(text).toContain('database_id = "real-d1"');
    expect(text).toContain('id = "real-kv"');
    expect(text.match(/real-d1/g)).toHaveLength(1);
    expect(text).toContain('database_id = "00000000-0000-0000-0000-000000000000"');
  });

  it('refuses to write a configuration with an id missing', () => {
    expect(() => generatedConfig(config, production, { d1: {}, kv: { PRICE_INDEX: 'x' } })).toThrow(/DB/);
  });
});

describe("wrangler's listings", () => {
  it('d1 list --json, kv namespace list, secret list --format json (JSON, after a banner)', () => {
    expect(parseD1List('⛅️ wrangler 4\n[{"uuid":"u1","name":"b2b","version":"production"}]')).toEqual([
      { name: 'b2b', id: 'u1' },
    ]);
    expect(
      parseKvList('[{"id":"k1","title":"edge-b2b-commerce-price-index","supports_url_encoding":true}]'),
    ).toEqual([{ id: 'k1', title: 'edge-b2b-commerce-price-index' }]);
    expect(parseSecretList('[{"name":"JWT_SECRET","type":"secret_text"}]')).toEqual(['JWT_SECRET']);
  });

  it('r2 bucket list (labelled blocks)', () => {
    const output =
      'Listing buckets...\nname:           erp-uploads\ncreation_date:  2026-01-01T00:00:00.000Z\n\nname:           other\ncreation_date:  2026-01-02T00:00:00.000Z\n';
    expect(parseR2List(output)).toEqual(['erp-uploads', 'other']);
  });

  it('queues list (a table; an empty page has no rows)', () => {
    const table = [
      '┌──────┬────────────┬────────────┐',
      '│ id   │ name       │ created_on │',
      '├──────┼────────────┼────────────┤',
      '│ q1   │ erp-import │ 2026-01-01 │',
      '├──────┼────────────┼────────────┤',
      '│ q2   │ erp-import-dlq │ 2026-01-01 │',
      '└──────┴────────────┴────────────┘',
    ].join('\n');
    expect(parseQueuesTable(table)).toEqual(['erp-import', 'erp-import-dlq']);
    expect(parseQueuesTable('')).toEqual([]);
  });
});

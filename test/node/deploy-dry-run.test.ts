import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsOf, parseConfig } from '../../scripts/deploy/config';

// `npm run deploy -- --dry-run` as a user runs it: offline, no wrangler login, nothing written
const dryRun = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/deploy.ts', '--dry-run', ...args], {
    encoding: 'utf8',
    // no credentials reach the dry run: it must not need them
    // (ProcessEnv is typed with the Worker's variables by worker-configuration.d.ts; none is wanted here)
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir() } as Partial<NodeJS.ProcessEnv> as NodeJS.ProcessEnv,
  });

describe('npm run deploy -- --dry-run', () => {
  it('assumes an empty account and prints every step with its command', () => {
    const output = dryRun('--env', 'staging');
    expect(output).toContain('Dry run for staging (edge-b2b-commerce-staging), assuming an empty account');
    expect(output).toContain('$ npx wrangler queues create notifications-dlq-staging');
    expect(output).toContain('set the secret JWT_SECRET with the first deploy');
  });

  it('from an account state file: a complete account plans no creation', () => {
    const needs = needsOf(parseConfig(readFileSync('wrangler.toml', 'utf8')), 'production');
    const file = join(mkdtempSync(join(tmpdir(), 'account-')), 'account.json');
    writeFileSync(
      file,
      JSON.stringify({
        d1: needs.d1.map((d) => ({ name: d.name, id: 'x' })),
        kv: needs.kv.map((k) => ({ title: k.title, id: 'y' })),
        r2: needs.r2,
        queues: needs.queues,
        secrets: ['JWT_SECRET'],
      }),
    );
    const output = dryRun('--account-state', file);
    expect(output).not.toContain('create');
    expect(output).toContain('1. write wrangler.production.generated.toml');
    expect(output).toContain('3. deploy the Worker edge-b2b-commerce');
  });
});

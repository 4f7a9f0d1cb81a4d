import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DemoCredentials, generateDemoSql } from './demo-data';

const WRANGLER = ['wrangler'];
// Never prompt: `npm start` must run unattended on a fresh machine.
const childEnv = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' };

function wrangler(args: string[], options: { quiet?: boolean } = {}): string {
  return execFileSync('npx', [...WRANGLER, ...args], {
    env: childEnv,
    encoding: 'utf8',
    stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

export function migrateLocalD1(persistTo?: string): void {
  wrangler(
    ['d1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])],
    { quiet: true },
  );
}

function countCompanies(persistTo?: string): number {
  const out = wrangler(
    [
      'd1',
      'execute',
      'DB',
      '--local',
      '--json',
      '--command',
      'SELECT count(*) AS n FROM companies',
      ...(persistTo ? ['--persist-to', persistTo] : []),
    ],
    { quiet: true },
  );
  const parsed = JSON.parse(out) as { results: { n: number }[] }[];
  return parsed[0]?.results[0]?.n ?? 0;
}

/** Seeds the local D1 that `wrangler dev` uses, once: an existing database is left untouched. */
export async function seedLocalD1(options: { products?: number; persistTo?: string } = {}): Promise<{
  seeded: boolean;
  credentials: DemoCredentials;
  ms: number;
}> {
  const started = Date.now();
  const demo = await generateDemoSql({ products: options.products });
  if (countCompanies(options.persistTo) > 0)
    return { seeded: false, credentials: demo.credentials, ms: Date.now() - started };
  const dir = join('.wrangler', 'tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'demo-seed.sql');
  writeFileSync(file, demo.statements.join('\n'));
  wrangler(
    [
      'd1',
      'execute',
      'DB',
      '--local',
      '--yes',
      '--file',
      file,
      ...(options.persistTo ? ['--persist-to', options.persistTo] : []),
    ],
    {
      quiet: true,
    },
  );
  return { seeded: true, credentials: demo.credentials, ms: Date.now() - started };
}

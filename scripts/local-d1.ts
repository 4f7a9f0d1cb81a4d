import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DemoCredentials, demoCredentials, demoPunchoutSql, generateDemoSql } from './demo-data';
import { runWrangler } from './wrangler';

/**
 * The local D1 that `wrangler dev` uses, driven through the wrangler CLI so the data lands exactly where
 * the dev server reads it (.wrangler/state, or --persist-to).
 */
export interface LocalD1Options {
  persistTo?: string;
}

function wrangler(args: string[], options: LocalD1Options): string {
  return runWrangler([...args, '--local', ...(options.persistTo ? ['--persist-to', options.persistTo] : [])]);
}

export function migrateLocalD1(options: LocalD1Options = {}): void {
  wrangler(['d1', 'migrations', 'apply', 'DB'], options);
}

/** Rows of one SQL statement on the local D1 (through the wrangler CLI: ~1 s a call). */
export function queryLocalD1<T>(sql: string, options: LocalD1Options = {}): T[] {
  const out = wrangler(['d1', 'execute', 'DB', '--json', '--command', sql], options);
  const parsed = JSON.parse(out) as { results: T[] }[];
  return parsed[0]?.results ?? [];
}

export function countCompanies(options: LocalD1Options = {}): number {
  return queryLocalD1<{ n: number }>('SELECT count(*) AS n FROM companies', options)[0]?.n ?? 0;
}

/**
 * False when the database was seeded by another version of the generator: the printed API keys would
 * then not open anything, and the user should reseed.
 */
export function apiKeysMatch(credentials: DemoCredentials, options: LocalD1Options = {}): boolean {
  const stored = new Set(
    queryLocalD1<{ prefix: string }>('SELECT prefix FROM api_keys', options).map((r) => r.prefix),
  );
  return Object.values(credentials.apiKeys).every((key) => stored.has(key.split('_')[1] ?? ''));
}

export interface LocalSeedResult {
  seeded: boolean;
  rows: Record<string, number>;
  credentials: DemoCredentials;
  ms: number;
}

/** Seeds the local D1 once: a database that already has companies is left untouched. */
export async function seedLocalD1(
  options: LocalD1Options & { products?: number } = {},
): Promise<LocalSeedResult> {
  const started = Date.now();
  if (countCompanies(options) > 0) {
    return { seeded: false, rows: {}, credentials: demoCredentials(), ms: Date.now() - started };
  }
  const demo = await generateDemoSql({ products: options.products });
  const dir = join('.wrangler', 'tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `demo-seed-${process.pid}.sql`);
  writeFileSync(file, `${demo.statements.join('\n')}\n`);
  try {
    wrangler(['d1', 'execute', 'DB', '--yes', '--file', file], options);
  } finally {
    rmSync(file, { force: true });
  }
  return { seeded: true, rows: demo.rows, credentials: demo.credentials, ms: Date.now() - started };
}

/**
 * A local database seeded before punch-out existed gets the demo partners (printed by npm start). True when
 * both are there afterwards with the printed secrets; false when something else holds their place.
 */
export async function ensureDemoPunchout(
  credentials: DemoCredentials,
  options: LocalD1Options = {},
): Promise<boolean> {
  const { cxml, oci } = credentials.punchout;
  const present = () =>
    queryLocalD1<{ id: string }>(
      `SELECT id FROM punchout_partners WHERE id IN ('${cxml.partnerId}', '${oci.partnerId}')`,
      options,
    ).length;
  if (present() === 2) return true;
  const statements = await demoPunchoutSql();
  wrangler(['d1', 'execute', 'DB', '--yes', '--command', statements.join('\n')], options);
  return present() === 2;
}

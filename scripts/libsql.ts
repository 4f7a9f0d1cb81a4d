import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Client, createClient } from '@libsql/client';
import { describeRows, parseProducts } from './cli';
import { generateDemoSql } from './demo-data';

const BREAKPOINT = '--> statement-breakpoint';

/**
 * drizzle-kit's top-level `NNNN_name.sql` files, in order, split only on the breakpoint marker: a
 * trigger's BEGIN … END body holds semicolons of its own and must reach SQLite in one piece.
 */
export async function readMigrations(dir = 'migrations'): Promise<{ name: string; statements: string[] }[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (name) => ({
      name,
      statements: (await readFile(join(dir, name), 'utf8'))
        .split(BREAKPOINT)
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    })),
  );
}

/**
 * Applies pending migrations to a libSQL database, recording them in `d1_migrations` exactly as
 * `wrangler d1 migrations apply` does, so both databases can be inspected the same way. Each file runs in
 * one write transaction together with its bookkeeping row; re-running is a no-op. Returns what was applied.
 */
export async function applyMigrations(client: Client, dir = 'migrations'): Promise<string[]> {
  await client.execute(
    'CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)',
  );
  const applied = new Set(
    (await client.execute('SELECT name FROM d1_migrations')).rows.map((r) => String(r.name)),
  );
  const done: string[] = [];
  for (const migration of await readMigrations(dir)) {
    if (applied.has(migration.name)) continue;
    await client.batch(
      [
        ...migration.statements,
        { sql: 'INSERT INTO d1_migrations (name) VALUES (?)', args: [migration.name] },
      ],
      'write',
    );
    done.push(migration.name);
  }
  return done;
}

export interface SeedResult {
  seeded: boolean;
  /** rows inserted per table; empty when the database already had data */
  rows: Record<string, number>;
}

/** Loads the demo data, in one transaction, when the database has no company yet. */
export async function seedIfEmpty(
  client: Client,
  options: { products?: number; seed?: number } = {},
): Promise<SeedResult> {
  const { rows } = await client.execute('SELECT count(*) AS n FROM companies');
  if (Number(rows[0]?.n ?? 0) > 0) return { seeded: false, rows: {} };
  const demo = await generateDemoSql(options);
  await client.batch(demo.statements, 'write');
  return { seeded: true, rows: demo.rows };
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: process.env.LIBSQL_URL ?? 'file:.wrangler/libsql.db' },
      products: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (command !== 'migrate' && command !== 'seed') {
    console.error('usage: tsx scripts/libsql.ts migrate|seed [--url file:local.db] [--products N]');
    process.exitCode = 2;
    return;
  }
  const products = parseProducts(values.products);
  const client = createClient({ url: values.url, authToken: process.env.LIBSQL_AUTH_TOKEN });
  try {
    const done = await applyMigrations(client);
    console.log(
      done.length > 0 ? `Applied ${done.join(', ')} to ${values.url}.` : `${values.url} is up to date.`,
    );
    if (command === 'seed') {
      const started = Date.now();
      const result = await seedIfEmpty(client, { products });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        result.seeded
          ? `Seeded ${values.url} in ${seconds} s: ${describeRows(result.rows)}.`
          : `${values.url} already has companies; left as is.`,
      );
    }
  } finally {
    client.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();

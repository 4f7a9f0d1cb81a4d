import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Client, createClient } from '@libsql/client';
import { generateDemoSql } from './demo-data';

const BREAKPOINT = '--> statement-breakpoint';

/** drizzle-kit's flat `NNNN_name.sql` files, in order, each split on its statement breakpoints. */
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
 * `wrangler d1 migrations apply` does, so both databases can be inspected the same way. Re-running is a no-op.
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

/** Loads the demo data when the database has no company yet; returns how many statements ran. */
export async function seedIfEmpty(client: Client, options: { products?: number } = {}): Promise<number> {
  const { rows } = await client.execute('SELECT count(*) AS n FROM companies');
  if (Number(rows[0]?.n ?? 0) > 0) return 0;
  const { statements } = await generateDemoSql(options);
  await client.batch(statements, 'write');
  return statements.length;
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: process.env.LIBSQL_URL ?? 'file:.wrangler/libsql.db' },
      products: { type: 'string' },
    },
  });
  const client = createClient({ url: values.url, authToken: process.env.LIBSQL_AUTH_TOKEN });
  const command = positionals[0];
  if (command === 'migrate') {
    const done = await applyMigrations(client);
    console.log(
      done.length > 0 ? `applied ${done.join(', ')} to ${values.url}` : `${values.url} is up to date`,
    );
  } else if (command === 'seed') {
    await applyMigrations(client);
    const count = await seedIfEmpty(client, {
      products: values.products ? Number(values.products) : undefined,
    });
    console.log(
      count > 0 ? `seeded ${values.url} (${count} statements)` : `${values.url} already has data; left as is`,
    );
  } else {
    console.error('usage: tsx scripts/libsql.ts migrate|seed [--url file:path.db] [--products N]');
    process.exitCode = 2;
  }
  client.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

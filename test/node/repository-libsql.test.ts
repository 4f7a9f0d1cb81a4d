import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/d1';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoSql } from '../../scripts/demo-data';
import { applyMigrations, readMigrations, seedIfEmpty } from '../../scripts/libsql';
import { type Database, fromLibsqlClient } from '../../src/db/client';
import * as schema from '../../src/db/schema';
import { defineRepositoryContract } from '../contract/repository-contract';
import { QUERY_FAMILIES, runContractQueries } from '../contract/repository-queries';

const PRODUCTS = 600;
let client: Client;
let libsql: Database;

beforeAll(async () => {
  client = createClient({ url: `file:${join(mkdtempSync(join(tmpdir(), 'b2b-libsql-')), 'contract.db')}` });
  await applyMigrations(client);
  await seedIfEmpty(client, { products: PRODUCTS });
  libsql = fromLibsqlClient(client);
});
afterAll(() => client.close());

defineRepositoryContract('libSQL (file: database in Node)', () => libsql);

describe('D1 and libSQL agree', () => {
  let mf: Miniflare;
  afterAll(() => mf?.dispose());

  // two databases migrated and seeded, then every query shape on each: seconds, not milliseconds
  it('the same query functions give identical results on both', async () => {
    // D1 as workerd runs it, driven from Node through Miniflare, with the same migrations and demo data.
    mf = new Miniflare({
      modules: true,
      script: 'export default { fetch: () => new Response("") }',
      d1Databases: ['DB'],
    });
    const d1 = await mf.getD1Database('DB');
    for (const migration of await readMigrations()) {
      for (const statement of migration.statements) await d1.prepare(statement).run();
    }
    const { statements } = await generateDemoSql({ products: PRODUCTS });
    await d1.batch(statements.map((s) => d1.prepare(s)));
    const onD1 = await runContractQueries(drizzle(d1 as unknown as D1Database, { schema }));
    const fresh = createClient({
      url: `file:${join(mkdtempSync(join(tmpdir(), 'b2b-libsql-')), 'compare.db')}`,
    });
    await applyMigrations(fresh);
    await seedIfEmpty(fresh, { products: PRODUCTS });
    const onLibsql = await runContractQueries(fromLibsqlClient(fresh));
    fresh.close();
    expect(Object.keys(onLibsql)).toEqual(QUERY_FAMILIES);
    expect(onLibsql).toEqual(onD1);
  }, 60_000);

  it('re-applying migrations is a no-op', async () => {
    expect(await applyMigrations(client)).toEqual([]);
  });
});

import { applyD1Migrations, env } from 'cloudflare:test';

// Runs before each test file: schema first, then the demo slice if this file's database is still empty.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
const seeded = await env.DB.prepare('SELECT count(*) AS n FROM companies').first<{ n: number }>();
if (!seeded || seeded.n === 0) {
  await env.DB.batch(env.TEST_SEED.map((statement) => env.DB.prepare(statement)));
}

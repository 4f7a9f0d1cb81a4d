import { applyD1Migrations, env } from 'cloudflare:test';

// Runs before each test file: schema first, then the demo slice if this file's database is still empty.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
const seeded = await env.DB.prepare('SELECT count(*) AS n FROM companies').first<{ n: number }>();
if (!seeded || seeded.n === 0) {
  await env.DB.batch(env.TEST_SEED.map((statement) => env.DB.prepare(statement)));
}

// The ERP (ERP_BASE_URL, set for the tests in vitest.config.ts) does not exist here. Unless a file replaces
// `fetch` itself (test/integration/erp-export.test.ts does), it answers 503: the exports of orders other files
// place stay pending and are retried quietly, never reach the network, and no export event appears in an
// order's history under another file's assertions.
const STAND_IN = Symbol.for('test.erpStandIn');
const scope = globalThis as typeof globalThis & { [STAND_IN]?: true };
if (!scope[STAND_IN]) {
  scope[STAND_IN] = true;
  const networkFetch = globalThis.fetch;
  const erpOrigin = new URL(env.ERP_BASE_URL).origin;
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return url.startsWith(`${erpOrigin}/`)
      ? Promise.resolve(new Response('no ERP in the tests', { status: 503 }))
      : networkFetch(input, init);
  };
}

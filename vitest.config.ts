import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { generateDemoSql } from './scripts/demo-data';
import { readDeclaredConfig } from './test/read-declared-config';

// A small slice of the real demo data (same generator as `npm start`), computed once in Node and handed to
// every workerd test file as a binding, together with the migrations.
const TEST_PRODUCTS = 600;
const WRANGLER_CONFIG = './wrangler.toml';
// Some tests race 50 checkouts or seed a second database: seconds on a busy 2-core CI box, not the default
// 5 s. A hung test still fails, just later. (Inline projects do not inherit the root's test options.)
const TIMEOUTS = { testTimeout: 30_000, hookTimeout: 60_000 };
// [vars] the tests run with other values than wrangler.toml: an ERP to export to (it never answers from the
// network: test/integration/setup.ts stands in for it unless a test file replaces `fetch`)
const TEST_VAR_OVERRIDES = { ERP_BASE_URL: 'https://erp.example.test' };

export default defineConfig({
  test: {
    // structured logs of passing tests are noise; a failing test shows its own
    silent: 'passed-only',
    projects: [
      {
        resolve: {
          // text modules (wrangler's default Text rule for .txt) are Vite's ?raw imports here
          alias: [{ find: /^(.*\.txt)$/, replacement: '$1?raw' }],
        },
        plugins: [
          cloudflareTest(async () => {
            const [migrations, demo, declared] = await Promise.all([
              readD1Migrations('./migrations'),
              generateDemoSql({ products: TEST_PRODUCTS }),
              readDeclaredConfig(WRANGLER_CONFIG),
            ]);
            return {
              wrangler: { configPath: WRANGLER_CONFIG },
              miniflare: {
                bindings: {
                  ...TEST_VAR_OVERRIDES,
                  TEST_VAR_OVERRIDES,
                  JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
                  // every documented 2xx JSON answer of every test is checked against its OpenAPI schema
                  VALIDATE_RESPONSES: 'true',
                  TEST_MIGRATIONS: migrations,
                  TEST_SEED: demo.statements,
                  // round-tripped through JSON: bindings take plain JSON values
                  TEST_CREDENTIALS: JSON.parse(JSON.stringify(demo.credentials)),
                  TEST_DECLARED: JSON.parse(JSON.stringify(declared)),
                  // lets tests hook fault points of the company's object (src/durable/faults.ts); never deployed
                  TEST_FAULTS: true,
                },
              },
            };
          }),
        ],
        test: {
          ...TIMEOUTS,
          name: 'workers',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: ['./test/integration/setup.ts'],
        },
      },
      {
        test: {
          ...TIMEOUTS,
          name: 'node',
          environment: 'node',
          // pure logic (test/unit) needs no workerd, D1 or seed: a Node worker starts in a fraction of the time
          include: ['test/unit/**/*.test.ts', 'test/node/**/*.test.ts'],
        },
      },
      {
        // /docs in headless Chromium against `wrangler dev` (scripts/ensure-chromium.sh installs Chromium)
        test: {
          testTimeout: 120_000,
          hookTimeout: 120_000,
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
        },
      },
    ],
  },
});

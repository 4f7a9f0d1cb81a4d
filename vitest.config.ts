import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { generateDemoSql } from './scripts/demo-data';

// A small slice of the real demo data (same generator as `npm start`), computed once in Node and handed to
// every workerd test file as a binding, together with the migrations.
const TEST_PRODUCTS = 600;
// Some tests race 50 checkouts or seed a second database: seconds on a busy 2-core CI box, not the default
// 5 s. A hung test still fails, just later. (Inline projects do not inherit the root's test options.)
const TIMEOUTS = { testTimeout: 30_000, hookTimeout: 60_000 };

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
            const [migrations, demo] = await Promise.all([
              readD1Migrations('./migrations'),
              generateDemoSql({ products: TEST_PRODUCTS }),
            ]);
            return {
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
                  TEST_MIGRATIONS: migrations,
                  TEST_SEED: demo.statements,
                  // round-tripped through JSON: bindings take plain JSON values
                  TEST_CREDENTIALS: JSON.parse(JSON.stringify(demo.credentials)),
                },
              },
            };
          }),
        ],
        test: {
          ...TIMEOUTS,
          name: 'workers',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          setupFiles: ['./test/integration/setup.ts'],
        },
      },
      {
        test: {
          ...TIMEOUTS,
          name: 'node',
          environment: 'node',
          include: ['test/node/**/*.test.ts'],
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

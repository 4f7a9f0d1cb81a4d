import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, HOST, type RunningWorker, startDevWorker } from '../../scripts/bench-worker';
import { launchChromium } from './chromium';

/**
 * /docs in a real browser: the Worker under `wrangler dev`, the Debian Chromium driven by playwright-core.
 * The page must render the API reference from this origin alone — no CDN, no web fonts, no telemetry —
 * so it works without internet access and under its self-only CSP.
 */
// a summary from the OpenAPI document, rendered only once Scalar has loaded and parsed it
const OPERATION_TITLE = 'Exchange email and password for a short-lived access token';

let worker: RunningWorker | undefined;
let browser: Browser | undefined;
let stateDir = '';

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'b2b-docs-'));
  const [started, launched] = await Promise.all([
    freePort(8790).then((port) =>
      startDevWorker({
        stateDir,
        port,
        vars: { JWT_SECRET: 'browser-test-secret-browser-test-secret-00' },
      }),
    ),
    launchChromium(),
  ]);
  worker = started;
  browser = launched;
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('/docs in Chromium', () => {
  it('renders the API reference from this origin only, with no CSP violation or script error', async () => {
    if (!browser || !worker) throw new Error('not started');
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const problems: string[] = [];
    // anything for another host is recorded and never leaves the machine
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === HOST || url.protocol === 'data:' || url.protocol === 'blob:')
        return route.continue();
      elsewhere.push(url.href);
      return route.abort();
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => {
      if (!elsewhere.includes(request.url()))
        problems.push(`${request.url()}: ${request.failure()?.errorText}`);
    });

    await page.goto(`${worker.base}/docs`, { waitUntil: 'load' });
    await page.getByText(OPERATION_TITLE).first().waitFor({ state: 'visible', timeout: 60_000 });

    expect(await page.title()).toBe('Edge B2B commerce API');
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});

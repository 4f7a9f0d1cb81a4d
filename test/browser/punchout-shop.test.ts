import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningWorker, startDevWorker } from '../../scripts/bench-worker';
import { migrateLocalD1, queryLocalD1, seedLocalD1 } from '../../scripts/local-d1';
import { launchChromium } from './chromium';

/**
 * The punch-out start page in headless Chromium against `wrangler dev`, as a buyer meets it: on a phone
 * (375×812) and a desktop, search → product → add to cart → cart → change the quantity → the transfer
 * button. Screenshots of each page go to test-artifacts/punchout/.
 */
const ARTIFACTS = 'test-artifacts/punchout';
const SECRET = 'browser-test-shared-secret';
const SENDER = 'browser-test-procurement';
const RETURN_URL = 'https://procurement.example/punchout/return';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let worker: RunningWorker | undefined;
let browser: Browser | undefined;
let stateDir = '';

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stateDir = mkdtempSync(join(tmpdir(), 'b2b-punchout-'));
  migrateLocalD1({ persistTo: stateDir });
  await seedLocalD1({ persistTo: stateDir, products: 300 });
  queryLocalD1(
    `INSERT INTO punchout_partners (id, name, protocol, company_id, status, sender_domain, sender_identity,
      secret_hash, default_user_id, provision_users, price_tolerance_bp, trust_approvals, form_encoding,
      oci_field_map, default_language, updated_at)
     VALUES ('pop_browser', 'Browser test procurement', 'cxml', 'co_acme', 'active', 'NetworkID', '${SENDER}',
      '${sha256(SECRET)}', 'usr_acme_buyer', 0, 0, 0, 'cxml-urlencoded', '{}', 'fr', ${Date.now()})`,
    { persistTo: stateDir },
  );
  const [started, launched] = await Promise.all([
    freePort(8800).then((port) =>
      startDevWorker({ stateDir, port, vars: { JWT_SECRET: 'browser-test-secret-browser-test-secret-00' } }),
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

const SETUP_REQUEST = (returnUrl: string) => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cXML SYSTEM "http://xml.cxml.org/schemas/cXML/1.2.014/cXML.dtd">
<cXML payloadID="browser-${Date.now()}@procurement.example" timestamp="2026-01-01T10:00:00+01:00" xml:lang="fr-FR">
  <Header>
    <From><Credential domain="NetworkID"><Identity>${SENDER}</Identity></Credential></From>
    <To><Credential domain="NetworkID"><Identity>supplier</Identity></Credential></To>
    <Sender><Credential domain="NetworkID"><Identity>${SENDER}</Identity><SharedSecret>${SECRET}</SharedSecret></Credential><UserAgent>browser test</UserAgent></Sender>
  </Header>
  <Request><PunchOutSetupRequest operation="create">
    <BuyerCookie>browser-cookie-1</BuyerCookie>
    <Extrinsic name="UserEmail">buyer@acme.example</Extrinsic>
    <BrowserFormPost><URL>${returnUrl}</URL></BrowserFormPost>
  </PunchOutSetupRequest></Request>
</cXML>`;

/** The start URL of a new session, from the setup request a procurement system sends. */
async function startUrl(base: string): Promise<string> {
  const setup = await fetch(`${base}/punchout/cxml/setup`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: SETUP_REQUEST(RETURN_URL),
  });
  const text = await setup.text();
  expect(setup.status, text).toBe(200);
  const url = /<StartPage>\s*<URL>([^<]+)<\/URL>/.exec(text)?.[1];
  if (!url) throw new Error(`no StartPage in ${text}`);
  return url.replaceAll('&amp;', '&');
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

const minorOf = async (page: Page, selector: string, attribute: string) =>
  Number(await page.locator(selector).first().getAttribute(attribute));

describe('punch-out start page in Chromium', () => {
  it('searches, shows a product, fills the cart and offers the transfer, on a phone and a desktop', async () => {
    if (!browser || !worker) throw new Error('not started');
    const start = await startUrl(worker.base);
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const phone = await browser.newPage({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    const problems: string[] = [];
    for (const page of [desktop, phone]) {
      page.on('console', (m) => problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
    }

    await phone.goto(start);
    const home = phone.url();
    expect(home).toMatch(/\/punchout\/shop\/[^/]+\/$/);
    expect(await phone.locator('html').getAttribute('lang')).toBe('fr');
    await expect.poll(() => phone.locator('li.card').count()).toBeGreaterThan(3);
    // nothing wider than the phone: no sideways scrolling
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await shot(phone, '1-home-phone');
    await desktop.goto(home);
    await shot(desktop, '1-home-desktop');

    const firstName = (await phone.locator('li.card h2 a').first().textContent()) ?? '';
    await phone.getByPlaceholder('Nom du produit, référence ou marque').fill(firstName);
    await phone.getByRole('button', { name: 'Rechercher' }).click();
    await phone.waitForURL(/\?q=/);
    await expect.poll(() => phone.locator('li.card h2 a', { hasText: firstName }).count()).toBeGreaterThan(0);
    await shot(phone, '2-search-phone');

    await phone.locator('li.card h2 a', { hasText: firstName }).first().click();
    await phone.waitForURL(/\/p\//);
    expect(await phone.locator('h1').textContent()).toBe(firstName);
    const unitMinor = await minorOf(phone, 'article .price', 'data-unit-minor');
    expect(unitMinor).toBeGreaterThan(0);
    await shot(phone, '3-product-phone');
    await desktop.goto(phone.url());
    await shot(desktop, '3-product-desktop');

    await phone.getByLabel('Quantité').fill('3');
    await phone.getByRole('button', { name: 'Ajouter au panier' }).click();
    await phone.waitForURL(/\/cart/);
    await expect.poll(() => phone.getByText('Ajouté au panier.').count()).toBe(1);
    expect(await minorOf(phone, '[data-total-minor]', 'data-total-minor')).toBe(3 * unitMinor);
    await shot(phone, '4-cart-phone');

    await phone.locator('input[name=quantity]').first().fill('5');
    await phone.getByRole('button', { name: 'Modifier' }).first().click();
    await expect.poll(() => minorOf(phone, '[data-total-minor]', 'data-total-minor')).toBe(5 * unitMinor);
    const totalText = (await phone.locator('[data-total-minor]').textContent()) ?? '';
    const currency = (await phone.locator('[data-total-minor]').getAttribute('data-currency')) ?? '';
    const euros = new Intl.NumberFormat('fr-FR', { style: 'currency', currency }).format(
      (5 * unitMinor) / 100,
    );
    expect(totalText).toContain(euros);
    const transfer = phone.getByRole('button', { name: 'Transférer vers mon système d’achat' });
    expect(await transfer.isVisible()).toBe(true);
    await shot(phone, '5-cart-changed-phone');
    await desktop.goto(phone.url());
    await shot(desktop, '5-cart-desktop');

    // the transfer: the page posts the order message to the procurement system (caught here, no network)
    let posted = '';
    await phone.route(`${RETURN_URL}**`, async (route) => {
      posted = route.request().postData() ?? '';
      await route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><title>received</title><p>received</p>',
      });
    });
    await transfer.click();
    await phone.waitForURL(RETURN_URL);
    await shot(phone, '6-transferred-phone');
    const message = new URLSearchParams(posted).get('cxml-urlencoded') ?? '';
    expect(message).toContain('<PunchOutOrderMessage>');
    expect(message).toContain('<BuyerCookie>browser-cookie-1</BuyerCookie>');
    const total =
      /<PunchOutOrderMessageHeader[^>]*>\s*<Total>\s*<Money currency="([A-Z]{3})">([\d.]+)<\/Money>/.exec(
        message,
      );
    expect(total?.[1]).toBe(currency);
    expect(Math.round(Number(total?.[2]) * 100)).toBe(5 * unitMinor);
    expect(problems).toEqual([]);
    // the session is closed: its pages now say so (410 Gone)
    const closed = await desktop.goto(home);
    expect(closed?.status()).toBe(410);
    expect(await desktop.locator('body').textContent()).toMatch(/transféré|expiré/i);
  });
});

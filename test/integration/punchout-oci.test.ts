import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/env';
import { exchangeCode } from '../../src/services/punchout/sessions';
import { call, json, loginAs } from './harness';
import { ociNumberValue, readOciForm } from './oci-form-reader';
import { db, OCI_NUMBER, oci, pricesOf, startCodeOf } from './oci-helpers';
import { orderableSkus } from './order-life-helpers';
import { first } from './pricing-helpers';
import { send } from './punchout-cxml-helpers';
import { createTestPartner } from './punchout-helpers';

const HOOK = 'https://srm.example.com/sap/bc/gui/sap/its/bbpsc02/?sap-client=100';
const GERMAN_NAME = 'Sicherheitsschuh Größe 42 – wasserdicht, ölbeständig, rutschfest (S3)';
const GERMAN_TEXT =
  'Stahlkappe nach DIN EN ISO 20345.\nÖl- und benzinbeständige Sohle für Außeneinsätze; Maße: 30 × 12 cm.';

const ociPartner = (options: Parameters<typeof createTestPartner>[0] = {}) =>
  createTestPartner({ protocol: 'oci', ...options });
const login = (p: { ociUsername: string | null; secret: string }, extra: Record<string, string> = {}) => ({
  USERNAME: p.ociUsername ?? '',
  PASSWORD: p.secret,
  HOOK_URL: HOOK,
  ...extra,
});
const expectHtml = (res: Response, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
};

describe('OCI setup: who may call, and where the items may go', () => {
  it('refuses a wrong password or an unknown user with a 401 page, audited, the password never logged', async () => {
    const partner = await ociPartner();
    const wrong = await oci(login(partner, { PASSWORD: 'not-the-secret' }));
    expectHtml(wrong, 401);
    expect(await wrong.text()).toContain('user name or password is wrong');
    expectHtml(await oci({ ...login(partner), USERNAME: 'nobody-at-all' }), 401);
    const audit = await first<{ n: number }>(
      `SELECT count(*) AS n FROM audit_log WHERE action = 'punchout.oci_login_failed' AND target_id = ?`,
      partner.id,
    );
    expect(audit.n).toBe(1);
    const logged = await first<{ body: string }>(
      `SELECT body FROM punchout_log WHERE partner_id = ? AND direction = 'in' AND status = 401`,
      partner.id,
    );
    expect(logged.body).toContain('password=[redacted]');
    expect(logged.body).not.toContain('not-the-secret');
  });

  it('reads parameter names in any letter case, from the query or the form', async () => {
    const partner = await ociPartner();
    const params = { username: partner.ociUsername ?? '', Password: partner.secret, hook_url: HOOK };
    expect((await oci(params, { method: 'GET' })).status).toBe(303);
    expect((await oci(params)).status).toBe(303);
  });

  it('needs a HOOK_URL, and refuses one that points into a private network', async () => {
    const partner = await ociPartner();
    const { HOOK_URL: _hook, ...noHook } = login(partner);
    const missing = await oci(noHook);
    expectHtml(missing, 400);
    expect(await missing.text()).toContain('HOOK_URL is required');
    expectHtml(await oci(login(partner, { HOOK_URL: 'http://10.0.0.1/sap/hook' })), 400);
    expectHtml(await oci(login(partner, { HOOK_URL: 'https://10.0.0.1/sap/hook' })), 400);
    expectHtml(await oci(login(partner, { HOOK_URL: 'javascript:alert(1)' })), 400);
    // loopback is a developer's receiver in development only
    const loopback = login(partner, { HOOK_URL: 'http://127.0.0.1:8080/hook' });
    expectHtml(await oci(loopback, { environment: 'production' }), 400);
    expectHtml(
      await oci(login(partner, { HOOK_URL: 'https://127.0.0.1/hook' }), { environment: 'production' }),
      400,
    );
  });

  it('takes a partner token: an API key with the punchout scope, bound to the company', async () => {
    const ops = await loginAs('ops@supplier.example');
    const issue = async (scopes: string[]) =>
      (
        await json<{ key: string }>(
          await call('/v1/admin/api-keys', {
            method: 'POST',
            token: ops,
            body: { name: `OCI ${scopes.join(',')}`, companyId: 'co_acme', scopes },
          }),
        )
      ).key;
    const partner = await ociPartner();
    await ociPartner();
    const token = await issue(['punchout']);
    const asToken = { HOOK_URL: HOOK, partner: partner.id };
    expect((await oci(asToken, { bearer: token })).status).toBe(303);
    expect((await oci({ ...asToken, token })).status).toBe(303);
    // Acme has several OCI partners now: the token must say which one
    expectHtml(await oci({ HOOK_URL: HOOK }, { bearer: token }), 400);
    expectHtml(await oci(asToken, { bearer: await issue(['catalog:read']) }), 403);
    expectHtml(await oci(asToken, { bearer: await loginAs('buyer@acme.example') }), 403);
    expectHtml(await oci(asToken, { bearer: 'b2bk_000000000000_00000000000000000000000000000000' }), 401);
    expectHtml(await oci({ HOOK_URL: HOOK }), 401);
  });

  it('caps the form body at 64 KiB (413)', async () => {
    const partner = await ociPartner();
    const big = await oci(login(partner, { SEARCHSTRING: 'x'.repeat(70 * 1024) }));
    expectHtml(big, 413);
  });
});

/** Every item of an OCI form in our dialect: 1-based, OCI numbers, the core fields, the long text. */
function expectOciItems(form: Awaited<ReturnType<typeof readOciForm>>, count: number) {
  expect(form.items.map((i) => i.index)).toEqual(Array.from({ length: count }, (_, n) => n + 1));
  for (const { fields } of form.items) {
    expect(fields.QUANTITY).toMatch(OCI_NUMBER);
    expect(fields.PRICE).toMatch(OCI_NUMBER);
    expect(fields.PRICEUNIT).toBe('1');
    expect(fields.CURRENCY).toBe('EUR');
    expect(Array.from(fields.DESCRIPTION ?? '').length).toBeLessThanOrEqual(40);
    expect(fields.UNIT).toMatch(/^[A-Z0-9]{2,3}$/);
    expect(fields.LONGTEXT).toBeTruthy();
  }
  expect(form.others['~OkCode']).toBe('ADDI');
  expect(form.others['~caller']).toBe('CTLG');
}

describe('OCI round trip and the functions', () => {
  it('opens a session, fills its cart, and transfers NEW_ITEM fields priced as POST /v1/prices', async () => {
    const partner = await ociPartner({ ociFieldMap: { VENDOR: '=100042', CUST_FIELD1: 'brand' } });
    const [german, other] = await orderableSkus(2);
    if (!german || !other) throw new Error('no orderable products');
    await env.DB.prepare('UPDATE products SET name = ?, description = ? WHERE sku = ?')
      .bind(GERMAN_NAME, GERMAN_TEXT, german)
      .run();
    const setup = await oci(
      login(partner, { '~target': '_top', '~OkCode': 'ADDI', '~caller': 'CTLG', 'sy-langu': 'D' }),
    );
    const code = startCodeOf(setup);
    const { session, token } = await exchangeCode(db(), readConfig(env), code, Date.now());
    expect(session).toMatchObject({ protocol: 'oci', operation: 'create', returnUrl: HOOK, language: 'de' });
    expect(session.returnFields).toEqual({ '~target': '_top', '~OkCode': 'ADDI', '~caller': 'CTLG' });

    const lines = [
      { sku: german, quantity: 3 },
      { sku: other, quantity: 12 },
    ];
    const added = await call(`/v1/carts/${session.cartId}/lines`, { method: 'POST', token, body: { lines } });
    expect(added.status).toBe(200);
    const cart = await json<{ lines: { id: string }[] }>(
      await call(`/v1/carts/${session.cartId}`, { token }),
    );
    // the real transfer, as the shop's button or a headless storefront sends it
    const transfer = await call('/punchout/sessions/current/transfer', { method: 'POST', token });
    expectHtml(transfer, 200);
    expect(transfer.headers.get('content-security-policy')).toContain('form-action https://srm.example.com');
    const form = await readOciForm(await transfer.text());

    expect(form).toMatchObject({ action: HOOK, method: 'post', target: '_top', acceptCharset: 'UTF-8' });
    expectOciItems(form, 2);
    const expected = await pricesOf(lines);
    for (const [at, line] of lines.entries()) {
      const item = form.items[at]?.fields ?? {};
      expect(item.VENDORMAT).toBe(line.sku);
      expect(item.QUANTITY).toBe(String(line.quantity));
      expect(Math.round(ociNumberValue(item.PRICE) * 100)).toBe(expected[at]);
      expect(item.EXT_PRODUCT_ID).toBe(cart.lines[at]?.id);
      expect(item.VENDOR).toBe('100042');
      expect(item.CUST_FIELD1).toBeTruthy();
    }
    const first = form.items[0]?.fields ?? {};
    expect(first.DESCRIPTION).toBe(Array.from(GERMAN_NAME).slice(0, 40).join('').trimEnd());
    expect(first.DESCRIPTION).toContain('Größe');
    expect(first.LONGTEXT).toBe(GERMAN_TEXT);
    expect(first.MATGROUP).toMatch(/^\d{8}$/);
  });

  it('VALIDATE answers the one product at the quantity asked, without a session', async () => {
    const partner = await ociPartner();
    const [sku] = await orderableSkus(1);
    if (!sku) throw new Error('no orderable product');
    const res = await oci(login(partner, { FUNCTION: 'VALIDATE', PRODUCTID: sku, QUANTITY: '7.000' }));
    expectHtml(res, 200);
    expect(res.headers.get('content-security-policy')).toContain('form-action https://srm.example.com');
    const form = await readOciForm(await res.text());
    expect(form.action).toBe(HOOK);
    expectOciItems(form, 1);
    expect(form.items[0]?.fields).toMatchObject({ VENDORMAT: sku, QUANTITY: '7', EXT_PRODUCT_ID: sku });
    const [price] = await pricesOf([{ sku, quantity: 7 }]);
    expect(Math.round(ociNumberValue(form.items[0]?.fields.PRICE) * 100)).toBe(price);
    const count = await first<{ n: number }>(
      'SELECT count(*) AS n FROM punchout_sessions WHERE partner_id = ?',
      partner.id,
    );
    expect(count.n).toBe(0);

    // an unknown product: an empty item list, which OCI reads as "no longer available"
    const unknown = await readOciForm(
      await (await oci(login(partner, { FUNCTION: 'VALIDATE', PRODUCTID: 'NO-SUCH-SKU' }))).text(),
    );
    expect(unknown.items).toEqual([]);
    expect(unknown.others['~OkCode']).toBe('ADDI');
    expectHtml(await oci(login(partner, { FUNCTION: 'VALIDATE' })), 400);
    expectHtml(await oci(login(partner, { FUNCTION: 'VALIDATE', PRODUCTID: sku, QUANTITY: '1,000.5' })), 400);
  });

  it('BACKGROUND_SEARCH answers the catalog search matches, at most 20, priced for the company', async () => {
    const partner = await ociPartner();
    const [sku] = await orderableSkus(1);
    const word =
      (await first<{ name: string }>('SELECT name FROM products WHERE sku = ?', sku)).name.split(' ')[0] ??
      '';
    const res = await oci(
      login(partner, { function: 'background_search', searchstring: word, '~target': 'catalog' }),
    );
    expectHtml(res, 200);
    const form = await readOciForm(await res.text());
    expect(form.target).toBe('catalog');
    expect(form.items.length).toBeGreaterThan(0);
    expect(form.items.length).toBeLessThanOrEqual(20);
    expectOciItems(form, form.items.length);
    const buyer = await loginAs('buyer@acme.example');
    const catalog = await json<{ items: { sku: string }[] }>(
      await call(`/v1/catalog/products?q=${encodeURIComponent(word)}&status=active&limit=20`, {
        token: buyer,
      }),
    );
    const found = form.items.map((i) => i.fields.VENDORMAT ?? '');
    for (const s of found) expect(catalog.items.map((i) => i.sku)).toContain(s);
    const asked = form.items.map((i) => ({
      sku: i.fields.VENDORMAT ?? '',
      quantity: ociNumberValue(i.fields.QUANTITY),
    }));
    const prices = await pricesOf(asked);
    expect(form.items.map((i) => Math.round(ociNumberValue(i.fields.PRICE) * 100))).toEqual(prices);
    expectHtml(await oci(login(partner, { FUNCTION: 'BACKGROUND_SEARCH' })), 400);
  });

  it('DETAIL opens a session whose start page names the product; an unknown FUNCTION is refused', async () => {
    const partner = await ociPartner();
    const [sku] = await orderableSkus(1);
    if (!sku) throw new Error('no orderable product');
    const res = await oci(login(partner, { FUNCTION: 'DETAIL', PRODUCTID: sku }), { method: 'GET' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.pathname).toMatch(/^\/punchout\/start\/[^/]+$/);
    expect(location.searchParams.get('sku')).toBe(sku);
    // the start page lands on that product's page in the session shop
    const start = await send(`${location.pathname}${location.search}`);
    expect(start.status).toBe(303);
    const product = await send(start.headers.get('location') ?? '');
    expect(product.status).toBe(200);
    expect(await product.text()).toContain(sku);
    expectHtml(await oci(login(partner, { FUNCTION: 'DETAIL' })), 400);
    expectHtml(await oci(login(partner, { FUNCTION: 'CHECKOUT' })), 400);
  });
});

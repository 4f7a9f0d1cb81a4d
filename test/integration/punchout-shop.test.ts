import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/client';
import { readConfig } from '../../src/env';
import { cxmlPartnerBySender } from '../../src/services/punchout/partners';
import { exchangeCode, openSession } from '../../src/services/punchout/sessions';
import { call, json, loginAs } from './harness';
import { createTestPartner } from './punchout-helpers';

/**
 * The start page through real HTTP: sessions are opened and exchanged with the session services (the
 * setup routes have their own tests), then every page and form goes through the Worker.
 */
type Language = 'en' | 'fr' | 'de';

async function shopSession(
  options: {
    operation?: 'create' | 'edit' | 'inspect';
    language?: Language;
    lines?: { sku: string; quantity: number }[];
  } = {},
) {
  const partner = await createTestPartner();
  const db = createDatabase(env);
  const row = await cxmlPartnerBySender(db, {
    domain: partner.senderDomain ?? '',
    identity: partner.senderIdentity ?? '',
  });
  if (!row) throw new Error('partner not found');
  const opened = await openSession(env, db, {
    partner: row,
    userId: 'usr_acme_buyer',
    operation: options.operation ?? 'create',
    buyerCookie: 'cookie-1',
    returnUrl: 'https://procurement.example/punchout/return',
    returnFields: {},
    language: options.language ?? 'en',
    payloadId: null,
    lines: options.lines ?? [],
    now: Date.now(),
  });
  const exchanged = await exchangeCode(db, readConfig(env), opened.code, Date.now());
  return { base: `/punchout/shop/${exchanged.shopKey}`, session: exchanged.session };
}

async function page(
  path: string,
  init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  // a browser follows the 303 itself; here each step is seen
  const res = await exports.default.fetch(
    new Request(`https://api.test${path}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
      headers: {
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...init.headers,
      },
    }),
  );
  // procurement browsers drop cookies: the shop never relies on one
  expect(res.headers.get('set-cookie')).toBeNull();
  const body = res.status === 303 ? '' : await res.text();
  return { res, body };
}

/** The cards of a product list: SKU and the unit price it shows (minor units). */
function cards(html: string): { sku: string; unitMinor: number | null }[] {
  return html
    .split('<li class="card" data-sku="')
    .slice(1)
    .map((part) => {
      const sku = part.slice(0, part.indexOf('"'));
      const price = /data-unit-minor="(\d+)"/.exec(part.slice(0, part.indexOf('</li>')));
      return { sku, unitMinor: price ? Number(price[1]) : null };
    });
}

async function pricesFor(lines: { sku: string; quantity: number }[]) {
  const token = await loginAs('buyer@acme.example');
  const res = await call('/v1/prices', { method: 'POST', token, body: { lines } });
  expect(res.status).toBe(200);
  return json<{
    currency: string;
    lines: {
      sku: string;
      status: string;
      price?: { unitMinor: number; lineTotalMinor: number | null } | null;
    }[];
  }>(res);
}

const attr = (html: string, name: string): string[] =>
  [...html.matchAll(new RegExp(`${name}="([^"]*)"`, 'g'))].map((m) => m[1] ?? '');

describe('punch-out start page', () => {
  it('lists the customer’s products at the prices POST /v1/prices gives the session user, in its language', async () => {
    for (const language of ['en', 'fr', 'de'] as const) {
      const { base } = await shopSession({ language });
      const { res, body } = await page(`${base}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'self' https://procurement.example");
      expect(body).toContain(`<html lang="${language}">`);
      expect(body).toContain({ en: 'Search', fr: 'Rechercher', de: 'Suchen' }[language]);
      const listed = cards(body);
      expect(listed.length).toBeGreaterThan(3);
      const quoted = await pricesFor(listed.map((l) => ({ sku: l.sku, quantity: 1 })));
      const money = new Intl.NumberFormat({ en: 'en-GB', fr: 'fr-FR', de: 'de-DE' }[language], {
        style: 'currency',
        currency: quoted.currency,
      });
      let compared = 0;
      for (const [i, card] of listed.entries()) {
        const line = quoted.lines[i];
        if (line?.status !== 'priced' || !line.price || card.unitMinor === null) continue;
        expect(card.unitMinor, card.sku).toBe(line.price.unitMinor);
        expect(body).toContain(money.format(line.price.unitMinor / 100));
        compared += 1;
      }
      expect(compared).toBeGreaterThan(3);
    }
  });

  it('searches, narrows by category and pages on', async () => {
    const { base } = await shopSession();
    const first = cards((await page(`${base}/`)).body);
    const someName = first[0]?.sku ?? '';
    const found = await page(`${base}/?q=${encodeURIComponent(someName)}`);
    expect(cards(found.body).map((c) => c.sku)).toContain(someName);
    const category = attr((await page(`${base}/`)).body, 'data-category')[0] ?? '';
    expect(category).not.toBe('');
    const narrowed = await page(`${base}/?category=${encodeURIComponent(category)}`);
    expect(narrowed.res.status).toBe(200);
    expect(cards(narrowed.body).length).toBeGreaterThan(0);
    const next = /href="([^"]*page=[^"]*)" rel="next"/.exec((await page(`${base}/`)).body)?.[1];
    expect(next).toBeDefined();
    const second = cards((await page((next ?? '').replaceAll('&amp;', '&'))).body);
    expect(second.length).toBeGreaterThan(0);
    expect(second.map((c) => c.sku)).not.toContain(first[0]?.sku);
  });

  it('adds, changes and removes cart lines through forms, with totals from the contract prices', async () => {
    const { base } = await shopSession({ language: 'fr' });
    const [a, b] = cards((await page(`${base}/`)).body).filter((c) => c.unitMinor !== null);
    if (!a || !b) throw new Error('need two priced products');
    const detail = await page(`${base}/p/${encodeURIComponent(a.sku)}`);
    expect(detail.res.status).toBe(200);
    expect(detail.body).toContain('Ajouter au panier');
    expect(detail.body).toContain(`action="${base}/cart/lines"`);

    const added = await page(`${base}/cart/lines`, { form: { sku: a.sku, quantity: '3' } });
    expect(added.res.status).toBe(303);
    expect(added.res.headers.get('location')).toBe(`${base}/cart?added=1`);
    await page(`${base}/cart/lines`, { form: { sku: b.sku, quantity: '2' } });

    let cart = await page(`${base}/cart`);
    expect(attr(cart.body, 'data-sku')).toEqual([a.sku, b.sku]);
    const quoted = await pricesFor([
      { sku: a.sku, quantity: 3 },
      { sku: b.sku, quantity: 2 },
    ]);
    const totals = quoted.lines.map((l) => l.price?.lineTotalMinor ?? 0);
    expect(attr(cart.body, 'data-line-total-minor').map(Number)).toEqual(totals);
    expect(Number(attr(cart.body, 'data-total-minor')[0])).toBe(totals.reduce((s, t) => s + t, 0));
    expect(cart.body).toContain('Transférer vers mon système d’achat');

    const lineA = attr(cart.body, 'data-line')[0] ?? '';
    const changed = await page(`${base}/cart/lines/${lineA}`, { form: { quantity: '5' } });
    expect(changed.res.status).toBe(303);
    cart = await page(`${base}/cart`);
    expect(cart.body).toMatch(/name="quantity"[^>]*value="5"/);

    const removed = await page(`${base}/cart/lines/${lineA}/remove`, { form: {} });
    expect(removed.res.status).toBe(303);
    cart = await page(`${base}/cart`);
    expect(attr(cart.body, 'data-sku')).toEqual([b.sku]);
  });

  it('comes back with a message, not a 500, for a quantity of 0, above the maximum, or an unknown SKU', async () => {
    const { base } = await shopSession({ language: 'de' });
    const [a] = cards((await page(`${base}/`)).body);
    if (!a) throw new Error('no product');
    const zero = await page(`${base}/cart/lines`, { form: { sku: a.sku, quantity: '0' } });
    expect(zero.res.status).toBe(422);
    expect(zero.body).toContain('Geben Sie eine ganze Menge von mindestens 1 ein.');
    expect(zero.body).toMatch(/name="quantity"[^>]*value="0"/);
    const huge = await page(`${base}/cart/lines`, { form: { sku: a.sku, quantity: '1000001' } });
    expect(huge.res.status).toBe(422);
    expect(huge.body).toContain('höchstens 1.000.000');
    const unknown = await page(`${base}/cart/lines`, { form: { sku: 'NO-SUCH-SKU', quantity: '1' } });
    expect(unknown.res.status).toBe(422);
    expect(unknown.body).toContain('Kein Produkt „NO-SUCH-SKU“');
    await page(`${base}/cart/lines`, { form: { sku: a.sku, quantity: '1' } });
    const cart = await page(`${base}/cart`);
    const line = attr(cart.body, 'data-line')[0] ?? '';
    const bad = await page(`${base}/cart/lines/${line}`, { form: { quantity: 'abc' } });
    expect(bad.res.status).toBe(422);
    const missing = await page(`${base}/cart/lines/cl_nothing`, { form: { quantity: '2' } });
    expect(missing.res.status).toBeGreaterThanOrEqual(400);
    expect(missing.res.status).toBeLessThan(500);
    expect(attr((await page(`${base}/cart`)).body, 'data-quantity')).toEqual([]);
  });

  it('shows an inspect session read-only: no add, change or remove, and the button returns', async () => {
    const probe = await shopSession();
    const [a] = cards((await page(`${probe.base}/`)).body).filter((c) => c.unitMinor !== null);
    if (!a) throw new Error('no product');
    const { base } = await shopSession({ operation: 'inspect', lines: [{ sku: a.sku, quantity: 2 }] });
    const cart = await page(`${base}/cart`);
    expect(cart.res.status).toBe(200);
    expect(attr(cart.body, 'data-sku')).toEqual([a.sku]);
    expect(attr(cart.body, 'data-quantity')).toEqual(['2']);
    expect(cart.body).not.toContain('/cart/lines');
    expect(cart.body).toContain('Return to my procurement system');
    expect(cart.body).not.toContain('Transfer to my procurement system');
    const detail = await page(`${base}/p/${encodeURIComponent(a.sku)}`);
    expect(detail.body).not.toContain('/cart/lines');
    const refused = await page(`${base}/cart/lines`, { form: { sku: a.sku, quantity: '1' } });
    expect(refused.res.status).toBe(403);
    const line = attr(cart.body, 'data-line')[0] ?? '';
    expect((await page(`${base}/cart/lines/${line}/remove`, { form: {} })).res.status).toBe(403);
    expect(attr((await page(`${base}/cart`)).body, 'data-quantity')).toEqual(['2']);
  });

  it('answers an unknown key with a 401 page and an ended session with a 410 page in its language', async () => {
    const unknown = await page('/punchout/shop/not-a-key/', {
      headers: { 'accept-language': 'de-DE,de;q=0.9' },
    });
    expect(unknown.res.status).toBe(401);
    expect(unknown.body).toContain('<html lang="de">');
    expect(unknown.body).toContain('Diese Einkaufssitzung ist unbekannt');
    expect((await page('/punchout/shop/not-a-key/transfer', { form: {} })).res.status).toBe(401);

    const { base, session } = await shopSession({ language: 'fr' });
    await env.DB.prepare("UPDATE punchout_sessions SET state = 'transferred' WHERE id = ?")
      .bind(session.id)
      .run();
    const gone = await page(`${base}/cart`);
    expect(gone.res.status).toBe(410);
    expect(gone.body).toContain('<html lang="fr">');
    expect(gone.body).toContain('Cette session d’achat est terminée');
  });
});

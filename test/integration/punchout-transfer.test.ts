import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { unCefactUnit } from '../../src/domain/punchout/units';
import { call, json, loginAs } from './harness';
import { all, buildFor } from './pricing-helpers';
import {
  child,
  decodeOrderMessage,
  itemsOf,
  openCxmlSession,
  path,
  RETURN_URL,
  readTransferForm,
  type Session,
  send,
  text,
} from './punchout-cxml-helpers';
import { createTestPartner } from './punchout-helpers';

/**
 * The full cXML round trip as a procurement system runs it: setup → start code → token → three lines →
 * transfer; the returned form is decoded and checked against `POST /v1/prices`; then `edit` reopens the
 * transferred cart and `inspect` shows it read-only.
 */
interface Product {
  sku: string;
  unspsc: string | null;
  unit_of_measure: string;
  manufacturer_part_number: string | null;
  brand: string;
  name: string;
}

let products: Product[];
let buyer: string;

beforeAll(async () => {
  buyer = await loginAs('buyer@acme.example');
  await buildFor('co_acme');
  products = await all<Product>(
    `SELECT p.sku, p.unspsc, p.unit_of_measure, p.manufacturer_part_number, p.brand, p.name FROM products p
     WHERE p.status = 'active' AND p.min_order_qty = 1 AND p.order_multiple = 1
     AND p.category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%'
     AND p.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable')
     ORDER BY p.unit_of_measure DESC, p.sku LIMIT 3`,
  );
  expect(products).toHaveLength(3);
});

const QUANTITIES = [2, 5, 12];

async function fillCart(s: Session) {
  const res = await call(`/v1/carts/${s.session.cartId}/lines`, {
    method: 'POST',
    token: s.accessToken,
    body: { lines: products.map((p, i) => ({ sku: p.sku, quantity: QUANTITIES[i] })) },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return json<{ lines: { id: string; sku: string; quantity: number }[] }>(res);
}

const transfer = (token: string) => send('/punchout/sessions/current/transfer', { method: 'POST', token });

describe('cXML round trip', () => {
  for (const encoding of ['cxml-urlencoded', 'cxml-base64'] as const) {
    it(`transfers the cart as a PunchOutOrderMessage (${encoding}) priced as POST /v1/prices prices it`, async () => {
      const partner = await createTestPartner({ formEncoding: encoding });
      const s = await openCxmlSession(partner, { buyerCookie: `cookie-${encoding}` });
      expect(s.session).toMatchObject({
        operation: 'create',
        language: 'en',
        buyerCookie: `cookie-${encoding}`,
      });
      const cart = await fillCart(s);

      const res = await transfer(s.accessToken);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      const form = readTransferForm(html);
      expect(form.action).toBe(RETURN_URL);
      expect(form.fields.map(([name]) => name)).toEqual([encoding]);
      // the auto-submit script runs by this response's nonce only, and the form may post to the buyer only
      const csp = res.headers.get('content-security-policy') ?? '';
      const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
      expect(csp).toContain(`script-src 'nonce-${nonce}'`);
      expect(csp).toContain('form-action https://procurement.example');
      expect(html).toMatch(/<noscript><button type="submit">/);

      const message = decodeOrderMessage(form.fields);
      const pom = path(message.root, 'Message', 'PunchOutOrderMessage');
      expect(text(child(pom, 'BuyerCookie'))).toBe(`cookie-${encoding}`);
      expect(child(pom, 'PunchOutOrderMessageHeader')?.['@operationAllowed']).toBe('edit');
      expect(path(message.root, 'Header', 'Sender', 'Credential', 'SharedSecret')).toBeUndefined();
      expect(text(path(message.root, 'Header', 'To', 'Credential', 'Identity'))).toBe('AN-BUYER-1');

      const prices = await json<{
        currency: string;
        lines: { sku: string; price: { unitMinor: number; lineTotalMinor: number } }[];
      }>(
        await call('/v1/prices', {
          method: 'POST',
          token: buyer,
          body: { lines: products.map((p, i) => ({ sku: p.sku, quantity: QUANTITIES[i] })) },
        }),
      );
      const items = itemsOf(message);
      expect(items).toHaveLength(3);
      items.forEach((item, i) => {
        const product = products[i];
        const priced = prices.lines[i]?.price;
        expect(text(path(item, 'ItemID', 'SupplierPartID'))).toBe(product?.sku);
        expect(text(path(item, 'ItemID', 'SupplierPartAuxiliaryID'))).toBe(cart.lines[i]?.id);
        expect(item['@quantity']).toBe(String(QUANTITIES[i]));
        const money = path(item, 'ItemDetail', 'UnitPrice', 'Money');
        expect(money?.['@currency']).toBe(prices.currency);
        expect(text(money)).toBe(((priced?.unitMinor ?? 0) / 100).toFixed(2));
        const detail = child(item, 'ItemDetail');
        expect(text(child(detail, 'UnitOfMeasure'))).toBe(unCefactUnit(product?.unit_of_measure ?? ''));
        expect(child(detail, 'Classification')?.['@domain']).toBe('UNSPSC');
        expect(text(child(detail, 'Classification'))).toBe(product?.unspsc);
        expect(text(child(detail, 'ManufacturerName'))).toBe(product?.brand);
        expect(text(path(detail, 'Description', 'ShortName'))).toBe(product?.name);
        expect(Number(text(child(detail, 'LeadTime')))).toBeGreaterThanOrEqual(1);
      });
      const total = prices.lines.reduce((sum, l) => sum + l.price.lineTotalMinor, 0);
      expect(text(path(pom, 'PunchOutOrderMessageHeader', 'Total', 'Money'))).toBe((total / 100).toFixed(2));

      // the session is closed: its token is gone, a second transfer is refused, the cart was removed
      expect((await transfer(s.accessToken)).status).toBe(409);
      expect((await call(`/v1/carts/${s.session.cartId}`, { token: s.accessToken })).status).toBe(401);
      expect((await call(`/v1/carts/${s.session.cartId}`, { token: buyer })).status).toBe(404);
      const logged = await env.DB.prepare(
        "SELECT count(*) AS n FROM punchout_log WHERE kind = 'cxml.order_message' AND session_id = ? AND buyer_cookie = ?",
      )
        .bind(s.session.id, `cookie-${encoding}`)
        .first<{ n: number }>();
      expect(logged?.n).toBe(1);
      const audit = await env.DB.prepare(
        "SELECT actor_id FROM audit_log WHERE action = 'punchout.transferred' AND target_id = ?",
      )
        .bind(s.session.id)
        .all<{ actor_id: string }>();
      expect(audit.results).toEqual([{ actor_id: 'usr_acme_buyer' }]);
    });
  }

  it('edit reopens the lines of a transferred cart; inspect shows them and cannot change them', async () => {
    const partner = await createTestPartner();
    const first = await openCxmlSession(partner);
    await fillCart(first);
    const sent = itemsOf(
      decodeOrderMessage(readTransferForm(await (await transfer(first.accessToken)).text()).fields),
    );
    const itemOut = sent.map((item) => ({
      sku: text(path(item, 'ItemID', 'SupplierPartID')) ?? '',
      quantity: Number(item['@quantity']),
      auxiliaryId: text(path(item, 'ItemID', 'SupplierPartAuxiliaryID')) ?? '',
    }));

    const edit = await openCxmlSession(partner, { operation: 'edit', items: itemOut });
    expect(edit.session.operation).toBe('edit');
    const reopened = await json<{ lines: { sku: string; quantity: number }[] }>(
      await call(`/v1/carts/${edit.session.cartId}`, { token: edit.accessToken }),
    );
    expect(reopened.lines.map((l) => [l.sku, l.quantity])).toEqual(itemOut.map((l) => [l.sku, l.quantity]));

    const inspect = await openCxmlSession(partner, { operation: 'inspect', items: itemOut });
    const seen = await call(`/v1/carts/${inspect.session.cartId}`, { token: inspect.accessToken });
    expect(seen.status).toBe(200);
    const change = await call(`/v1/carts/${inspect.session.cartId}/lines`, {
      method: 'POST',
      token: inspect.accessToken,
      body: { lines: [{ sku: itemOut[0]?.sku, quantity: 1 }] },
    });
    expect(change.status).toBe(403);
    const back = decodeOrderMessage(
      readTransferForm(await (await transfer(inspect.accessToken)).text()).fields,
    );
    expect(
      path(back.root, 'Message', 'PunchOutOrderMessage', 'PunchOutOrderMessageHeader')?.['@operationAllowed'],
    ).toBe('inspect');
    expect(itemsOf(back)).toHaveLength(3);
  });
});

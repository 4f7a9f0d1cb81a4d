import { exports } from 'cloudflare:workers';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';
import { buildFor, first } from './pricing-helpers';
import { acmeCases, type QuickLine } from './quick-order-helpers';

let buyer: string;
let cases: Awaited<ReturnType<typeof acmeCases>>;

beforeAll(async () => {
  buyer = await loginAs('buyer@acme.example');
  await buildFor('co_acme');
  cases = await acmeCases();
});

interface CartLine {
  id: string;
  sku: string;
  quantity: number;
  note: string | null;
}
interface Added {
  summary: Record<string, number>;
  lines: (QuickLine & { added: boolean; refusal?: string })[];
  cart: { id: string; version: number; lines: CartLine[] };
}

const newCart = async (name: string) =>
  (await json<{ id: string }>(await call('/v1/carts', { method: 'POST', token: buyer, body: { name } }))).id;

describe('POST /v1/quick-order/add-to-cart', () => {
  it('adds the accepted lines with their notes in one step, and reports the others without adding them', async () => {
    const cartId = await newCart('Quick order');
    const res = await call('/v1/quick-order/add-to-cart', {
      method: 'POST',
      token: buyer,
      body: {
        cartId,
        lines: [
          { sku: cases.plain, quantity: 2, note: 'pour le chantier Dupont', line: 1 },
          { sku: cases.multiple.sku, quantity: cases.multiple.order_multiple + 1, line: 2 },
          { sku: 'NOPE-000000', quantity: 1, line: 3 },
          { sku: cases.hidden, quantity: 1, line: 4 },
          { sku: cases.obsolete.sku, quantity: 1, line: 5 },
        ],
      },
    });
    expect(res.status).toBe(200);
    const added = await json<Added>(res);
    expect(added.lines.map((l) => [l.line, l.outcome, l.added])).toEqual([
      [1, 'ok', true],
      [2, 'adjusted', true],
      [3, 'unknown', false],
      [4, 'not_available', false],
      [5, 'replaced', false],
    ]);
    expect(added.summary.added).toBe(2);
    expect(added.cart.lines).toEqual([
      expect.objectContaining({ sku: cases.plain, quantity: 2, note: 'pour le chantier Dupont' }),
      expect.objectContaining({
        sku: cases.multiple.sku,
        quantity: cases.multiple.order_multiple * 2,
        note: null,
      }),
    ]);
    const audit = await first<{ summary: string }>(
      "SELECT summary FROM audit_log WHERE action = 'cart.add_lines' AND target_id = ?",
      cartId,
    );
    expect(audit.summary).toContain('quick order');
  });

  it('nothing is added when no line can be', async () => {
    const cartId = await newCart('Nothing');
    const res = await call('/v1/quick-order/add-to-cart', {
      method: 'POST',
      token: buyer,
      body: { cartId, lines: [{ sku: 'NOPE-1', quantity: 1 }] },
    });
    const added = await json<Added>(res);
    expect(added.summary.added).toBe(0);
    expect(added.cart.version).toBe(1);
    expect(added.cart.lines).toEqual([]);
  });
});

describe('POST /v1/carts/{id}/lines mode partial, and line notes through checkout', () => {
  it('adds what it can and reports each refused line; the default mode still refuses all', async () => {
    const cartId = await newCart('Partial');
    const lines = [
      { sku: cases.plain, quantity: 1, note: 'lot A' },
      { sku: 'NOPE-000001', quantity: 1 },
      { sku: cases.hidden, quantity: 1 },
      { sku: cases.second, quantity: 1_000_000 },
      { sku: cases.second, quantity: 1 },
    ];
    await expectProblem(
      await call(`/v1/carts/${cartId}/lines`, { method: 'POST', token: buyer, body: { lines } }),
      422,
    );
    const res = await call(`/v1/carts/${cartId}/lines`, {
      method: 'POST',
      token: buyer,
      body: { lines, mode: 'partial' },
    });
    expect(res.status).toBe(200);
    const cart = await json<{
      lines: CartLine[];
      refused: { index: number; code: string; salesRep?: unknown }[];
    }>(res);
    expect(cart.refused.map((r) => [r.index, r.code])).toEqual([
      [1, 'unknown_sku'],
      [2, 'not_available'],
      [4, 'cart_limit'],
    ]);
    expect(cart.refused[1]?.salesRep).toMatchObject({ email: 'rep@supplier.example' });
    expect(cart.lines.map((l) => [l.sku, l.quantity, l.note])).toEqual([
      [cases.plain, 1, 'lot A'],
      [cases.second, 1_000_000, null],
    ]);
  });

  it('a line note is changed with PATCH and lands on the order line at checkout', async () => {
    const cartId = await newCart('Notes');
    const cart = await json<{ lines: CartLine[] }>(
      await call(`/v1/carts/${cartId}/lines`, {
        method: 'POST',
        token: buyer,
        body: { lines: [{ sku: cases.plain, quantity: 1, note: 'first' }] },
      }),
    );
    const lineId = cart.lines[0]?.id ?? '';
    const patched = await json<{ lines: CartLine[] }>(
      await call(`/v1/carts/${cartId}/lines/${lineId}`, {
        method: 'PATCH',
        token: buyer,
        body: { note: 'pour le chantier Dupont' },
      }),
    );
    expect(patched.lines[0]?.note).toBe('pour le chantier Dupont');
    const placed = await call(`/v1/carts/${cartId}/checkout`, {
      method: 'POST',
      token: buyer,
      body: {},
      headers: { 'idempotency-key': `notes-${cartId}` },
    });
    expect(placed.status).toBe(201);
    const { orderId } = await json<{ orderId: string }>(placed);
    const order = await json<{ lines: { sku: string; note: string | null }[] }>(
      await call(`/v1/orders/${orderId}`, { token: buyer }),
    );
    expect(order.lines[0]).toMatchObject({ sku: cases.plain, note: 'pour le chantier Dupont' });
  });
});

/** A minimal XLSX: shared strings, a formula with its cached value, a merged cell. */
function workbook(rows: string): Uint8Array {
  const enc = (s: string) => new TextEncoder().encode(s);
  return zipSync({
    '[Content_Types].xml': enc(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    'xl/workbook.xml': enc(
      '<workbook xmlns:r="r"><sheets><sheet name="Order" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': enc(
      '<Relationships><Relationship Id="rId1" Target="worksheets/order.xml"/></Relationships>',
    ),
    'xl/sharedStrings.xml': enc(
      `<sst><si><t>Référence</t></si><si><t>Qté</t></si><si><t>Note</t></si><si><t>${cases.plain}</t></si><si><r><t>chantier </t></r><r><t>Dupont</t></r></si></sst>`,
    ),
    'xl/worksheets/order.xml': enc(
      `<worksheet><sheetData>${rows}</sheetData><mergeCells><mergeCell ref="C2:C3"/></mergeCells></worksheet>`,
    ),
  });
}

const upload = (bytes: Uint8Array, name = 'order.xlsx') => {
  const form = new FormData();
  form.append(
    'file',
    new File([bytes], name, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  );
  return exports.default.fetch(
    new Request('https://api.test/v1/quick-order/resolve', {
      method: 'POST',
      headers: { authorization: `Bearer ${buyer}` },
      body: form,
    }),
  );
};

describe('XLSX upload', () => {
  it('reads the first sheet: shared and rich strings, cached formula values, merged cells', async () => {
    const rows = [
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>',
      '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><f>1+2</f><v>3</v></c><c r="C2" t="s"><v>4</v></c></row>',
      `<row r="3"><c r="A3" t="inlineStr"><is><t>${cases.second}</t></is></c><c r="B3"><v>2</v></c></row>`,
    ].join('');
    const res = await upload(workbook(rows));
    expect(res.status).toBe(200);
    const answer = await json<{ lines: QuickLine[] }>(res);
    expect(answer.lines).toMatchObject([
      { line: 2, sku: cases.plain, quantity: 3, note: 'chantier Dupont' },
      { line: 3, sku: cases.second, quantity: 2, note: 'chantier Dupont' },
    ]);
  });

  it('a zip bomb, too many entries or a DOCTYPE are a 400 with the reason, before inflating everything', async () => {
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(9 * 1024 * 1024) }, { level: 1 });
    const refused = await expectProblem(await upload(bomb), 400);
    expect(refused.detail).toMatch(/sheet1\.xml would take 9437184 bytes; at most 8388608/);
    // the same bomb declaring 100 bytes: inflating stops at the cap, whatever the header says
    const lying = bomb.slice();
    const view = new DataView(lying.buffer);
    for (let at = lying.length - 22; at >= 0; at--) {
      if (view.getUint32(at, true) === 0x02014b50) {
        view.setUint32(at + 24, 100, true);
        break;
      }
    }
    expect((await expectProblem(await upload(lying), 400)).detail).toContain('expands beyond 8388608 bytes');
    const many = zipSync(
      Object.fromEntries(Array.from({ length: 1_500 }, (_, i) => [`f${i}`, new Uint8Array(1)])),
    );
    expect((await expectProblem(await upload(many), 400)).detail).toContain('1500 entries');
    const entity = zipSync({
      'xl/worksheets/sheet1.xml': new TextEncoder().encode('<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>'),
    });
    expect((await expectProblem(await upload(entity), 400)).detail).toContain('DOCTYPE');
    await expectProblem(await upload(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])), 400);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';
import { all, buildFor, first } from './pricing-helpers';
import { acmeCases, type QuickLine } from './quick-order-helpers';

let buyer: string;
let approver: string;
let cases: Awaited<ReturnType<typeof acmeCases>>;

interface List {
  id: string;
  name: string;
  shared: boolean;
  kind: string;
  items: { id: string; sku: string; quantity: number; note: string | null }[];
}
interface Added {
  summary: Record<string, number>;
  lines: (QuickLine & { added: boolean })[];
  cart: { id: string; lines: { sku: string; quantity: number; note: string | null }[] };
}

beforeAll(async () => {
  buyer = await loginAs('buyer@acme.example');
  approver = await loginAs('approver@acme.example');
  await buildFor('co_acme');
  cases = await acmeCases();
});

const post = (path: string, token: string, body: unknown) => call(path, { method: 'POST', token, body });
const newCart = async (token: string, name: string) =>
  (await json<{ id: string }>(await post('/v1/carts', token, { name }))).id;

describe('lists', () => {
  it('a shared template is used by everyone, changed only with lists.manage, and survives orders made from it', async () => {
    const created = await post('/v1/lists', buyer, {
      name: 'Kit mensuel atelier Nord',
      kind: 'template',
      shared: true,
      shipToSiteId: (await first<{ id: string }>("SELECT id FROM sites WHERE company_id = 'co_acme' LIMIT 1"))
        .id,
      items: [
        { sku: cases.plain, quantity: 2, note: 'atelier Nord' },
        { sku: cases.multiple.sku, quantity: cases.multiple.order_multiple + 1 },
        { sku: cases.obsolete.sku, quantity: 1 },
      ],
    });
    expect(created.status).toBe(201);
    const list = await json<List>(created);
    expect(list.items.map((i) => i.sku)).toEqual([cases.plain, cases.multiple.sku, cases.obsolete.sku]);
    // the approver (no lists.manage) sees and uses it, but cannot change it
    expect((await call('/v1/lists', { token: approver })).status).toBe(200);
    await expectProblem(
      await call(`/v1/lists/${list.id}`, { method: 'PATCH', token: approver, body: { name: 'Mine' } }),
      403,
    );
    const approverCart = await newCart(approver, 'From the kit');
    const used = await json<Added>(
      await post(`/v1/lists/${list.id}/add-to-cart`, approver, { cartId: approverCart }),
    );
    expect(used.summary.added).toBe(2);
    for (let round = 0; round < 2; round++) {
      const cartId = await newCart(buyer, `From the kit ${round}`);
      const added = await json<Added>(await post(`/v1/lists/${list.id}/add-to-cart`, buyer, { cartId }));
      expect(added.lines.map((l) => [l.outcome, l.added])).toEqual([
        ['ok', true],
        ['adjusted', true],
        ['replaced', false],
      ]);
      expect(added.cart.lines[0]).toMatchObject({ sku: cases.plain, quantity: 2, note: 'atelier Nord' });
      const placed = await call(`/v1/carts/${cartId}/checkout`, {
        method: 'POST',
        token: buyer,
        body: {},
        headers: { 'idempotency-key': `kit-${list.id}-${round}` },
      });
      expect(placed.status).toBe(201);
    }
    const after = await json<List>(await call(`/v1/lists/${list.id}`, { token: buyer }));
    expect(after.items).toHaveLength(3);
    // chosen items, a quantity for this time, and the replacement accepted
    const obsoleteItem = list.items[2]?.id ?? '';
    const chosen = await json<Added>(
      await post(`/v1/lists/${list.id}/add-to-cart`, buyer, {
        cartId: await newCart(buyer, 'Chosen'),
        itemIds: [list.items[0]?.id, obsoleteItem],
        quantities: [{ itemId: list.items[0]?.id, quantity: 7 }],
        acceptReplacements: true,
      }),
    );
    expect(chosen.cart.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [cases.plain, 7],
      [cases.obsolete.replacement_sku, expect.any(Number)],
    ]);
    await expectProblem(
      await post(`/v1/lists/${list.id}/add-to-cart`, buyer, { itemIds: ['item_nope'] }),
      422,
    );
    const actions = await all<{ action: string }>(
      'SELECT DISTINCT action FROM audit_log WHERE target_id = ? ORDER BY action',
      list.id,
    );
    expect(actions.map((a) => a.action)).toEqual(['list.create']);
  });

  it('a private list is its owner’s alone; items in bulk, notes, CSV export and import', async () => {
    const list = await json<List>(await post('/v1/lists', approver, { name: 'My favourites' }));
    expect((await call(`/v1/lists/${list.id}`, { token: buyer })).status).toBe(404);
    await expectProblem(await post('/v1/lists', approver, { name: 'Shared', shared: true }), 403);
    const filled = await json<List>(
      await post(`/v1/lists/${list.id}/items`, approver, {
        items: [
          { sku: cases.plain, quantity: 3, note: 'pour le chantier Dupont' },
          { sku: cases.second, quantity: 1 },
        ],
      }),
    );
    expect(filled.items).toHaveLength(2);
    await expectProblem(
      await post(`/v1/lists/${list.id}/items`, approver, { items: [{ sku: cases.hidden, quantity: 1 }] }),
      422,
    );
    const csv = await call(`/v1/lists/${list.id}/export`, { token: approver });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toBe(
      `sku;quantity;note\r\n${cases.plain};3;pour le chantier Dupont\r\n${cases.second};1;\r\n`,
    );
    const imported = await call(`/v1/lists/${list.id}/import`, {
      method: 'POST',
      token: approver,
      body: `${cases.second};5;again\nNOPE-1;1\n${cases.hidden};1`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(200);
    const report = await json<{ lines: (QuickLine & { added: boolean })[] }>(imported);
    expect(report.lines.map((l) => [l.outcome, l.added])).toEqual([
      ['ok', true],
      ['unknown', false],
      ['not_available', false],
    ]);
    const after = await json<List>(await call(`/v1/lists/${list.id}`, { token: approver }));
    expect(after.items.find((i) => i.sku === cases.second)).toMatchObject({ quantity: 5, note: 'again' });
    const item = after.items[0]?.id ?? '';
    await call(`/v1/lists/${list.id}/items/${item}`, { method: 'DELETE', token: approver });
    expect((await json<List>(await call(`/v1/lists/${list.id}`, { token: approver }))).items).toHaveLength(1);
    expect((await call(`/v1/lists/${list.id}`, { method: 'DELETE', token: approver })).status).toBe(204);
  });

  it('a list is made from a cart or from a past order', async () => {
    const cartId = await newCart(buyer, 'To keep');
    await post(`/v1/carts/${cartId}/lines`, buyer, {
      lines: [{ sku: cases.plain, quantity: 4, note: 'n1' }],
    });
    const fromCart = await json<List>(
      await post('/v1/lists', buyer, { name: 'From cart', fromCart: cartId }),
    );
    expect(fromCart.items).toMatchObject([{ sku: cases.plain, quantity: 4, note: 'n1' }]);
    const placed = await call(`/v1/carts/${cartId}/checkout`, {
      method: 'POST',
      token: buyer,
      body: {},
      headers: { 'idempotency-key': `to-keep-${cartId}` },
    });
    const { orderId } = await json<{ orderId: string }>(placed);
    const fromOrder = await json<List>(
      await post('/v1/lists', buyer, { name: 'From order', fromOrder: orderId }),
    );
    expect(fromOrder.items).toMatchObject([{ sku: cases.plain, quantity: 4, note: 'n1' }]);
    // another buyer's order is not theirs to copy
    await expectProblem(await post('/v1/lists', approver, { name: 'x', fromCart: cartId }), 404);
  });
});

describe('reorder and frequently ordered', () => {
  it('puts a past order back in a cart re-priced now, and lists what is ordered often', async () => {
    const cartId = await newCart(buyer, 'Original');
    await post(`/v1/carts/${cartId}/lines`, buyer, {
      lines: [
        { sku: cases.plain, quantity: 3, note: 'chantier' },
        { sku: cases.second, quantity: 2 },
      ],
    });
    const { orderId } = await json<{ orderId: string }>(
      await call(`/v1/carts/${cartId}/checkout`, {
        method: 'POST',
        token: buyer,
        body: {},
        headers: { 'idempotency-key': `reorder-${cartId}` },
      }),
    );
    const again = await post(`/v1/orders/${orderId}/reorder`, buyer, {});
    expect(again.status).toBe(200);
    const added = await json<Added>(again);
    expect(added.lines.map((l) => [l.line, l.outcome, l.added])).toEqual([
      [1, 'ok', true],
      [2, 'ok', true],
    ]);
    expect(added.cart.lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ sku: cases.plain, quantity: 3, note: 'chantier' })]),
    );
    expect(added.lines[0]?.price?.unitMinor).toBeGreaterThan(0);
    const frequent = await json<{
      items: { sku: string; orderCount: number; usualQuantity: number; lastOrderedAt: number }[];
    }>(await call('/v1/catalog/frequently-ordered', { token: buyer }));
    const plain = frequent.items.find((i) => i.sku === cases.plain);
    expect(plain?.orderCount).toBeGreaterThanOrEqual(1);
    expect(plain?.lastOrderedAt).toBeGreaterThan(0);
    const company = await json<{ items: { sku: string }[] }>(
      await call('/v1/catalog/frequently-ordered?scope=company', { token: approver }),
    );
    expect(company.items.map((i) => i.sku)).toContain(cases.plain);
    const mine = await json<{ items: unknown[] }>(
      await call('/v1/catalog/frequently-ordered', { token: approver }),
    );
    expect(mine.items).toEqual([]);
    // an order of someone else is a 404 to a buyer who does not see the company's orders
    const other = await loginAs('buyer@globex.example');
    await expectProblem(await post(`/v1/orders/${orderId}/reorder`, other, {}), 404);
  });
});

describe('company part numbers', () => {
  it('CRUD with lists.manage, CSV import all or nothing, and quick order resolves them with their pack', async () => {
    const created = await post('/v1/company/part-numbers', buyer, {
      partNumber: 'BOX-VIS-10',
      sku: cases.plain,
      packQuantity: 10,
      preferredQuantity: 20,
    });
    expect(created.status).toBe(201);
    const { id } = await json<{ id: string }>(created);
    await expectProblem(
      await post('/v1/company/part-numbers', approver, { partNumber: 'X1', sku: cases.plain }),
      403,
    );
    await expectProblem(
      await post('/v1/company/part-numbers', buyer, { partNumber: 'box vis 10', sku: cases.second }),
      409,
    );
    await expectProblem(
      await post('/v1/company/part-numbers', buyer, { partNumber: cases.second, sku: cases.plain }),
      422,
    );
    await expectProblem(
      await post('/v1/company/part-numbers', buyer, { partNumber: 'HID-1', sku: cases.hidden }),
      422,
    );
    const resolved = await json<{ lines: QuickLine[] }>(
      await call('/v1/quick-order/resolve', {
        method: 'POST',
        token: buyer,
        body: 'BOX-VIS-10\t2\nbox-vis-10',
        headers: { 'content-type': 'text/plain' },
      }),
    );
    expect(resolved.lines[0]).toMatchObject({
      outcome: 'adjusted',
      sku: cases.plain,
      quantity: 40,
      rules: ['pack'],
    });
    const bad = await call('/v1/company/part-numbers/import', {
      method: 'POST',
      token: buyer,
      body: `partNumber;sku;packQuantity\nOWN-1;${cases.plain};1\nOWN-2;NOPE-9;1\nOWN-3;${cases.second};abc`,
      headers: { 'content-type': 'text/csv' },
    });
    const problem = await expectProblem(bad, 422);
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['rows.3.sku', 'rows.4.packQuantity']);
    expect(
      (
        await first<{ n: number }>(
          "SELECT count(*) AS n FROM company_part_numbers WHERE part_number LIKE 'OWN-%'",
        )
      ).n,
    ).toBe(0);
    const good = await call('/v1/company/part-numbers/import', {
      method: 'POST',
      token: buyer,
      body: `OWN-1,${cases.plain}\nOWN-2,${cases.second},5`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(await json(good)).toEqual({ imported: 2 });
    // the demo company has part numbers of its own (ids cpn_acme_…); these are the ones made here
    const madeHere = async (sku: string) =>
      (
        await json<{ items: { id: string; partNumber: string }[] }>(
          await call(`/v1/company/part-numbers?sku=${sku}`, { token: approver }),
        )
      ).items
        .filter((p) => !p.id.startsWith('cpn_acme_'))
        .map((p) => p.partNumber);
    expect([...(await madeHere(cases.plain)), ...(await madeHere(cases.second))]).toEqual([
      'BOX-VIS-10',
      'OWN-1',
      'OWN-2',
    ]);
    const patched = await call(`/v1/company/part-numbers/${id}`, {
      method: 'PATCH',
      token: buyer,
      body: { packQuantity: 5 },
    });
    expect(await json(patched)).toMatchObject({ packQuantity: 5 });
    expect((await call(`/v1/company/part-numbers/${id}`, { method: 'DELETE', token: buyer })).status).toBe(
      204,
    );
    const actions = await all<{ action: string }>(
      "SELECT action FROM audit_log WHERE action LIKE 'part_number.%' ORDER BY at",
    );
    expect(actions.map((a) => a.action)).toEqual([
      'part_number.create',
      'part_number.import',
      'part_number.update',
      'part_number.delete',
    ]);
  });
});

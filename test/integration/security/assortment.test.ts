import { beforeAll, describe, expect, it } from 'vitest';
import { clearAssignmentCache } from '../../../src/services/pricing/assignments';
import { clearIsolateCache } from '../../../src/services/pricing/reader';
import { call, expectProblem, json, loginAs } from '../harness';
import { buildFor } from '../pricing-helpers';

/**
 * A product outside a customer's assortment does not exist for them — in counts, search and suggestions.
 * The one exception is an exact reference the buyer typed (prices, cart lines): the answer says it is not
 * in their assortment and names their sales rep, so they know whom to ask.
 */
interface Category {
  path: string;
  productCount: number;
  children: Category[];
}
interface Page {
  items: { sku: string }[];
  nextCursor: string | null;
}

const SALES_REP = { name: 'Claire Dubois', email: 'rep@supplier.example' };
let buyer = '';
let staff = '';

async function listed(token: string, query: string): Promise<string[]> {
  const skus: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await json(
      await call(`/v1/catalog/products?${query}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token }),
    );
    skus.push(...page.items.map((p) => p.sku));
    cursor = page.nextCursor;
  } while (cursor);
  return skus;
}

const tree = async (token: string) => {
  const res = await call('/v1/catalog/categories', { token });
  expect(res.status).toBe(200);
  return { source: res.headers.get('x-price-source'), items: (await json<{ items: Category[] }>(res)).items };
};
const twoLevels = (items: Category[]) => items.flatMap((c) => [c, ...c.children]);

/** A second-level category the supplier counts products in, but Acme's assortment hides. */
let hiddenCategory = '';
let hiddenSku = '';

beforeAll(async () => {
  buyer = await loginAs('buyer@acme.example');
  staff = await loginAs('ops@supplier.example');
  await buildFor('co_acme');
  for (const node of twoLevels((await tree(staff)).items)) {
    if (node.productCount === 0 || node.path.split('/').length !== 2) continue;
    if ((await listed(buyer, `category=${node.path}`)).length > 0) continue;
    hiddenCategory = node.path;
    hiddenSku = (await listed(staff, `category=${node.path}`))[0] ?? '';
    break;
  }
  if (!hiddenSku) throw new Error('the demo data should hide a category from Acme');
});

describe('products outside the assortment', () => {
  it('category counts are the customer’s own: every count matches its listing, a hidden category is absent', async () => {
    const { source, items } = await tree(buyer);
    const nodes = twoLevels(items);
    expect(nodes.map((n) => n.path)).not.toContain(hiddenCategory);
    for (const node of nodes) {
      expect(node.productCount, node.path).toBe((await listed(buyer, `category=${node.path}`)).length);
      expect(node.productCount, node.path).toBeGreaterThan(0);
    }
    // counted from the built index's visible products (per generation), like the listing's prices
    expect(source).toMatch(/^index;g=\d+$/);
  });

  it('supplier staff without a company still count the whole catalog', async () => {
    const hidden = twoLevels((await tree(staff)).items).find((n) => n.path === hiddenCategory);
    expect(hidden?.productCount).toBe((await listed(staff, `category=${hiddenCategory}`)).length);
  });

  it('search and product detail do not find a hidden product', async () => {
    expect(await listed(buyer, `q=${hiddenSku}`)).toEqual([]);
    await expectProblem(await call(`/v1/catalog/products/${hiddenSku}`, { token: buyer }), 404);
  });

  it('close matches of an unknown reference suggest only products the customer sees', async () => {
    const typo = `${hiddenSku}X`;
    const res = await call('/v1/prices', {
      method: 'POST',
      token: buyer,
      body: { lines: [{ sku: typo, quantity: 1 }] },
    });
    const { lines } = await json<{ lines: { status: string; closeMatches: string[] }[] }>(res);
    expect(lines[0]?.status).toBe('unknown');
    expect(lines[0]?.closeMatches).not.toContain(hiddenSku);
    for (const sku of lines[0]?.closeMatches ?? [])
      expect((await call(`/v1/catalog/products/${sku}`, { token: buyer })).status).toBe(200);
  });

  it('an exact hidden reference in POST /v1/prices says so and names the sales rep', async () => {
    const res = await call('/v1/prices', {
      method: 'POST',
      token: buyer,
      body: { lines: [{ sku: hiddenSku, quantity: 1 }] },
    });
    const { lines } = await json<{ lines: Record<string, unknown>[] }>(res);
    expect(lines[0]).toEqual({
      sku: hiddenSku,
      quantity: 1,
      status: 'not_available',
      reason: 'not_in_assortment',
      salesRep: SALES_REP,
    });
  });

  it('an exact hidden reference added to a cart is refused as not in the assortment, naming the sales rep', async () => {
    const problem = await expectProblem(
      await call('/v1/carts/current/lines', {
        method: 'POST',
        token: buyer,
        body: {
          lines: [
            { sku: 'NOPE-000000', quantity: 1 },
            { sku: hiddenSku, quantity: 1 },
          ],
        },
      }),
      422,
    );
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: 'lines.0.sku', message: 'no product "NOPE-000000"' }),
      expect.objectContaining({
        path: 'lines.1.sku',
        message: `"${hiddenSku}" is not in your assortment; ask your sales rep ${SALES_REP.name} (${SALES_REP.email})`,
      }),
    ]);
  });

  // last: it changes Acme's assortment
  it('a cart line whose product left the assortment says so and names the sales rep', async () => {
    const page = await json<Page>(await call('/v1/catalog/products?limit=1', { token: buyer }));
    const sku = page.items[0]?.sku ?? '';
    const added = await call('/v1/carts/current/lines', {
      method: 'POST',
      token: buyer,
      body: { lines: [{ sku, quantity: 1 }] },
    });
    expect(added.status).toBe(200);
    const rule = await call('/v1/admin/assortment-rules', {
      method: 'POST',
      token: await loginAs('rep@supplier.example'),
      body: { scopeType: 'company', companyId: 'co_acme', effect: 'exclude', targetType: 'sku', target: sku },
    });
    expect(rule.status).toBe(201);
    clearAssignmentCache();
    clearIsolateCache();
    await buildFor('co_acme');
    const cart = await json<{ lines: { sku: string; problems: unknown[] }[] }>(
      await call('/v1/carts/current', { token: buyer }),
    );
    expect(cart.lines.find((l) => l.sku === sku)?.problems).toEqual([
      { code: 'not_available', salesRep: SALES_REP },
    ]);
  });
});

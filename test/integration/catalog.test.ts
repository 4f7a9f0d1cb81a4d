import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';

interface Product {
  sku: string;
  name: string;
  family: string;
  brand: string;
  categoryPath: string;
  status: string;
  replacementSku: string | null;
}
interface Page {
  items: Product[];
  nextCursor: string | null;
}
interface Category {
  path: string;
  productCount: number;
  children: Category[];
}

async function everyPage(token: string, query: string): Promise<Product[]> {
  const all: Product[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await json(
      await call(`/v1/catalog/products?${query}${cursor ? `&cursor=${cursor}` : ''}`, { token }),
    );
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

const totalProducts = async () =>
  (await env.DB.prepare('SELECT count(*) AS n FROM products').first<{ n: number }>())?.n ?? 0;

describe('GET /v1/catalog/products', () => {
  it('cursor paging visits every product exactly once, in order, for each sort', async () => {
    // Initech has no assortment rules, so it sees the whole catalog (Acme's hides a category)
    const token = await loginAs('buyer@initech.example');
    const total = await totalProducts();
    expect(total).toBeGreaterThan(100);
    for (const sort of ['sku', '-sku', 'name', '-name']) {
      const items = await everyPage(token, `limit=200&sort=${sort}`);
      expect(items).toHaveLength(total);
      expect(new Set(items.map((p) => p.sku)).size).toBe(total);
      const key = sort.endsWith('name') ? (p: Product) => `${p.name}\u0000${p.sku}` : (p: Product) => p.sku;
      const keys = items.map(key);
      const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(keys).toEqual(sort.startsWith('-') ? sorted.reverse() : sorted);
    }
  });

  it('filters by category subtree, family, brand and status', async () => {
    const token = await loginAs('buyer@acme.example');
    const sample = (await json<Page>(await call('/v1/catalog/products?limit=1', { token }))).items[0];
    if (!sample) throw new Error('no products');
    const top = sample.categoryPath.split('/')[0] ?? '';
    const inTop = await everyPage(token, `category=${top}&limit=200`);
    expect(inTop.length).toBeGreaterThan(0);
    expect(inTop.every((p) => p.categoryPath.startsWith(`${top}/`))).toBe(true);
    const family = await everyPage(token, `family=${encodeURIComponent(sample.family)}&limit=200`);
    expect(family.every((p) => p.family === sample.family)).toBe(true);
    const brand = await everyPage(token, `brand=${encodeURIComponent(sample.brand)}&status=active&limit=200`);
    expect(brand.every((p) => p.brand === sample.brand && p.status === 'active')).toBe(true);
  });

  it('full-text search matches substrings of SKU and name, including short words', async () => {
    const token = await loginAs('buyer@acme.example');
    const sample = (await json<Page>(await call('/v1/catalog/products?limit=1&sort=-sku', { token })))
      .items[0];
    if (!sample) throw new Error('no products');
    const bySku = await everyPage(token, `q=${encodeURIComponent(sample.sku.slice(-6))}`);
    expect(bySku.map((p) => p.sku)).toContain(sample.sku);
    const word = sample.name.split(' ').find((w) => w.length >= 4) ?? sample.name;
    const byName = await everyPage(token, `q=${encodeURIComponent(word.toLowerCase())}&limit=200`);
    expect(byName.map((p) => p.sku)).toContain(sample.sku);
    const short = await everyPage(
      token,
      `q=${encodeURIComponent(`${word} ${sample.sku.slice(-2)}`)}&limit=200`,
    );
    expect(short.every((p) => p.name.toLowerCase().includes(sample.sku.slice(-2).toLowerCase()))).toBe(true);
    expect(await everyPage(token, 'q=zzqqxxnothing')).toEqual([]);
    expect(
      (await call(`/v1/catalog/products?q=${encodeURIComponent('"; DROP TABLE products; --')}`, { token }))
        .status,
    ).toBe(200);
  });
});

describe('GET /v1/catalog/products/{sku}', () => {
  it('returns stock per warehouse and the replacement of an obsolete item', async () => {
    const token = await loginAs('buyer@acme.example');
    const [obsolete] = await everyPage(token, 'status=obsolete&limit=1').then((all) => all.slice(0, 1));
    if (!obsolete) throw new Error('demo data has no obsolete product');
    const res = await call(`/v1/catalog/products/${obsolete.sku}`, { token });
    const detail = await json<
      Product & { availability: { onHand: number; warehouses: { warehouse: string; onHand: number }[] } }
    >(res);
    expect(detail.replacementSku).toMatch(/\S/);
    expect(detail.availability.warehouses.map((w) => w.warehouse).sort()).toEqual(['KOLN-1', 'LYON-1']);
    expect(detail.availability.onHand).toBe(detail.availability.warehouses.reduce((s, w) => s + w.onHand, 0));
    await expectProblem(await call('/v1/catalog/products/NOPE-404', { token }), 404);
  });
});

describe('GET /v1/catalog/categories', () => {
  it('is a three-level tree whose counts add up to the catalog size', async () => {
    // Initech's assortment is the whole catalog (a restricted one: test/integration/security/assortment)
    const token = await loginAs('buyer@initech.example');
    const { items } = await json<{ items: Category[] }>(await call('/v1/catalog/categories', { token }));
    expect(items.length).toBeGreaterThan(3);
    expect(items.reduce((s, c) => s + c.productCount, 0)).toBe(await totalProducts());
    for (const top of items) {
      expect(top.productCount).toBe(top.children.reduce((s, c) => s + c.productCount, 0));
      for (const sub of top.children) expect(sub.children.length).toBeGreaterThan(0);
    }
  });

  it('needs catalog.view', async () => {
    await expectProblem(await call('/v1/catalog/categories', { token: 'nope' }), 401);
  });
});

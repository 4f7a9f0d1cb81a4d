import { beforeAll, describe, expect, it } from 'vitest';
import { buildSearchIndex } from '../../src/services/search/build';
import { call, createUser, expectProblem, json, loginAs } from './harness';
import { all, buildFor, first } from './pricing-helpers';
import {
  everyHit,
  forgetSearchCaches,
  type SearchAnswer,
  search,
  searchDeps,
  searchRecorder,
  suggest,
} from './search-helpers';

const excludedCategory = async () =>
  (
    await first<{ target: string }>(
      "SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude'",
    )
  ).target;
const inSubtree = (path: string, root: string) => path === root || path.startsWith(`${root}/`);

/** one edit: two neighbouring letters swapped in the middle of the word */
const transposed = (word: string) => `${word.slice(0, 1)}${word[2]}${word[1]}${word.slice(3)}`;

beforeAll(async () => {
  for (const company of ['co_acme', 'co_globex', 'co_initech']) await buildFor(company);
  await buildSearchIndex({ ...searchDeps(), queue: searchRecorder }, () => Date.now());
  forgetSearchCaches();
  await createUser(await loginAs('admin@acme.example'), {
    email: 'search-viewer@acme.example',
    name: 'Sam Searchviewer',
    roleIds: ['role_builtin_viewer'],
  });
});

describe('finding products', () => {
  it('finds a product by its name with a typo (two letters swapped), from the index', async () => {
    const excluded = await excludedCategory();
    const rows = await all<{ sku: string; name: string; category_path: string }>(
      'SELECT sku, name, category_path FROM products ORDER BY sku',
    );
    const product = rows.find((r) => !inSubtree(r.category_path, excluded) && /\b[a-z]{5,}\b/i.test(r.name));
    if (!product) throw new Error('no product with a long word');
    const word = product.name.match(/\b[a-z]{5,}\b/i)?.[0] ?? '';
    const q = product.name.replace(word, transposed(word));
    const res = await call(`/v1/search?q=${encodeURIComponent(q)}&limit=5`, {
      token: await loginAs('buyer@acme.example'),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-search-source')).toMatch(/^index;g=\d+$/);
    const page = await json<SearchAnswer>(res);
    expect(page.items.map((i) => i.sku)).toContain(product.sku);
  });

  it('puts the exact reference first, and finds it without its prefix separator', async () => {
    const token = await loginAs('buyer@acme.example');
    const excluded = await excludedCategory();
    const { sku } = await first<{ sku: string }>(
      "SELECT sku FROM products WHERE NOT (category_path = ?1 OR category_path LIKE ?1 || '/%') ORDER BY sku DESC LIMIT 1",
      excluded,
    );
    expect((await search(token, `q=${sku}`)).items[0]?.sku).toBe(sku);
    const compact = sku.replace('-', '');
    const found = await search(token, `q=${compact}&limit=3`);
    expect(found.items.map((i) => i.sku)).toContain(sku);
  });

  it('the supplier without a company finds the whole catalog, without customer fields', async () => {
    const ops = await loginAs('ops@supplier.example');
    const { n } = await first<{ n: number }>('SELECT count(*) AS n FROM products');
    const page = await search(ops, 'limit=5');
    expect(page.total).toBe(n);
    for (const item of page.items) expect(item).not.toHaveProperty('orderable');
  });
});

describe("a company's assortment", () => {
  it('hidden products never appear in items, total, facets or suggestions', async () => {
    const token = await loginAs('buyer@acme.example');
    const excluded = await excludedCategory();
    const { n: hidden } = await first<{ n: number }>(
      "SELECT count(*) AS n FROM products WHERE category_path = ?1 OR category_path LIKE ?1 || '/%'",
      excluded,
    );
    const { n: total } = await first<{ n: number }>('SELECT count(*) AS n FROM products');
    expect(hidden).toBeGreaterThan(0);
    const items = await everyHit(token, 'sort=sku');
    expect(items).toHaveLength(total - hidden);
    expect(items.some((i) => inSubtree(i.categoryPath, excluded))).toBe(false);
    const page = await search(token, 'limit=1');
    expect(page.total).toBe(total - hidden);
    expect(JSON.stringify(page.facets.category)).not.toContain(`"${excluded}"`);
    // asked for by name, the hidden category gives nothing either
    const { name } = await first<{ name: string }>('SELECT name FROM categories WHERE path = ?', excluded);
    const byName = await search(token, `q=${encodeURIComponent(name)}&limit=100`);
    expect(byName.items.some((i) => inSubtree(i.categoryPath, excluded))).toBe(false);
    const suggested = await suggest(token, name);
    expect(suggested.categories.some((c) => inSubtree(c.path, excluded))).toBe(false);
    const skusHidden = new Set(
      (
        await all<{ sku: string }>(
          "SELECT sku FROM products WHERE category_path = ?1 OR category_path LIKE ?1 || '/%'",
          excluded,
        )
      ).map((r) => r.sku),
    );
    expect(suggested.products.some((p) => skusHidden.has(p.sku))).toBe(false);
  });

  it('another company with another assortment sees its own count', async () => {
    const acme = await search(await loginAs('buyer@acme.example'), 'limit=1');
    const globex = await search(await loginAs('buyer@globex.example'), 'limit=1');
    const { n: all } = await first<{ n: number }>('SELECT count(*) AS n FROM products');
    expect(acme.total).toBeLessThan(all);
    expect(globex.total).toBeGreaterThan(0);
    expect(globex.total).not.toBe(acme.total);
  });

  it('prices only with prices.view, like the catalog', async () => {
    const buyer = await search(await loginAs('buyer@acme.example'), 'limit=10');
    expect(buyer.items.every((i) => 'price' in i && 'orderable' in i)).toBe(true);
    const viewer = await search(await loginAs('search-viewer@acme.example'), 'limit=10');
    expect(viewer.items.length).toBeGreaterThan(0);
    for (const item of viewer.items) {
      expect(item).not.toHaveProperty('price');
      expect(item).toHaveProperty('orderable');
    }
  });
});

describe('facets', () => {
  it('several values of one facet are OR-ed, facets AND-ed, and a facet counts without its own filter', async () => {
    const token = await loginAs('ops@supplier.example');
    const whole = await search(token, 'limit=1');
    const [a, b] = whole.facets.brand;
    if (!a || !b) throw new Error('fewer than two brands');
    const one = await search(token, `brand=${encodeURIComponent(a.value)}&limit=1`);
    expect(one.total).toBe(a.count);
    // the brand facet still shows what adding the other brand would give
    expect(one.facets.brand.find((f) => f.value === b.value)?.count).toBe(b.count);
    const both = await search(
      token,
      `brand=${encodeURIComponent(a.value)}&brand=${encodeURIComponent(b.value)}&limit=1`,
    );
    expect(both.total).toBe(a.count + b.count);
    const family = one.facets.family[0];
    if (!family) throw new Error('no family facet');
    const and = await search(
      token,
      `brand=${encodeURIComponent(a.value)}&family=${encodeURIComponent(family.value)}&limit=1`,
    );
    expect(and.total).toBe(family.count);
    expect(and.total).toBeLessThanOrEqual(a.count);
  });
});

describe('paging and debug', () => {
  it('follows the cursor through every result once; a cursor of another query is a 400 naming cursor', async () => {
    const token = await loginAs('buyer@acme.example');
    const first = await search(token, 'sort=sku&limit=50');
    const items = await everyHit(token, 'sort=sku');
    expect(items).toHaveLength(first.total);
    expect(new Set(items.map((i) => i.sku)).size).toBe(items.length);
    expect(items.map((i) => i.sku)).toEqual([...items.map((i) => i.sku)].sort());
    if (!first.nextCursor) throw new Error('one page only');
    const foreign = await call(`/v1/search?sort=name&limit=50&cursor=${first.nextCursor}`, { token });
    const problem = await expectProblem(foreign, 400);
    expect(problem.errors).toEqual([expect.objectContaining({ in: 'query', path: 'cursor' })]);
  });

  it('debug is for platform admins: a buyer gets 403, an admin gets score and explanation', async () => {
    await expectProblem(
      await call('/v1/search?q=screw&debug=true', { token: await loginAs('buyer@acme.example') }),
      403,
    );
    const page = await search(await loginAs('ops@supplier.example'), 'q=screw&debug=true&limit=3');
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) {
      expect(typeof item.score).toBe('number');
      expect(Array.isArray(item.explanation)).toBe(true);
    }
    const plain = await search(await loginAs('ops@supplier.example'), 'q=screw&limit=3');
    expect(plain.items[0]).not.toHaveProperty('score');
  });

  it('suggest answers empty lists under two characters', async () => {
    const token = await loginAs('buyer@acme.example');
    expect(await suggest(token, 's')).toEqual({ products: [], categories: [], brands: [] });
    expect((await suggest(token, 'sc')).products.length).toBeGreaterThan(0);
  });
});

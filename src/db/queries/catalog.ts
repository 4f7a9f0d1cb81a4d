import { and, asc, count, desc, eq, gt, inArray, like, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { categories, products, stock } from '../schema';

export type ProductRow = typeof products.$inferSelect;
export type StockRow = typeof stock.$inferSelect;

export const PRODUCT_SORTS = ['sku', '-sku', 'name', '-name'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export interface ProductFilter {
  category?: string;
  family?: string;
  brand?: string;
  status?: 'active' | 'obsolete';
  q?: string;
  sort: ProductSort;
  /** keyset cursor: the sort key and SKU of the last row of the previous page */
  after?: { key: string; sku: string };
  limit: number;
}

/** A category and its whole subtree, as an index range ('/' + 1 is '0'), not a LIKE scan. */
function inCategory(path: string): SQL | undefined {
  return or(
    eq(products.categoryPath, path),
    and(gt(products.categoryPath, `${path}/`), lt(products.categoryPath, `${path}0`)),
  );
}

// C0/C1 controls and DEL (\p{Cc}), lone surrogates (\p{Cs})
const CONTROL_CHARACTERS = /[\p{Cc}\p{Cs}]/gu;

/**
 * Words of three or more characters go through the FTS5 trigram index (substring match on SKU, name,
 * description, brand); shorter words, which trigrams cannot index, filter the name with LIKE.
 */
function matchesText(q: string): SQL | undefined {
  // Routes refuse control characters already; dropped here too, because one in an FTS5 query is an error.
  const words = q.replace(CONTROL_CHARACTERS, ' ').trim().split(/\s+/).filter(Boolean).slice(0, 8);
  const long = words.filter((w) => w.length >= 3);
  const short = words.filter((w) => w.length < 3);
  const parts: (SQL | undefined)[] = short.map((w) => like(products.name, `%${w.replace(/[%_]/g, '')}%`));
  if (long.length > 0) {
    const expression = long.map((w) => `"${w.replaceAll('"', '""')}"`).join(' AND ');
    parts.push(
      sql`${products}.rowid IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ${expression})`,
    );
  }
  return and(...parts);
}

function afterCursor(sort: ProductSort, after: { key: string; sku: string }): SQL | undefined {
  switch (sort) {
    case 'sku':
      return gt(products.sku, after.sku);
    case '-sku':
      return lt(products.sku, after.sku);
    case 'name':
      return or(gt(products.name, after.key), and(eq(products.name, after.key), gt(products.sku, after.sku)));
    case '-name':
      return or(lt(products.name, after.key), and(eq(products.name, after.key), lt(products.sku, after.sku)));
  }
}

const ORDER: Record<ProductSort, SQL[]> = {
  sku: [asc(products.sku)],
  '-sku': [desc(products.sku)],
  name: [asc(products.name), asc(products.sku)],
  '-name': [desc(products.name), desc(products.sku)],
};

export const sortKeyOf = (sort: ProductSort, row: ProductRow): string =>
  sort === 'name' || sort === '-name' ? row.name : row.sku;

export async function listProducts(db: Database, f: ProductFilter): Promise<ProductRow[]> {
  return db
    .select()
    .from(products)
    .where(
      and(
        f.category ? inCategory(f.category) : undefined,
        f.family ? eq(products.family, f.family) : undefined,
        f.brand ? eq(products.brand, f.brand) : undefined,
        f.status ? eq(products.status, f.status) : undefined,
        f.q ? matchesText(f.q) : undefined,
        f.after ? afterCursor(f.sort, f.after) : undefined,
      ),
    )
    .orderBy(...ORDER[f.sort])
    .limit(f.limit);
}

export async function getProduct(
  db: Database,
  sku: string,
): Promise<{ product: ProductRow; stock: StockRow[] } | undefined> {
  const [productRows, stockRows] = await db.batch([
    db.select().from(products).where(eq(products.sku, sku)).limit(1),
    db.select().from(stock).where(eq(stock.sku, sku)).orderBy(asc(stock.warehouse)),
  ]);
  const product = productRows[0];
  return product ? { product, stock: stockRows } : undefined;
}

export async function getProductsBySku(db: Database, skus: string[]): Promise<ProductRow[]> {
  if (skus.length === 0) return [];
  return db.select().from(products).where(inArray(products.sku, skus));
}

export interface CategoryNode {
  path: string;
  name: string;
  depth: number;
  productCount: number;
  children: CategoryNode[];
}

/**
 * The category tree; each node counts the products in its whole subtree. `counts` (products per category
 * path) replaces the count of every product, for a customer who sees only part of the catalog; `hideEmpty`
 * then drops the categories in which they see nothing.
 */
export async function categoryTree(
  db: Database,
  options: { counts?: ReadonlyMap<string, number>; hideEmpty?: boolean } = {},
): Promise<CategoryNode[]> {
  const categoryRows = db.select().from(categories).orderBy(asc(categories.path));
  const [rows, everyProduct] = options.counts
    ? [await categoryRows, []]
    : await db.batch([
        categoryRows,
        db.select({ path: products.categoryPath, n: count() }).from(products).groupBy(products.categoryPath),
      ]);
  const counts = options.counts ?? new Map(everyProduct.map(({ path, n }) => [path, n]));
  const nodes = new Map<string, CategoryNode>();
  for (const r of rows)
    nodes.set(r.path, { path: r.path, name: r.name, depth: r.depth, productCount: 0, children: [] });
  for (const [path, n] of counts) {
    // Credit the category and every ancestor: "fasteners/screws/wood" also counts for "fasteners/screws".
    const segments = path.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const node = nodes.get(segments.slice(0, i).join('/'));
      if (node) node.productCount += n;
    }
  }
  const roots: CategoryNode[] = [];
  for (const r of rows) {
    const node = nodes.get(r.path);
    if (!node || (options.hideEmpty && node.productCount === 0)) continue;
    const parent = r.parentPath ? nodes.get(r.parentPath) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

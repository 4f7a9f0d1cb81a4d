import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppContext, AppEnv } from '../../http/context';
import { decodeCursor, encodeCursor } from '../../http/paging';
import { shopListing, shopProduct } from '../../services/punchout/shop';
import { transferPage } from '../../services/punchout/transfer';
import { shopCartRoutes } from './shop/cart-routes';
import { HomePage } from './shop/home';
import { ProductPage } from './shop/product';
import { cartCount, openShop, refusal, renderPage } from './shop/respond';
import { shopPage } from './shop/route-docs';

/**
 * The start page (docs/punchout.md, "The start page"): a small server-rendered shop for one punch-out
 * session at `/punchout/shop/{key}/…`. The key in the path is the session — procurement browsers drop
 * cookies, so no cookie is set or read — and every page is rendered with the session user's catalog,
 * contract prices and cart, through the same services as the JSON API. No script; forms post and answer
 * 303, so it works without JavaScript.
 */
const PAGE_SIZE = 24;
const PageToken = v.object({ k: v.string(), s: v.string() });

const param = (c: AppContext, name: string, max: number): string =>
  (c.req.query(name) ?? '').trim().slice(0, max);

function pageToken(value: string): { key: string; sku: string } | undefined {
  if (!value) return undefined;
  try {
    const token = decodeCursor(PageToken, value);
    return token ? { key: token.k, sku: token.s } : undefined;
  } catch {
    return undefined; // a mangled page link starts over rather than failing
  }
}

async function home(c: AppContext) {
  return openShop(c, async (shop) => {
    const q = param(c, 'q', 200);
    const category = param(c, 'category', 200);
    const pageParam = param(c, 'page', 600);
    const after = pageToken(pageParam);
    const [listing, count] = await Promise.all([
      shopListing(
        c.var.services.pricing,
        shop.session.companyId,
        { ...(q ? { q } : {}), ...(category ? { category } : {}), ...(after ? { after } : {}) },
        PAGE_SIZE,
        shop.now,
      ),
      cartCount(shop),
    ]);
    const last = listing.continueAfter;
    const page = HomePage({
      texts: shop.texts,
      shopKey: shop.key,
      query: q,
      category,
      listing,
      nextPage: last ? encodeCursor({ k: last.name, s: last.sku }) : null,
      onLaterPage: after !== undefined,
      showPrices: shop.showPrices,
      cartCount: count,
    });
    return renderPage(c, page, 200, shop);
  });
}

export const shopRoutes = new Hono<AppEnv>()
  .get('/:key', ...shopPage('The session shop: search, categories, products at the contract price'), home)
  .get('/:key/', ...shopPage('The session shop: search, categories, products at the contract price'), home)
  .get('/:key/p/:sku', ...shopPage('A product page of the session shop', { path: 'sku' }), (c) =>
    openShop(c, async (shop) => {
      const sku = (c.req.param('sku') ?? '').slice(0, 64);
      const [item, count] = await Promise.all([
        shopProduct(c.var.services.pricing, shop.session.companyId, sku, shop.now),
        cartCount(shop),
      ]);
      if (!item) return refusal(c, shop, shop.texts.t.notFound, 404);
      const page = ProductPage({
        texts: shop.texts,
        shopKey: shop.key,
        item,
        showPrices: shop.showPrices,
        canOrder: shop.canChange,
        cartCount: count,
      });
      return renderPage(c, page, 200, shop);
    }),
  )
  .route('/', shopCartRoutes)
  .post(
    '/:key/transfer',
    ...shopPage('Transfers the session cart back to the procurement system (the auto-submitting form)'),
    (c) => openShop(c, (shop) => transferPage(c.env, shop.session, shop.now, c.get('requestId'))),
  );

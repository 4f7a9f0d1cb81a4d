import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { MAX_QUANTITY } from '../../../domain/pricing/engine';
import { unwrap } from '../../../durable/client';
import type { AppContext, AppEnv } from '../../../http/context';
import { STATUS_BY_CODE } from '../../../http/problem';
import { productNames, shopProduct } from '../../../services/punchout/shop';
import { CartPage, type CartProps } from './cart';
import type { Texts } from './i18n';
import { shopBase } from './layout';
import { ProductPage } from './product';
import { cartCount, type LiveShop, openShop, readForm, refusal, renderPage } from './respond';
import { shopPage } from './route-docs';

/**
 * The session cart as forms: add (from a product page), change a quantity, remove a line. Each change
 * answers 303 to the cart (post/redirect/get: a reload does not post again); a form that cannot be
 * applied comes back with the buyer's input and a message, never a 500.
 */
type Quantity = { ok: true; quantity: number } | { ok: false; text: string };

function quantityOf(raw: string | null, texts: Texts): Quantity {
  const value = (raw ?? '').trim();
  if (!/^\d{1,12}$/.test(value) || Number(value) < 1) return { ok: false, text: texts.t.quantityInvalid };
  const quantity = Number(value);
  if (quantity > MAX_QUANTITY)
    return { ok: false, text: texts.fill(texts.t.quantityTooLarge, { n: MAX_QUANTITY }) };
  return { ok: true, quantity };
}

async function showCart(
  c: AppContext,
  shop: LiveShop,
  extras: Pick<CartProps, 'notice' | 'error'> = {},
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const cart = unwrap(await shop.carts.getCart(shop.session.userId, shop.session.cartId, shop.now));
  const names = await productNames(
    c.var.services.pricing,
    cart.lines.map((l) => l.sku),
  );
  const page = CartPage({
    texts: shop.texts,
    shopKey: shop.key,
    cart,
    names,
    showPrices: shop.showPrices,
    canChange: shop.canChange,
    inspect: shop.session.operation === 'inspect',
    ...extras,
  });
  return renderPage(c, page, status, shop);
}

const toCart = (c: AppContext, shop: LiveShop, added = false) =>
  c.redirect(`${shopBase(shop.key)}/cart${added ? '?added=1' : ''}`, 303);

/** Changes need a session that may change its cart: not `inspect`, and a user with cart.manage. */
function changing(c: AppContext, run: (shop: LiveShop) => Promise<Response>) {
  return openShop(c, (shop) => (shop.canChange ? run(shop) : refusal(c, shop, shop.texts.t.readOnly, 403)));
}

export const shopCartRoutes = new Hono<AppEnv>()
  .get('/:key/cart', ...shopPage('The session cart page'), (c) =>
    openShop(c, (shop) => showCart(c, shop, c.req.query('added') ? { notice: shop.texts.t.added } : {})),
  )
  .post(
    '/:key/cart/lines',
    ...shopPage('Adds a product to the session cart (form post, 303 to the cart)', { status: 303 }),
    (c) =>
      changing(c, async (shop) => {
        const form = await readForm(c);
        const { texts } = shop;
        const sku = (form.get('sku') ?? '').trim().slice(0, 64);
        const item = sku
          ? await shopProduct(c.var.services.pricing, shop.session.companyId, sku, shop.now)
          : undefined;
        if (!item)
          return showCart(c, shop, { error: { text: texts.fill(texts.t.unknownSku, { sku }) } }, 422);
        const typed = form.get('quantity') ?? '';
        const productPage = async (error: string, status: ContentfulStatusCode) => {
          const page = ProductPage({
            texts,
            shopKey: shop.key,
            item,
            showPrices: shop.showPrices,
            canOrder: shop.canChange,
            cartCount: await cartCount(shop),
            quantity: typed,
            error,
          });
          return renderPage(c, page, status, shop);
        };
        const quantity = quantityOf(typed, texts);
        if (!quantity.ok) return productPage(quantity.text, 422);
        if (!item.entry.orderable) return productPage(texts.t.notOrderable, 422);
        const added = await shop.carts.addCartLines(
          shop.session.userId,
          shop.session.cartId,
          undefined,
          [{ sku, quantity: quantity.quantity }],
          shop.now,
        );
        if (!added.ok)
          return productPage(
            texts.fill(texts.t.cartRefused, { message: added.message }),
            STATUS_BY_CODE[added.code],
          );
        return toCart(c, shop, true);
      }),
  )
  .post(
    '/:key/cart/lines/:lineId',
    ...shopPage('Changes a line quantity (form post, 303 to the cart)', { status: 303, path: 'lineId' }),
    (c) =>
      changing(c, async (shop) => {
        const lineId = c.req.param('lineId') ?? '';
        const typed = (await readForm(c)).get('quantity') ?? '';
        const quantity = quantityOf(typed, shop.texts);
        if (!quantity.ok)
          return showCart(c, shop, { error: { text: quantity.text, lineId, quantity: typed } }, 422);
        const changed = await shop.carts.updateCartLine(
          shop.session.userId,
          shop.session.cartId,
          lineId,
          undefined,
          { quantity: quantity.quantity },
          shop.now,
        );
        if (!changed.ok) {
          const text = shop.texts.fill(shop.texts.t.cartRefused, { message: changed.message });
          return showCart(
            c,
            shop,
            { error: { text, lineId, quantity: typed } },
            STATUS_BY_CODE[changed.code],
          );
        }
        return toCart(c, shop);
      }),
  )
  .post(
    '/:key/cart/lines/:lineId/remove',
    ...shopPage('Removes a line (form post, 303 to the cart)', { status: 303, path: 'lineId' }),
    (c) =>
      changing(c, async (shop) => {
        const removed = await shop.carts.deleteCartLine(
          shop.session.userId,
          shop.session.cartId,
          c.req.param('lineId') ?? '',
          undefined,
          shop.now,
        );
        if (!removed.ok) {
          const text = shop.texts.fill(shop.texts.t.cartRefused, { message: removed.message });
          return showCart(c, shop, { error: { text } }, STATUS_BY_CODE[removed.code]);
        }
        return toCart(c, shop);
      }),
  );
